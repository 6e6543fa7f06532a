// Billing: everyone in the organization sees the plan and usage; admins and owners see
// invoices and payment methods and make changes. Every change is allowed while the
// organization is read-only (trial expired, payment overdue), so a restricted organization
// can always pay, and is audited. Plan keys are the active product's (the router is built
// per product: createBillingRouter).
import type { ProductRuntime } from "@plinth/platform";
import * as billing from "@plinth/platform/billing";
import {
  changePlanInputFor,
  dailyUsageInputFor,
  invoicesInput,
  planInputFor,
  subscriptionItemsInputFor,
} from "@plinth/platform/contracts";
import { verifiedEmail } from "../../gating.ts";
import { orgAdminProcedure, orgProcedure } from "../../procedures.ts";
import { createTRPCRouter } from "../../trpc.ts";

const billingMutation = orgAdminProcedure.meta({ allowWhenReadOnly: true });
/** Starting to pay needs a verified email address (docs/identity.md). */
const paymentMutation = billingMutation.use(verifiedEmail);

export function createBillingRouter(product: ProductRuntime) {
  const planInput = planInputFor(product.catalog.planKeys);
  const changePlanInput = changePlanInputFor(product.catalog.planKeys);
  const dailyUsageInput = dailyUsageInputFor(product.catalog.meterKeys);
  const subscriptionItemsInput = subscriptionItemsInputFor(product.catalog.planKeys);
  return createTRPCRouter({
    overview: orgProcedure.query(({ ctx }) => billing.overview(ctx.scope)),

    /** Usage per meter and UTC day (charts); default range: the current billing period. */
    dailyUsage: orgProcedure
      .input(dailyUsageInput)
      .query(({ ctx, input }) => billing.dailyUsageSeries(ctx.scope, input)),

    invoices: orgAdminProcedure
      .input(invoicesInput)
      .query(({ ctx, input }) => billing.invoices(ctx.scope, input)),

    /**
     * The next invoice: recurring items and the period's usage per API endpoint (calls,
     * units, cost). On Stripe it first brings the usage invoice items up to date (idempotent).
     */
    upcomingInvoice: orgAdminProcedure.query(({ ctx }) => billing.upcomingInvoice(ctx.scope)),

    paymentMethods: orgAdminProcedure.query(({ ctx }) => billing.paymentMethods(ctx.scope)),

    /** What a plan change costs now (proration), shown before the user confirms it. */
    previewPlanChange: orgAdminProcedure
      .input(planInput)
      .query(({ ctx, input }) => billing.previewPlanChange(ctx.scope, input)),

    /** What setting the subscription's items would cost now (proration); nothing changes. */
    previewSubscriptionItems: orgAdminProcedure
      .input(subscriptionItemsInput)
      .query(({ ctx, input }) => billing.previewSubscriptionItems(ctx.scope, input)),

    /** Sets the subscription's priced items (add / remove / quantity), prorated. */
    setSubscriptionItems: paymentMutation
      .input(subscriptionItemsInput)
      .mutation(({ ctx, input }) => billing.setSubscriptionItems(ctx.scope, input)),

    startCheckout: paymentMutation
      .input(planInput)
      .mutation(({ ctx, input }) => billing.startCheckout(ctx.scope, input)),

    completeTestCheckout: paymentMutation
      .input(planInput)
      .mutation(({ ctx, input }) => billing.completeTestCheckout(ctx.scope, input)),

    changePlan: paymentMutation
      .input(changePlanInput)
      .mutation(({ ctx, input }) => billing.changePlan(ctx.scope, input)),

    cancel: billingMutation.mutation(({ ctx }) => billing.cancel(ctx.scope)),

    resume: billingMutation.mutation(({ ctx }) => billing.resume(ctx.scope)),

    openPortal: billingMutation.mutation(({ ctx }) => billing.openPortal(ctx.scope)),
  });
}
