// zod schemas for JSON columns: JSON read from the database is parsed, never trusted. Written
// with zod's "mini" API: the preferences schema is part of a browser form's contract.
import * as z from "zod/mini";

/** An IANA time zone name this runtime knows (e.g. "Europe/Paris"). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const userPreferencesSchema = z.strictObject({
  theme: z._default(z.enum(["system", "light", "dark"]), "system"),
  /** IANA time zone, e.g. "Europe/Paris"; unset: the browser's. */
  timezone: z.optional(
    z.string().check(z.maxLength(64), z.refine(isTimeZone, "Unknown time zone")),
  ),
  lastOrganizationId: z.optional(z.string()),
  /** AI-task defaults per organization id (modules/ai-tasks: the run dialog preselects them). */
  ai: z.optional(
    z.record(
      z.string().check(z.maxLength(36)),
      z.strictObject({
        defaultTemplateId: z.optional(z.nullable(z.string().check(z.maxLength(25)))),
        defaultProvider: z.optional(z.nullable(z.enum(["offline", "openai"]))),
        defaultModel: z.optional(z.nullable(z.string().check(z.maxLength(200)))),
      }),
    ),
  ),
});
export type UserPreferences = z.infer<typeof userPreferencesSchema>;

/** AuditLog.changes: { field: { from, to } }. */
export const auditChangesSchema = z.record(
  z.string(),
  z.object({ from: z.optional(z.unknown()), to: z.optional(z.unknown()) }),
);
export type AuditChanges = z.infer<typeof auditChangesSchema>;
