// Billing: everyone in the organization sees the plan and usage; admins and owners see
// invoices and payment methods and make changes. Every change is allowed while the
// organization is read-only (trial expired, payment overdue), so a restricted organization
// can always pay, and is audited.
import { PLAN_KEYS } from "@plinth/billing";
import * as billing from "@plinth/billing/service";
import { z } from "zod";
import { orgAdminProcedure, orgProcedure } from "../middleware/organization.ts";
import { requireVerifiedEmail } from "../middleware/verified.ts";
import { createTRPCRouter } from "../trpc.ts";
import * as service from "./service.ts";

const planInput = z.object({ planKey: z.enum(PLAN_KEYS), interval: z.enum(["month", "year"]) });
const billingMutation = orgAdminProcedure.meta({ allowWhenReadOnly: true });
/** Starting to pay needs a verified email address (docs/identity.md). */
const paymentMutation = billingMutation.use(requireVerifiedEmail);

export const billingRouter = createTRPCRouter({
  overview: orgProcedure.query(({ ctx }) => service.overview(ctx)),

  invoices: orgAdminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(24) }))
    .query(({ ctx, input }) =>
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
    .input(planInput.extend({ prorationDate: z.number().int().positive().optional() }))
    .mutation(({ ctx, input }) => service.changePlan(ctx, input)),

  cancel: billingMutation.mutation(({ ctx }) => service.cancel(ctx)),

  resume: billingMutation.mutation(({ ctx }) => service.resume(ctx)),

  openPortal: billingMutation.mutation(({ ctx }) => service.openPortal(ctx)),
});
