import { listFailedJobs, queueStats } from "@plinth/jobs";
import { z } from "zod";
import * as zm from "zod/mini";
import { cuid, searchQuery, text } from "../inputs.ts";
import { createTRPCRouter, platformAdminProcedure } from "../trpc.ts";
import {
  platformOverview,
  retryFailedJob,
  revenueHistory,
  searchOrganizations,
  searchUsers,
  setUserStatus,
} from "./service.ts";

const search = z.object({
  query: z.optional(searchQuery),
  limit: z.number().int().min(1).max(200).default(50),
});

/** The operator console (platform admins only): revenue, usage, tenants, users, jobs. */
export const operatorRouter = createTRPCRouter({
  overview: platformAdminProcedure.query(({ ctx }) => platformOverview(ctx.systemDb, ctx.now())),
  /** The last 12 months: MRR, new organizations, churned subscriptions; plans now. */
  history: platformAdminProcedure.query(({ ctx }) => revenueHistory(ctx.systemDb, ctx.now())),
  organizations: platformAdminProcedure
    .input(search)
    .query(({ ctx, input }) => searchOrganizations(ctx.systemDb, input)),
  users: platformAdminProcedure
    .input(search)
    .query(({ ctx, input }) => searchUsers(ctx.systemDb, input)),
  setUserStatus: platformAdminProcedure
    .input(z.object({ userId: cuid, status: z.enum(["ACTIVE", "SUSPENDED"]) }))
    .mutation(({ ctx, input }) => setUserStatus(ctx.systemDb, ctx, input)),
  queue: platformAdminProcedure.query(({ ctx }) => queueStats(ctx.systemDb)),
  failedJobs: platformAdminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => listFailedJobs(ctx.systemDb, { limit: input.limit })),
  retryJob: platformAdminProcedure
    .input(z.object({ jobId: text(19, zm.regex(/^\d{1,19}$/, "a job id is a positive integer")) }))
    .mutation(({ ctx, input }) => retryFailedJob(ctx.systemDb, ctx, input.jobId)),
});
