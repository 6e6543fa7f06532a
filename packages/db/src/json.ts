// zod schemas for JSON columns: JSON read from the database is parsed, never trusted.
import { z } from "zod";

/** An IANA time zone name this runtime knows (e.g. "Europe/Paris"). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const userPreferencesSchema = z
  .object({
    theme: z.enum(["system", "light", "dark"]).default("system"),
    /** IANA time zone, e.g. "Europe/Paris"; unset: the browser's. */
    timezone: z.string().max(64).refine(isTimeZone, "Unknown time zone").optional(),
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
