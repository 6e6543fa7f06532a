// zod schemas for JSON columns: JSON read from the database is parsed, never trusted.
import { z } from "zod";

export const userPreferencesSchema = z
  .object({
    theme: z.enum(["system", "light", "dark"]).default("system"),
    lastOrganizationId: z.string().optional(),
  })
  .strict();
export type UserPreferences = z.infer<typeof userPreferencesSchema>;

/** AuditLog.changes: { field: { from, to } }. */
export const auditChangesSchema = z.record(
  z.string(),
  z.object({ from: z.unknown().optional(), to: z.unknown().optional() }),
);
export type AuditChanges = z.infer<typeof auditChangesSchema>;
