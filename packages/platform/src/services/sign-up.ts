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
// The plan choice (`planKey`, one of catalog.signUpPlans; anything else is INVALID_INPUT
// before anything is written): the organization starts on the trial either way; a purchasable
// choice is kept on it (organizations.sign_up_plan_key) and the owner is sent to checkout for
// it after signing in (/sign-up/checkout); the checkout's completion clears it
// (@plinth/billing/sign-up-plan). An invited sign-up makes no organization: the choice is moot.
// An address that already has an account gets the same answer (`{ accepted: true }`, after
// the same argon2 run), nothing is created or changed, and its owner gets an email saying
// someone tried to sign up with it (sign in, or reset the password): no account enumeration.
import { setTimeout as sleep } from "node:timers/promises";
import { hashPassword } from "@plinth/auth/password";
import { sendSignUpAttemptedEmail } from "@plinth/auth/account-emails";
import {
  hitBackoff,
  hitRateLimit,
  RESET_REQUEST_BACKOFF_PER_ACCOUNT,
  SIGN_UP_PER_IP,
} from "@plinth/auth/rate-limit";
import { recordAudit } from "@plinth/core/audit";
import { AppError } from "@plinth/core/errors";
import { ANONYMOUS, type SessionUser } from "@plinth/core/scope";
import { Prisma } from "@plinth/db";
import type { RequestScope } from "../scope.ts";
import { startEmailVerification } from "./account.ts";
import { recordTermsAcceptedAtSignUp } from "./consents.ts";
import { createOrganizationWithOwner } from "./organizations.ts";

type Ctx = RequestScope;

/** Sign-up writes users and the platform log (no tenant yet): the privileged path. */
const signUpDb = (scope: RequestScope) =>
  scope.asSystem("sign-up: users, rate limits and the platform log");

export interface SignUpInput {
  name: string;
  /** Already trimmed and lower-cased by the router's schema. */
  email: string;
  password: string;
  organizationName?: string | undefined;
  invitationToken?: string | undefined;
  /** One of the product's sign-up plans; default the trial plan. */
  planKey?: string | undefined;
}

/** The same for every sign-up, whether the address was free or already registered. */
export interface SignUpResult {
  accepted: true;
}
const ACCEPTED: SignUpResult = { accepted: true };

/**
 * What creating an account costs after the hash (user, organization, verification email:
 * several transactions), in ms, averaged over this process's recent sign-ups. A sign-up with
 * a registered address does less, so it waits out the difference: its timing tells no more
 * than its answer. Starts from a typical figure until the first sign-up is measured.
 */
const accountCreation = { averageMs: 30 };
const AVERAGE_WEIGHT = 0.2;

function recordAccountCreation(startedAt: number) {
  const ms = performance.now() - startedAt;
  accountCreation.averageMs += (ms - accountCreation.averageMs) * AVERAGE_WEIGHT;
}

async function takeAsLongAsAccountCreation(startedAt: number) {
  const remaining = accountCreation.averageMs - (performance.now() - startedAt);
  if (remaining > 0) await sleep(remaining);
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Whether `token` is an open invitation to `email` (the teams module's hook, when enabled). */
async function arrivesInvited(ctx: Ctx, token: string | undefined, email: string) {
  if (!token) return false;
  for (const hook of ctx.product.signUpHooks) {
    if (await hook.invited(ctx.db.app, { token, email, now: ctx.clock.now() })) return true;
  }
  return false;
}

/**
 * The purchasable plan the sign-up chose (to check out after sign-up), or null for the trial.
 * A plan the product does not offer at sign-up is refused before anything is written.
 */
function chosenPaidPlan(ctx: Ctx, planKey: string | undefined): string | null {
  if (planKey === undefined) return null;
  const plan = ctx.product.catalog.signUpPlans.find((offered) => offered.key === planKey);
  if (!plan) {
    throw new AppError({
      code: "INVALID_INPUT",
      field: "planKey",
      reason: "Not a plan offered at sign-up",
    });
  }
  return plan.purchasable && plan.key !== ctx.product.catalog.trialPlan.key ? plan.key : null;
}

export async function signUp(ctx: Ctx, input: SignUpInput): Promise<SignUpResult> {
  const paidPlan = chosenPaidPlan(ctx, input.planKey);
  if (ctx.ip) {
    const limit = await hitRateLimit(signUpDb(ctx), `signup:ip:${ctx.ip}`, SIGN_UP_PER_IP);
    if (!limit.allowed)
      throw new AppError({ code: "RATE_LIMITED", retryAfterSeconds: limit.retryAfterSeconds });
  }
  const invitation = await arrivesInvited(ctx, input.invitationToken, input.email);
  // Hashed before we know whether the address is free: both answers cost one argon2 run.
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  const afterHash = performance.now();
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
    if (!isUniqueViolation(error)) throw error;
    await tellOwnerAboutSignUpAttempt(ctx, input.email);
    await takeAsLongAsAccountCreation(afterHash);
    return ACCEPTED;
  }
  const user: SessionUser = created;
  const audit = {
    actor: { kind: "user", user, sessionToken: null } as const,
    ip: ctx.ip,
    requestId: ctx.requestId,
  };
  try {
    if (invitation) {
      await signUpDb(ctx).$transaction(async (tx) => {
        await recordTermsAcceptedAtSignUp(tx, { userId: user.id, ip: ctx.ip, now });
        await recordAudit(tx, audit, {
          organizationId: null,
          targetType: "user",
          targetId: user.id,
          action: "user.email_verified",
          changes: { emailVerified: { from: null, to: now }, via: { to: "invitation" } },
        });
      });
      ctx.logger.info({ userId: user.id, via: "invitation" }, "account.signed_up");
      return ACCEPTED;
    }
    const organization = await createOrganizationWithOwner(ctx.db.app, ctx.product.catalog, audit, {
      name: input.organizationName ?? `${input.name}'s organization`.slice(0, 80),
      ownerId: user.id,
      now,
      signUpPlanKey: paidPlan,
    });
    await signUpDb(ctx).$transaction(async (tx) => {
      await recordTermsAcceptedAtSignUp(tx, { userId: user.id, ip: ctx.ip, now });
      await startEmailVerification(tx, user, now);
    });
    ctx.logger.info(
      { userId: user.id, organizationId: organization.id, signUpPlan: paidPlan },
      "account.signed_up",
    );
    recordAccountCreation(afterHash);
    return ACCEPTED;
  } catch (error) {
    // No half-made accounts: without its organization (or audit entry) the user row goes too.
    await ctx.db.app.user.delete({ where: { id: user.id } }).catch(() => undefined);
    throw error;
  }
}

/**
 * The address is registered: its (active) owner hears that someone tried to sign up with it,
 * at most a few times an hour (the same per-address throttle as "forgot password").
 */
async function tellOwnerAboutSignUpAttempt(ctx: Ctx, email: string): Promise<void> {
  const system = signUpDb(ctx);
  const perAddress = await hitBackoff(
    system,
    `signup:notice:${email}`,
    RESET_REQUEST_BACKOFF_PER_ACCOUNT,
  );
  const owner = await system.user.findUnique({
    where: { email },
    select: { id: true, status: true },
  });
  if (!perAddress.allowed || owner?.status !== "ACTIVE") return;
  await system.$transaction(async (tx) => {
    await sendSignUpAttemptedEmail(tx, { to: email });
    await recordAudit(
      tx,
      { ...ctx, actor: ANONYMOUS },
      {
        organizationId: null,
        targetType: "user",
        targetId: owner.id,
        action: "user.sign_up_attempted",
      },
    );
  });
  ctx.logger.info({ userId: owner.id }, "account.sign_up_attempted");
}
