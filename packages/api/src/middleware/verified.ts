// Unverified-email policy (docs/identity.md): a user who has not verified their email can sign
// in and use their organizations, but cannot do what reaches other people or money — invite
// teammates, start a paid checkout, create API keys. Those procedures add this middleware:
//   orgAdminProcedure.use(requireVerifiedEmail).input(...).mutation(...)
// It reads users.email_verified at call time (not the session), so verifying takes effect at
// once and callers built from older session shapes cannot bypass it.
import { AppError } from "../errors.ts";
import { middleware } from "../trpc.ts";

export const requireVerifiedEmail = middleware(async ({ ctx, next }) => {
  if (!ctx.user) throw new AppError({ code: "UNAUTHENTICATED" });
  const user = await ctx.db.system.user.findUnique({
    where: { id: ctx.user.id },
    select: { emailVerified: true },
  });
  if (!user?.emailVerified) throw new AppError({ code: "EMAIL_NOT_VERIFIED" });
  return next();
});
