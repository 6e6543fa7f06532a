// Operator console procedure inputs (client-safe).
import { z } from "zod";
import { cuid, searchQuery, text } from "@plinth/core/inputs";

export const searchInput = z.object({
  query: searchQuery.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export const setUserStatusInput = z.object({
  userId: cuid,
  status: z.enum(["ACTIVE", "SUSPENDED"]),
});
export const failedJobsInput = z.object({
  limit: z.number().int().min(1).max(500).default(100),
});
export const retryJobInput = z.object({
  jobId: text(19).regex(/^\d{1,19}$/, "a job id is a positive integer"),
});
