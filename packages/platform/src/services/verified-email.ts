// Unverified-email policy (docs/identity.md): a user who has not verified their email can sign
// in and use their organizations, but cannot do what reaches other people or money — invite
// teammates, start a paid checkout, create API keys. It reads users.email_verified at call
// time (not the session), so verifying takes effect at once and callers built from older
// session shapes cannot bypass it. (users has no row-level security: the actor's own client.)
import { AppError } from "@plinth/core/errors";
import type { RequestScope } from "../scope.ts";

export async function requireVerifiedEmail(scope: RequestScope): Promise<void> {
  if (scope.actor.kind !== "user") throw new AppError({ code: "UNAUTHENTICATED" });
  const user = await scope.db.app.user.findUnique({
    where: { id: scope.actor.user.id },
    select: { emailVerified: true },
  });
  if (!user?.emailVerified) throw new AppError({ code: "EMAIL_NOT_VERIFIED" });
}
