// Sign-up: a user with a password, and then either
//  - their own organization on a trial ("auto-create the tenant on sign-up") and a
//    verification email — the ordinary case; or
//  - nothing else, when they arrive through an invitation to the address they sign up with
//    (`invitationToken`): they are joining someone else's organization, so no trial
//    organization of their own is made (they can create one later from the home page), and
//    their email counts as verified — the invitation's token reached them in that mailbox,
//    the same proof a verification link gives. Accepting stays a separate, explicit step on
//    the invitation page. A token that is unknown, expired, revoked, used or addressed to
//    another email is ignored: the sign-up is an ordinary one. See docs/identity.md.
import { hashPassword } from "@plinth/auth/password";
import { hitRateLimit, SIGN_UP_PER_IP } from "@plinth/auth/rate-limit";
import { Prisma } from "@plinth/db";
import { recordAudit } from "../audit.ts";
import { AppError } from "../errors.ts";
import { createOrganizationWithOwner } from "../organizations/service.ts";
import { previewInvitation } from "../teams/invitations.ts";
import type { Context, SessionUser } from "../trpc.ts";
import { startEmailVerification } from "./service.ts";

type Ctx = Pick<Context, "db" | "ipAddress" | "requestId" | "now" | "logger">;

export interface SignUpInput {
  name: string;
  /** Already trimmed and lower-cased by the router's schema. */
  email: string;
  password: string;
  organizationName?: string | undefined;
  invitationToken?: string | undefined;
}

export interface SignUpResult {
  userId: string;
  /** The new trial organization; null when the user signed up through an invitation. */
  organization: { id: string; slug: string; name: string } | null;
  /** The invitation this sign-up came through (still to be accepted), if it was usable. */
  invitation: { organizationName: string } | null;
  emailVerified: boolean;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** The invitation behind `token` if it is open and addressed to `email`; otherwise null. */
async function matchingInvitation(ctx: Ctx, token: string | undefined, email: string) {
  if (!token) return null;
  try {
    const preview = await previewInvitation(ctx.db.app, { token, now: ctx.now() });
    return preview.email.toLowerCase() === email ? preview : null;
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

export async function signUp(ctx: Ctx, input: SignUpInput): Promise<SignUpResult> {
  if (ctx.ipAddress) {
    const limit = await hitRateLimit(ctx.db.system, `signup:ip:${ctx.ipAddress}`, SIGN_UP_PER_IP);
    if (!limit.allowed)
      throw new AppError({ code: "RATE_LIMITED", retryAfterSeconds: limit.retryAfterSeconds });
  }
  const invitation = await matchingInvitation(ctx, input.invitationToken, input.email);
  const passwordHash = await hashPassword(input.password);
  const now = ctx.now();
  // The users table is not tenant-owned; the app role may create rows in it.
  let created;
  try {
    created = await ctx.db.app.user.create({
      data: {
        name: input.name,
        email: input.email,
        passwordHash,
        emailVerified: invitation ? now : null,
      },
      select: { id: true, email: true, name: true, platformRole: true, status: true },
    });
  } catch (error) {
    // The only thing sign-up says about an existing account is that the email is taken.
    if (isUniqueViolation(error)) throw new AppError({ code: "CONFLICT", field: "email" });
    throw error;
  }
  const user: SessionUser = created;
  const audit = { user, ipAddress: ctx.ipAddress, requestId: ctx.requestId };
  try {
    if (invitation) {
      await ctx.db.system.$transaction((tx) =>
        recordAudit(tx, audit, {
          organizationId: null,
          targetType: "user",
          targetId: user.id,
          action: "user.email_verified",
          changes: { emailVerified: { from: null, to: now }, via: { to: "invitation" } },
        }),
      );
      ctx.logger.info({ userId: user.id, via: "invitation" }, "account.signed_up");
      return {
        userId: user.id,
        organization: null,
        invitation: { organizationName: invitation.organizationName },
        emailVerified: true,
      };
    }
    const organization = await createOrganizationWithOwner(ctx.db.app, audit, {
      name: input.organizationName ?? `${input.name}'s organization`.slice(0, 80),
      ownerId: user.id,
      now,
    });
    await ctx.db.system.$transaction((tx) => startEmailVerification(tx, user, now));
    ctx.logger.info({ userId: user.id, organizationId: organization.id }, "account.signed_up");
    return {
      userId: user.id,
      organization: { id: organization.id, slug: organization.slug, name: organization.name },
      invitation: null,
      emailVerified: false,
    };
  } catch (error) {
    // No half-made accounts: without its organization (or audit entry) the user row goes too.
    await ctx.db.app.user.delete({ where: { id: user.id } }).catch(() => undefined);
    throw error;
  }
}
