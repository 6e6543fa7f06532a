// Billing: everyone in the organization sees the plan and usage; admins and owners see
// invoices and payment methods and make changes. Every change is allowed while the
// organization is read-only (trial expired, payment overdue), so a restricted organization
// can always pay, and is audited.
import * as billing from "@plinth/billing/service";
import { orgAdminProcedure, orgProcedure } from "../middleware/organization.ts";
import { requireVerifiedEmail } from "../middleware/verified.ts";
import { createTRPCRouter } from "../trpc.ts";
import { changePlanInput, dailyUsageInput, invoicesInput, planInput } from "./contract.ts";
import * as service from "./service.ts";

const billingMutation = orgAdminProcedure.meta({ allowWhenReadOnly: true });
/** Starting to pay needs a verified email address (docs/identity.md). */
const paymentMutation = billingMutation.use(requireVerifiedEmail);

export const billingRouter = createTRPCRouter({
  overview: orgProcedure.query(({ ctx }) => service.overview(ctx)),

  /** Usage per meter and UTC day (charts); default range: the current billing period. */
  dailyUsage: orgProcedure
    .input(dailyUsageInput)
    .query(({ ctx, input }) => service.dailyUsageSeries(ctx, input)),

  invoices: orgAdminProcedure.input(invoicesInput).query(({ ctx, input }) =>
    billing.listInvoices(service.serviceDeps(ctx), {
      organizationId: ctx.org.id,
      limit: input.limit,
    }),
  ),

  paymentMethods: orgAdminProcedure.query(({ ctx }) =>
    service.mapBillingErrors(() =>
      billing.getPaymentMethods(service.serviceDeps(ctx), { organizationId: ctx.org.id }),
    ),
  ),

  /** What a plan change costs now (proration), shown before the user confirms it. */
  previewPlanChange: orgAdminProcedure
    .input(planInput)
    .query(({ ctx, input }) => service.previewPlanChange(ctx, input)),

  startCheckout: paymentMutation
    .input(planInput)
    .mutation(({ ctx, input }) => service.startCheckout(ctx, input)),

  completeTestCheckout: paymentMutation
    .input(planInput)
    .mutation(({ ctx, input }) => service.completeTestCheckout(ctx, input)),

  changePlan: paymentMutation
    .input(changePlanInput)
    .mutation(({ ctx, input }) => service.changePlan(ctx, input)),

  cancel: billingMutation.mutation(({ ctx }) => service.cancel(ctx)),

  resume: billingMutation.mutation(({ ctx }) => service.resume(ctx)),

  openPortal: billingMutation.mutation(({ ctx }) => service.openPortal(ctx)),
});
