// The operator console (platform admins only): revenue, usage, tenants, users, jobs.
import {
  failedJobsInput,
  operatorCancelInput,
  operatorChangePlanInput,
  operatorOrganizationInput,
  operatorPreviewPlanChangeInput,
  retryJobInput,
  searchInput,
  setUserStatusInput,
} from "@plinth/platform/contracts";
import * as operator from "@plinth/platform/operator";
import { platformAdminProcedure } from "../../procedures.ts";
import { createTRPCRouter } from "../../trpc.ts";

export const operatorRouter = createTRPCRouter({
  overview: platformAdminProcedure.query(({ ctx }) => operator.platformOverview(ctx.scope)),
  /** The last 12 months: MRR, new organizations, churned subscriptions; plans now. */
  history: platformAdminProcedure.query(({ ctx }) => operator.revenueHistory(ctx.scope)),
  organizations: platformAdminProcedure
    .input(searchInput)
    .query(({ ctx, input }) => operator.searchOrganizations(ctx.scope, input)),
  /** An organization's subscription (plan, status, period, items) and the plans it can take. */
  subscription: platformAdminProcedure
    .input(operatorOrganizationInput)
    .query(({ ctx, input }) => operator.organizationSubscription(ctx.scope, input)),
  /** What the plan change would cost now (proration lines), shown before it is confirmed. */
  previewPlanChange: platformAdminProcedure
    .input(operatorPreviewPlanChangeInput)
    .query(({ ctx, input }) => operator.previewOrganizationPlanChange(ctx.scope, input)),
  changePlan: platformAdminProcedure
    .input(operatorChangePlanInput)
    .mutation(({ ctx, input }) => operator.changeOrganizationPlan(ctx.scope, input)),
  cancelSubscription: platformAdminProcedure
    .input(operatorCancelInput)
    .mutation(({ ctx, input }) => operator.cancelOrganizationSubscription(ctx.scope, input)),
  resumeSubscription: platformAdminProcedure
    .input(operatorOrganizationInput)
    .mutation(({ ctx, input }) => operator.resumeOrganizationSubscription(ctx.scope, input)),
  users: platformAdminProcedure
    .input(searchInput)
    .query(({ ctx, input }) => operator.searchUsers(ctx.scope, input)),
  setUserStatus: platformAdminProcedure
    .input(setUserStatusInput)
    .mutation(({ ctx, input }) => operator.setUserStatus(ctx.scope, input)),
  queue: platformAdminProcedure.query(({ ctx }) => operator.queue(ctx.scope)),
  failedJobs: platformAdminProcedure
    .input(failedJobsInput)
    .query(({ ctx, input }) => operator.failedJobs(ctx.scope, input)),
  retryJob: platformAdminProcedure
    .input(retryJobInput)
    .mutation(({ ctx, input }) => operator.retryFailedJob(ctx.scope, input.jobId)),
});
