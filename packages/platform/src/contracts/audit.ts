// Audit log procedure inputs (client-safe).
import { z } from "zod";
import { cuid } from "@plinth/core/inputs";

export const listAuditLogInput = z.object({
  limit: z.number().int().min(1).max(100).default(25),
  /** The id of the last row of the previous page. */
  cursor: cuid.nullish(),
});
