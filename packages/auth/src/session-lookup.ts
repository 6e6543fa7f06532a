// The hot path of every signed-in request: cookie → session row → user, in one statement.
//
// Auth.js's `auth()` resolves a database session through the adapter with several queries
// and callbacks (about 2–3 ms per request). This module answers the common case itself and
// hands everything else back to Auth.js, so its rules stay the only rules:
//   - no cookie, a malformed one, or no such
//     session                                   → null (nothing to do)
//   - session expired, or due for its sliding
//     extension (once per `updateAge`)          → "delegate": Auth.js deletes or extends it
//                                                  (one due for extension names its user)
//   - user suspended or deleted                 → "delegate": the adapter ends their sessions
//   - otherwise                                 → the user, straight from the row
import type { PrismaClient } from "@plinth/db";
import { z } from "zod";
import type { SessionUser } from "./session-user.ts";

export const SESSION_UPDATE_AGE_SECONDS = 86_400;

/**
 * Session tokens are ours (32 random bytes, base64url: config.ts) or Auth.js's (a UUID, for
 * OAuth and magic-link sign-ins). A cookie of any other shape (`%00`, garbage, 10 kB) is no
 * session: it is treated as absent and never reaches a query.
 */
const SESSION_TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/;
export function isWellFormedSessionToken(token: string | null | undefined): token is string {
  return typeof token === "string" && SESSION_TOKEN_SHAPE.test(token);
}

const rowSchema = z.object({
  expires: z.date(),
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  email_verified: z.date().nullable(),
  platform_role: z.enum(["USER", "SUPER_ADMIN"]),
  status: z.enum(["ACTIVE", "SUSPENDED", "DELETED"]),
});

export type SessionLookup =
  | { kind: "none" }
  /** `dueUser`: the session is valid and its user active, only its extension is due. */
  | { kind: "delegate"; dueUser?: SessionUser }
  | { kind: "user"; user: SessionUser };

export async function lookupSession(
  prisma: PrismaClient,
  sessionToken: string | undefined,
  options: { maxAgeSeconds: number; now?: Date },
): Promise<SessionLookup> {
  if (!isWellFormedSessionToken(sessionToken)) return { kind: "none" };
  const rows = await prisma.$queryRaw<unknown[]>`
    SELECT s.expires, u.id, u.email, u.name, u.email_verified, u.platform_role::text AS platform_role, u.status::text AS status
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.session_token = ${sessionToken}`;
  if (rows.length === 0) return { kind: "none" };
  const row = rowSchema.parse(rows[0]);
  const now = (options.now ?? new Date()).getTime();
  const extendAt =
    row.expires.getTime() - (options.maxAgeSeconds - SESSION_UPDATE_AGE_SECONDS) * 1000;
  if (row.expires.getTime() <= now || row.status !== "ACTIVE") return { kind: "delegate" };
  const user: SessionUser = {
    id: row.id,
    email: row.email,
    name: row.name,
    platformRole: row.platform_role,
    status: row.status,
    emailVerified: row.email_verified,
  };
  // Still valid: who it is is known, but Auth.js extends it (and sends the new cookie).
  if (extendAt <= now) return { kind: "delegate", dueUser: user };
  return { kind: "user", user };
}
