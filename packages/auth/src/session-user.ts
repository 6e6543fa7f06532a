// The signed-in user as every server layer sees it: @plinth/core's SessionUser (the request
// scope's user actor), parsed from what Auth.js and the session lookup read.
import { z } from "zod";
import type { SessionUser } from "@plinth/core/scope";

export type { SessionUser };

export const sessionUserSchema = z.object({
  id: z.string().min(1),
  email: z.string().min(1),
  name: z.string().nullable(),
  platformRole: z.enum(["USER", "SUPER_ADMIN"]),
  status: z.enum(["ACTIVE", "SUSPENDED", "DELETED"]),
  /** When the email address was verified (null: not yet). Optional: additive field. */
  emailVerified: z.coerce.date().nullable().optional(),
}) satisfies z.ZodType<SessionUser>;

/**
 * All that leaves the server of a session (GET /api/auth/session, `auth()`): this allow-list.
 * Parsing drops every other field of the rows Auth.js hands the session callback.
 */
export const publicSessionSchema = z.object({
  user: z.object({
    id: z.string().min(1),
    name: z.string().nullable(),
    email: z.string().min(1),
    image: z.string().nullable(),
    emailVerified: z.coerce.date().nullable(),
    platformRole: z.enum(["USER", "SUPER_ADMIN"]),
  }),
  expires: z.coerce.date().transform((date) => date.toISOString()),
});
export type PublicSession = z.infer<typeof publicSessionSchema>;

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254)),
  password: z.string().min(1).max(256),
});
