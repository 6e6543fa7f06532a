// Audit log procedure inputs (client-safe: zod mini only).
import * as z from "zod/mini";
import { cuid } from "@plinth/core/inputs";

export const listAuditLogInput = z.object({
  limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 25),
  /** The id of the last row of the previous page. */
  cursor: z.nullish(cuid),
});
