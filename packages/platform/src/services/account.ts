// Account lifecycle over the privileged client (users, sessions and tokens are not tenant
// data): email verification, password reset and change, sessions, profile, sign-in methods,
// account deletion. Every state change writes its audit entry in the same transaction.
// Tokens, passwords and hashes never leave this module: not in results, errors or logs.
import { hashPassword, verifyPassword } from "@plinth/auth/password";
import {
  hitBackoff,
  resetRateLimit,
  RESET_BACKOFF_PER_IP,
  RESET_REQUEST_BACKOFF_PER_ACCOUNT,
  SIGN_IN_BACKOFF_PER_ACCOUNT,
} from "@plinth/auth/rate-limit";
import { consumeUserToken, issueUserToken, peekUserToken } from "@plinth/auth/tokens";
import {
  sendPasswordChangedEmail,
  sendPasswordResetEmail,
  sendVerificationEmail,
} from "@plinth/auth/account-emails";
import {
  userPreferencesSchema,
  type Prisma,
  type TransactionClient,
  type UserPreferences,
} from "@plinth/db";
import { changedFields, recordAudit } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import { ANONYMOUS } from "@plinth/core/scope";
import type { RequestScope, UserScope } from "../scope.ts";
import type { AnyModule } from "../module.ts";
import { enqueueBillingCustomerDeletion } from "./organizations.ts";
import { eraseOrganization, eraseUserData, organizationDeletionBlockers } from "./personal-data.ts";

type Ctx = RequestScope;
type UserCtx = UserScope;

/**
 * Users, sessions and sign-in tokens belong to no tenant, and every change to them is audited
 * on the platform log (organization NULL), which only the privileged path may write.
 */
const accountDb = (scope: RequestScope) =>
  scope.asSystem("account: users, sessions, tokens and the platform log");

const userTarget = (userId: string) => ({
  organizationId: null,
  targetType: "user",
  targetId: userId,
});

async function throttle(
  ctx: Ctx,
  key: string,
  rule: Parameters<typeof hitBackoff>[2],
): Promise<void> {
  const result = await hitBackoff(accountDb(ctx), key, rule);
  if (!result.allowed)
    throw new AppError({
      code: "RATE_LIMITED",
      retryAfterSeconds: Math.max(1, result.retryAfterSeconds),
    });
}

// ─── Email verification ──────────────────────────────────────────────────────────────────

/** Issues a verification token and queues the email (sign-up calls it; so does "resend"). */
export async function startEmailVerification(
  tx: TransactionClient,
  user: { id: string; email: string; name: string | null },
  now: Date,
) {
  const { token } = await issueUserToken(tx, {
    userId: user.id,
    purpose: "EMAIL_VERIFICATION",
    now,
  });
  await sendVerificationEmail(tx, { to: user.email, name: user.name, token });
}

export async function resendVerification(ctx: UserCtx): Promise<{ sent: true }> {
  await throttle(ctx, `verify:user:${ctx.actor.user.id}`, RESET_REQUEST_BACKOFF_PER_ACCOUNT);
  const user = await accountDb(ctx).user.findUniqueOrThrow({
    where: { id: ctx.actor.user.id },
    select: { id: true, email: true, name: true, emailVerified: true },
  });
  if (user.emailVerified)
    throw new AppError({ code: "INVALID_STATE", detail: "Your email address is already verified" });
  await accountDb(ctx).$transaction(async (tx) => {
    await startEmailVerification(tx, user, ctx.clock.now());
    await recordAudit(tx, ctx, { ...userTarget(user.id), action: "user.verification_sent" });
  });
  return { sent: true };
}

export async function verifyEmail(ctx: Ctx, token: string): Promise<{ email: string }> {
  if (ctx.ip) await throttle(ctx, `verify:ip:${ctx.ip}`, RESET_BACKOFF_PER_IP);
  const now = ctx.clock.now();
  return accountDb(ctx).$transaction(async (tx) => {
    const check = await consumeUserToken(tx, { token, purpose: "EMAIL_VERIFICATION", now });
    if (!check.ok)
      throw new AppError({
        code: "INVALID_TOKEN",
        purpose: "EMAIL_VERIFICATION",
        reason: check.reason,
      });
    const user = await tx.user.findUniqueOrThrow({
      where: { id: check.userId },
      select: { email: true, emailVerified: true, status: true },
    });
    if (user.status !== "ACTIVE")
      throw new AppError({
        code: "INVALID_TOKEN",
        purpose: "EMAIL_VERIFICATION",
        reason: "invalid",
      });
    if (!user.emailVerified)
      await tx.user.update({ where: { id: check.userId }, data: { emailVerified: now } });
    await recordAudit(tx, ctx, { ...userTarget(check.userId), action: "user.email_verified" });
    return { email: user.email };
  });
}

// ─── Password reset ──────────────────────────────────────────────────────────────────────

/**
 * "Forgot password": always the same answer, whether or not the account exists, is active,
 * or is throttled per account. Only a per-IP throttle is reported (it says nothing about
 * accounts).
 */
export async function requestPasswordReset(ctx: Ctx, email: string): Promise<{ accepted: true }> {
  if (ctx.ip) await throttle(ctx, `reset:ip:${ctx.ip}`, RESET_BACKOFF_PER_IP);
  const perAccount = await hitBackoff(
    accountDb(ctx),
    `reset:email:${email}`,
    RESET_REQUEST_BACKOFF_PER_ACCOUNT,
  );
  const user = await accountDb(ctx).user.findUnique({
    where: { email },
    select: { id: true, email: true, status: true },
  });
  if (perAccount.allowed && user?.status === "ACTIVE") {
    await accountDb(ctx).$transaction(async (tx) => {
      const { token } = await issueUserToken(tx, {
        userId: user.id,
        purpose: "PASSWORD_RESET",
        now: ctx.clock.now(),
      });
      await sendPasswordResetEmail(tx, { to: user.email, token });
      await recordAudit(
        tx,
        { ...ctx, actor: ANONYMOUS },
        { ...userTarget(user.id), action: "user.password_reset_requested" },
      );
    });
  }
  return { accepted: true };
}

/** Whether a reset link is still usable (the page shows the form or the problem). */
export async function checkResetToken(
  ctx: Ctx,
  token: string,
): Promise<{ valid: true } | { valid: false; message: string }> {
  const check = await peekUserToken(accountDb(ctx), {
    token,
    purpose: "PASSWORD_RESET",
    now: ctx.clock.now(),
  });
  if (check.ok) return { valid: true };
  return {
    valid: false,
    message: new AppError({
      code: "INVALID_TOKEN",
      purpose: "PASSWORD_RESET",
      reason: check.reason,
    }).message,
  };
}

/** Sets a new password from a reset link and signs the user out everywhere. */
export async function resetPassword(
  ctx: Ctx,
  input: { token: string; password: string },
): Promise<{ email: string }> {
  if (ctx.ip) await throttle(ctx, `reset:ip:${ctx.ip}`, RESET_BACKOFF_PER_IP);
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  const email = await accountDb(ctx).$transaction(async (tx) => {
    const check = await consumeUserToken(tx, {
      token: input.token,
      purpose: "PASSWORD_RESET",
      now,
    });
    if (!check.ok)
      throw new AppError({
        code: "INVALID_TOKEN",
        purpose: "PASSWORD_RESET",
        reason: check.reason,
      });
    const user = await tx.user.findUniqueOrThrow({
      where: { id: check.userId },
      select: { id: true, email: true, status: true, emailVerified: true },
    });
    if (user.status !== "ACTIVE")
      throw new AppError({ code: "INVALID_TOKEN", purpose: "PASSWORD_RESET", reason: "invalid" });
    // The link proves the mailbox is theirs, so it verifies the address too.
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, ...(user.emailVerified ? {} : { emailVerified: now }) },
    });
    const signedOut = await tx.session.deleteMany({ where: { userId: user.id } });
    await tx.userToken.updateMany({
      where: { userId: user.id, purpose: "PASSWORD_RESET", usedAt: null },
      data: { usedAt: now },
    });
    await sendPasswordChangedEmail(tx, { to: user.email, when: now });
    await recordAudit(
      tx,
      { ...ctx, actor: ANONYMOUS },
      {
        ...userTarget(user.id),
        action: "user.password_reset",
        changes: { sessionsRevoked: { to: signedOut.count } },
      },
    );
    return user.email;
  });
  await resetRateLimit(accountDb(ctx), `signin:email:${email}`);
  return { email };
}

// ─── Password change ─────────────────────────────────────────────────────────────────────

/**
 * Changes (or, for an OAuth-only account, sets) the password. Needs the current password when
 * there is one; signs out every other session (this device stays signed in).
 */
export async function changePassword(
  ctx: UserCtx,
  input: { currentPassword?: string | undefined; newPassword: string },
): Promise<{ otherSessionsRevoked: number }> {
  await throttle(ctx, `password:user:${ctx.actor.user.id}`, SIGN_IN_BACKOFF_PER_ACCOUNT);
  const user = await accountDb(ctx).user.findUniqueOrThrow({
    where: { id: ctx.actor.user.id },
    select: { email: true, passwordHash: true },
  });
  if (user.passwordHash) {
    const valid = await verifyPassword(user.passwordHash, input.currentPassword ?? "");
    if (!valid) throw new AppError({ code: "WRONG_PASSWORD" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  const revoked = await accountDb(ctx).$transaction(async (tx) => {
    await tx.user.update({ where: { id: ctx.actor.user.id }, data: { passwordHash } });
    const deleted = await tx.session.deleteMany({
      where: {
        userId: ctx.actor.user.id,
        ...(ctx.actor.sessionToken ? { sessionToken: { not: ctx.actor.sessionToken } } : {}),
      },
    });
    await tx.userToken.updateMany({
      where: { userId: ctx.actor.user.id, purpose: "PASSWORD_RESET", usedAt: null },
      data: { usedAt: now },
    });
    await sendPasswordChangedEmail(tx, { to: user.email, when: now });
    await recordAudit(tx, ctx, {
      ...userTarget(ctx.actor.user.id),
      action: user.passwordHash ? "user.password_changed" : "user.password_set",
      changes: { sessionsRevoked: { to: deleted.count } },
    });
    return deleted.count;
  });
  await resetRateLimit(accountDb(ctx), `password:user:${ctx.actor.user.id}`);
  return { otherSessionsRevoked: revoked };
}

// ─── Sessions ────────────────────────────────────────────────────────────────────────────

export interface SessionSummary {
  id: string;
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: Date;
  expires: Date;
  current: boolean;
}

export async function listSessions(ctx: UserCtx): Promise<SessionSummary[]> {
  const rows = await accountDb(ctx).session.findMany({
    where: { userId: ctx.actor.user.id, expires: { gt: ctx.clock.now() } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      sessionToken: true,
      ipAddress: true,
      userAgent: true,
      createdAt: true,
      expires: true,
    },
  });
  // The token is compared here and dropped: it never leaves the server.
  return rows.map(({ sessionToken, ...row }) => ({
    ...row,
    current: sessionToken === ctx.actor.sessionToken,
  }));
}

export async function revokeSession(
  ctx: UserCtx,
  sessionId: string,
): Promise<{ revoked: true; current: boolean }> {
  return accountDb(ctx).$transaction(async (tx) => {
    const session = await tx.session.findFirst({
      where: { id: sessionId, userId: ctx.actor.user.id },
      select: { id: true, sessionToken: true },
    });
    if (!session) throw notFound("Session");
    await tx.session.delete({ where: { id: session.id } });
    await recordAudit(tx, ctx, {
      ...userTarget(ctx.actor.user.id),
      action: "user.session_revoked",
      changes: { session: { from: session.id } },
    });
    return { revoked: true as const, current: session.sessionToken === ctx.actor.sessionToken };
  });
}

/** "Sign out of all devices": every session, this one included. */
export async function signOutEverywhere(ctx: UserCtx): Promise<{ revoked: number }> {
  return accountDb(ctx).$transaction(async (tx) => {
    const deleted = await tx.session.deleteMany({ where: { userId: ctx.actor.user.id } });
    await recordAudit(tx, ctx, {
      ...userTarget(ctx.actor.user.id),
      action: "user.signed_out_everywhere",
      changes: { sessionsRevoked: { to: deleted.count } },
    });
    return { revoked: deleted.count };
  });
}

// ─── Profile ─────────────────────────────────────────────────────────────────────────────

export async function getProfile(ctx: UserCtx) {
  const user = await accountDb(ctx).user.findUniqueOrThrow({
    where: { id: ctx.actor.user.id },
    select: {
      id: true,
      email: true,
      name: true,
      image: true,
      emailVerified: true,
      preferences: true,
      createdAt: true,
      passwordHash: true,
    },
  });
  const { passwordHash, preferences, ...rest } = user;
  const parsed = userPreferencesSchema.safeParse(preferences);
  return {
    ...rest,
    hasPassword: passwordHash !== null,
    preferences: parsed.success ? parsed.data : userPreferencesSchema.parse({}),
  };
}

export async function updateProfile(
  ctx: UserCtx,
  input: {
    name?: string | undefined;
    image?: string | null | undefined;
    preferences?: Partial<UserPreferences> | undefined;
  },
) {
  return accountDb(ctx).$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({
      where: { id: ctx.actor.user.id },
      select: { name: true, image: true, preferences: true },
    });
    const current = userPreferencesSchema.safeParse(before.preferences);
    const preferences = input.preferences
      ? userPreferencesSchema.parse({
          ...(current.success ? current.data : {}),
          ...input.preferences,
        })
      : undefined;
    const data = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.image !== undefined ? { image: input.image } : {}),
      ...(preferences ? { preferences: preferences as Prisma.InputJsonValue } : {}),
    };
    await tx.user.update({ where: { id: ctx.actor.user.id }, data });
    const changes = changedFields(
      {
        name: before.name,
        image: before.image,
        preferences: JSON.stringify(current.success ? current.data : {}),
      },
      {
        name: input.name,
        image: input.image,
        preferences: preferences ? JSON.stringify(preferences) : undefined,
      },
    );
    if (Object.keys(changes).length > 0) {
      await recordAudit(tx, ctx, {
        ...userTarget(ctx.actor.user.id),
        action: "user.profile_updated",
        changes,
      });
    }
    return { updated: true as const };
  });
}

// ─── Sign-in methods ─────────────────────────────────────────────────────────────────────

export type SignInMethod =
  { kind: "password" } | { kind: "oauth"; provider: string; linkedAt: Date };

export async function listSignInMethods(ctx: UserCtx): Promise<SignInMethod[]> {
  const user = await accountDb(ctx).user.findUniqueOrThrow({
    where: { id: ctx.actor.user.id },
    select: {
      passwordHash: true,
      accounts: { select: { provider: true, createdAt: true }, orderBy: { createdAt: "asc" } },
    },
  });
  return [
    ...(user.passwordHash ? [{ kind: "password" as const }] : []),
    ...user.accounts.map((a) => ({
      kind: "oauth" as const,
      provider: a.provider,
      linkedAt: a.createdAt,
    })),
  ];
}

/** Removes a sign-in method; never the last one (a password counts as one). */
export async function unlinkSignInMethod(
  ctx: UserCtx,
  method: { kind: "password" } | { kind: "oauth"; provider: string },
) {
  return accountDb(ctx).$transaction(async (tx) => {
    // Lock the user row: two concurrent unlinks cannot both see "two methods left".
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${ctx.actor.user.id} FOR UPDATE`;
    const user = await tx.user.findUniqueOrThrow({
      where: { id: ctx.actor.user.id },
      select: { passwordHash: true, accounts: { select: { id: true, provider: true } } },
    });
    const total = (user.passwordHash ? 1 : 0) + user.accounts.length;
    const target =
      method.kind === "password"
        ? user.passwordHash
          ? "password"
          : null
        : user.accounts.find((a) => a.provider === method.provider);
    if (!target) throw notFound("Sign-in method");
    if (total <= 1) {
      throw new AppError({
        code: "INVALID_STATE",
        detail: "This is your only way to sign in: add another method before removing it",
      });
    }
    if (target === "password")
      await tx.user.update({ where: { id: ctx.actor.user.id }, data: { passwordHash: null } });
    else await tx.account.delete({ where: { id: target.id } });
    const name = method.kind === "password" ? "password" : method.provider;
    await recordAudit(tx, ctx, {
      ...userTarget(ctx.actor.user.id),
      action: "user.sign_in_method_removed",
      changes: { method: { from: name } },
    });
    return { removed: name };
  });
}

// ─── Account deletion ────────────────────────────────────────────────────────────────────

export interface DeletionPlan {
  /** Organizations where the user is the only member: deleted with the account. */
  deleted: { id: string; name: string }[];
  /** Organizations that keep going without the user (other owners remain). */
  left: { id: string; name: string }[];
  /** Blockers: sole owner with other members, or a paid subscription still running. */
  blockers: { id: string; name: string; reason: string }[];
}

export async function planAccountDeletion(
  db: TransactionClient,
  modules: readonly AnyModule[],
  userId: string,
): Promise<DeletionPlan> {
  const memberships = await db.membership.findMany({
    where: { userId },
    select: {
      role: true,
      organization: {
        select: {
          id: true,
          name: true,
          memberships: { select: { userId: true, role: true } },
          subscription: { select: { provider: true, status: true, cancelAtPeriodEnd: true } },
        },
      },
    },
  });
  const plan: DeletionPlan = { deleted: [], left: [], blockers: [] };
  for (const { role, organization } of memberships) {
    const others = organization.memberships.filter((m) => m.userId !== userId);
    const ref = { id: organization.id, name: organization.name };
    if (others.length === 0) {
      const sub = organization.subscription;
      if (
        (sub?.provider === "STRIPE" || sub?.provider === "RAZORPAY") &&
        ["ACTIVE", "TRIALING", "PAST_DUE"].includes(sub.status) &&
        !sub.cancelAtPeriodEnd
      ) {
        plan.blockers.push({
          ...ref,
          reason: "has a paid subscription: cancel it before deleting your account",
        });
      } else {
        const reasons = await organizationDeletionBlockers(db, modules, organization.id);
        if (reasons.length > 0) plan.blockers.push({ ...ref, reason: reasons.join("; ") });
        else plan.deleted.push(ref);
      }
    } else if (role === "OWNER" && !others.some((m) => m.role === "OWNER")) {
      plan.blockers.push({
        ...ref,
        reason: "you are its only owner: transfer ownership or delete the organization first",
      });
    } else {
      plan.left.push(ref);
    }
  }
  return plan;
}

export async function deletionPreview(ctx: UserCtx): Promise<DeletionPlan> {
  return planAccountDeletion(accountDb(ctx), ctx.product.modules, ctx.actor.user.id);
}

/**
 * Deletes the account: refused while it is the sole owner of an organization with other
 * members (or of a paid one). Organizations where it is the only member go with it. The user
 * row is kept as an anonymised tombstone (status DELETED; audit entries keep their actor id),
 * its email freed for a new sign-up; every module erases its part (personal-data.ts).
 */
export async function deleteAccount(
  ctx: UserCtx,
  input: { confirmEmail: string },
): Promise<DeletionPlan> {
  if (input.confirmEmail.trim().toLowerCase() !== ctx.actor.user.email.toLowerCase()) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "Type your email address exactly to confirm",
    });
  }
  const now = ctx.clock.now();
  return accountDb(ctx).$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${ctx.actor.user.id} FOR UPDATE`;
    const plan = await planAccountDeletion(tx, ctx.product.modules, ctx.actor.user.id);
    if (plan.blockers.length > 0) {
      throw new AppError({
        code: "INVALID_STATE",
        detail: `Your account cannot be deleted yet: ${plan.blockers.map((b) => `${b.name} ${b.reason}`).join("; ")}`,
      });
    }
    for (const org of plan.left) {
      await tx.membership.deleteMany({
        where: { organizationId: org.id, userId: ctx.actor.user.id },
      });
      await recordAudit(tx, ctx, {
        organizationId: org.id,
        action: "member.left",
        targetType: "user",
        targetId: ctx.actor.user.id,
        changes: { reason: { to: "account deleted" } },
      });
    }
    for (const org of plan.deleted) {
      await enqueueBillingCustomerDeletion(tx, org.id);
      await eraseOrganization(tx, ctx.product.modules, org.id);
    }
    // Every module's part (core's: sessions, sign-in methods, tokens, memberships, consents).
    await eraseUserData(tx, ctx.product.modules, ctx.actor.user.id);
    await tx.user.update({
      where: { id: ctx.actor.user.id },
      data: {
        status: "DELETED",
        deletedAt: now,
        email: `deleted-${ctx.actor.user.id}@deleted.invalid`,
        name: null,
        image: null,
        passwordHash: null,
        emailVerified: null,
        preferences: {},
      },
    });
    await recordAudit(tx, ctx, {
      ...userTarget(ctx.actor.user.id),
      action: "user.deleted",
      changes: {
        organizationsDeleted: { to: plan.deleted.map((o) => o.id) },
        organizationsLeft: { to: plan.left.map((o) => o.id) },
      },
    });
    return plan;
  });
}

// ─── Activity ────────────────────────────────────────────────────────────────────────────

export async function accountActivity(ctx: UserCtx) {
  return accountDb(ctx).auditLog.findMany({
    where: { organizationId: null, targetType: "user", targetId: ctx.actor.user.id },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, action: true, ipAddress: true, createdAt: true, changes: true },
  });
}
