// Operator console procedure inputs (client-safe: zod mini only).
import * as z from "zod/mini";
import { cuid, organizationId, searchQuery, text } from "@plinth/core/inputs";
import { interval } from "./billing.ts";

export const searchInput = z.object({
  query: z.optional(searchQuery),
  limit: z._default(z.int().check(z.minimum(1), z.maximum(200)), 50),
});
export const setUserStatusInput = z.object({
  userId: cuid,
  status: z.enum(["ACTIVE", "SUSPENDED"]),
});
export const failedJobsInput = z.object({
  limit: z._default(z.int().check(z.minimum(1), z.maximum(500)), 100),
});
export const retryJobInput = z.object({
  jobId: text(19, z.regex(/^\d{1,19}$/, "a job id is a positive integer")),
});

/** An organization the operator looks at or acts on (its subscription). */
export const operatorOrganizationInput = z.object({ organizationId });
/** A plan key of the active preset, checked by the service (unknown: 400 INVALID_INPUT). */
const planKey = text(64, z.regex(/^[a-z0-9][a-z0-9._-]*$/, "Not a valid plan key"));
export const operatorChangePlanInput = z.object({
  organizationId,
  planKey,
  /** Default: the subscription's current interval. */
  interval: z.optional(interval),
  prorationDate: z.optional(z.int().check(z.positive())),
});
/** The change to preview (what it would cost now); nothing changes. */
export const operatorPreviewPlanChangeInput = z.object({
  organizationId,
  planKey,
  interval: z.optional(interval),
});
export const operatorCancelInput = z.object({
  organizationId,
  /** At the period end (resumable), or now. */
  when: z.enum(["period_end", "now"]),
});
