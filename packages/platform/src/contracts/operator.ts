// Operator console procedure inputs (client-safe: zod mini only).
import * as z from "zod/mini";
import { cuid, searchQuery, text } from "@plinth/core/inputs";

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
