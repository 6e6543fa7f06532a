// Integration (real PostgreSQL): every token rule of email verification and password reset,
// password change/reset revoking sessions, session management, sign-in methods, account
// deletion, the unverified-email gate, throttling — and that nothing a caller or the log sees
// contains a token, a password or a hash.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@plinth/trpc/testing";
import { verifyPassword } from "@plinth/auth/password";
import { hashToken } from "@plinth/auth/tokens";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import type { SessionUser } from "@plinth/core/scope";
import { appRouter } from "./kit.ts";
import { createLogger } from "@plinth/core/logger";
import { AppError, type AppErrorData } from "@plinth/core/errors";
import {
  createCallerFactory,
  createContext,
  createTRPCRouter,
  protectedProcedure,
  verifiedEmail,
} from "@plinth/trpc";
import { addMember, createOrganization, product } from "./kit.ts";

let db: TestDatabase;
const createCaller = createCallerFactory(appRouter);
const logLines: string[] = [];
const logger = createLogger({ destination: { write: (line) => logLines.push(line) } });
/** Every result and error message a caller saw (checked for secrets at the end). */
const seen: string[] = [];

function caller(
  user: SessionUser | null,
  options: { ip?: string; sessionToken?: string; now?: () => Date } = {},
) {
  const c = createCaller(
    createContext({
      database: db,
      product,
      user,
      requestId: "identity-test",
      ipAddress: options.ip ?? "203.0.113.50",
      sessionToken: options.sessionToken ?? null,
      logger,
      ...(options.now ? { clock: { now: options.now } } : {}),
    }),
  );
  return c;
}

async function record<T>(promise: Promise<T>): Promise<T> {
  try {
    const result = await promise;
    seen.push(JSON.stringify(result));
    return result;
  } catch (error) {
    seen.push(
      error instanceof Error
        ? `${error.message} ${JSON.stringify((error as TRPCError).cause ?? null)}`
        : String(error),
    );
    throw error;
  }
}

async function appErrorOf(promise: Promise<unknown>): Promise<AppErrorData | null> {
  const error = await record(promise).then(
    () => null,
    (e: unknown) => e,
  );
  if (error instanceof TRPCError && error.cause instanceof AppError) return error.cause.data;
  throw new Error(`expected an AppError, got ${String(error)}`);
}

async function lastLink(to: string, path: string): Promise<string> {
  const email = await db.system.email.findFirstOrThrow({
    where: { to, text: { contains: path } },
    orderBy: { createdAt: "desc" },
  });
  const match = new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(email.text);
  if (!match?.[1]) throw new Error(`no ${path} link in ${email.text}`);
  return match[1];
}

async function signUp(email: string, password = "first password 123") {
  const result = await record(
    caller(null, { ip: `198.51.100.${Math.floor(Math.random() * 250)}` }).account.signUp({
      name: email.split("@")[0] ?? "x",
      email,
      password,
    }),
  );
  const row = await db.system.user.findUniqueOrThrow({
    where: { email },
    include: { memberships: { select: { organizationId: true } } },
  });
  const user: SessionUser = {
    id: row.id,
    email: row.email,
    name: row.name,
    platformRole: "USER",
    status: "ACTIVE",
  };
  // The trial organization sign-up made (the answer itself is the same for every address).
  const organizationId = row.memberships[0]?.organizationId ?? null;
  return { user, result, organizationId, password };
}

const secrets: string[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("email verification", () => {
  it("sign-up sends a verification link; only the token's hash is stored", async () => {
    const { user } = await signUp("vera@example.com");
    const token = await lastLink("vera@example.com", "/verify-email");
    secrets.push(token);
    const rows = await db.system.userToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(
      (await db.system.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified,
    ).toBeNull();
    // The form says creating the account accepts the terms in force: the record is there.
    const terms = (await caller(user).account.consents()).find((c) => c.kind === "TERMS");
    expect(terms).toMatchObject({ valid: true, latest: { granted: true } });
  });

  it("wrong, foreign, expired and reused tokens: a clear message and no state change", async () => {
    const { user } = await signUp("tok@example.com");
    const first = await lastLink("tok@example.com", "/verify-email");
    secrets.push(first);
    const unverified = async () =>
      (await db.system.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified;

    expect(
      await appErrorOf(
        caller(null).account.verifyEmail({ token: "not-a-real-token-at-all-000000000" }),
      ),
    ).toEqual({
      code: "INVALID_TOKEN",
      purpose: "EMAIL_VERIFICATION",
      reason: "invalid",
    });

    // Foreign: a password-reset token is not a verification token (and is not spent by trying).
    await caller(null).account.requestPasswordReset({ email: "tok@example.com" });
    const resetToken = await lastLink("tok@example.com", "/reset-password");
    secrets.push(resetToken);
    expect(await appErrorOf(caller(null).account.verifyEmail({ token: resetToken }))).toMatchObject(
      { reason: "invalid" },
    );
    expect(
      (await db.system.userToken.findUniqueOrThrow({ where: { tokenHash: hashToken(resetToken) } }))
        .usedAt,
    ).toBeNull();

    // Expired: 25 hours later.
    const later = () => new Date(Date.now() + 25 * 3600_000);
    const expired = await appErrorOf(
      caller(null, { now: later }).account.verifyEmail({ token: first }),
    );
    expect(expired).toMatchObject({ reason: "expired" });
    expect(await unverified()).toBeNull();

    // Resend retires the first link.
    await record(caller(user).account.resendVerification());
    const second = await lastLink("tok@example.com", "/verify-email");
    secrets.push(second);
    expect(second).not.toBe(first);
    expect(await appErrorOf(caller(null).account.verifyEmail({ token: first }))).toMatchObject({
      reason: "used",
    });
    expect(await unverified()).toBeNull();

    // The current link works once.
    expect(await record(caller(null).account.verifyEmail({ token: second }))).toEqual({
      email: "tok@example.com",
    });
    expect(await unverified()).toBeInstanceOf(Date);
    const error = await appErrorOf(caller(null).account.verifyEmail({ token: second }));
    expect(error).toMatchObject({ reason: "used" });
    expect(new AppError(error as AppErrorData).message).toMatch(/already used/);
    // Verified: resend is refused.
    expect(await appErrorOf(caller(user).account.resendVerification())).toMatchObject({
      code: "INVALID_STATE",
    });

    const audit = await db.system.auditLog.findMany({
      where: { targetId: user.id, organizationId: null },
      select: { action: true },
    });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["user.email_verified", "user.verification_sent"]),
    );
  });

  it("unverified users can work in their organization but not pass verifiedEmail", async () => {
    const { user, organizationId } = await signUp("gate@example.com");
    // A project in their own organization: allowed.
    await record(caller(user).project.create({ organizationId: organizationId!, name: "First" }));
    const gated = createCallerFactory(
      createTRPCRouter({
        invite: protectedProcedure.use(verifiedEmail).mutation(() => "ok"),
      }),
    );
    const call = () => gated(createContext({ database: db, product, user, logger })).invite();
    expect(await appErrorOf(call())).toEqual({ code: "EMAIL_NOT_VERIFIED" });
    await db.system.user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
    expect(await call()).toBe("ok");
  });
});

describe("password reset", () => {
  it("answers the same for existing, unknown and suspended accounts; only a real account gets an email", async () => {
    await signUp("real@example.com");
    const suspended = await signUp("susp@example.com");
    await db.system.user.update({
      where: { id: suspended.user.id },
      data: { status: "SUSPENDED" },
    });
    const before = await db.system.email.count({ where: { template: "password-reset" } });
    const answers = await Promise.all(
      ["real@example.com", "nobody@example.com", "susp@example.com"].map((email) =>
        record(caller(null, { ip: "192.0.2.1" }).account.requestPasswordReset({ email })),
      ),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await db.system.email.count({ where: { template: "password-reset" } })).toBe(before + 1);
    expect(
      await db.system.email.count({
        where: { template: "password-reset", to: "nobody@example.com" },
      }),
    ).toBe(0);
  });

  it("resets the password with a valid link, signs out every session, and the link is single-use", async () => {
    const { user, password } = await signUp("reset@example.com");
    await db.system.session.createMany({
      data: [1, 2, 3].map((n) => ({
        sessionToken: `reset-session-${n}`,
        userId: user.id,
        expires: new Date(Date.now() + 86_400_000),
      })),
    });
    await caller(null).account.requestPasswordReset({ email: "reset@example.com" });
    const token = await lastLink("reset@example.com", "/reset-password");
    secrets.push(token, "brand new password 1", "another new password 2", password);

    expect(await record(caller(null).account.checkResetToken({ token }))).toEqual({ valid: true });
    expect(
      await appErrorOf(
        caller(null).account.resetPassword({
          token: `${token}x`,
          password: "brand new password 1",
        }),
      ),
    ).toMatchObject({ reason: "invalid" });
    expect(
      await appErrorOf(
        caller(null, { now: () => new Date(Date.now() + 31 * 60_000) }).account.resetPassword({
          token,
          password: "brand new password 1",
        }),
      ),
    ).toMatchObject({
      reason: "expired",
    });
    expect(await db.system.session.count({ where: { userId: user.id } })).toBe(3);

    expect(
      await record(caller(null).account.resetPassword({ token, password: "brand new password 1" })),
    ).toEqual({ email: "reset@example.com" });
    const row = await db.system.user.findUniqueOrThrow({ where: { id: user.id } });
    secrets.push(row.passwordHash ?? "");
    expect(await verifyPassword(row.passwordHash, "brand new password 1")).toBe(true);
    expect(await db.system.session.count({ where: { userId: user.id } })).toBe(0);
    expect(row.emailVerified).toBeInstanceOf(Date);
    expect(
      await db.system.email.count({
        where: { to: "reset@example.com", template: "password-changed" },
      }),
    ).toBe(1);

    // Reused: refused, password unchanged.
    expect(
      await appErrorOf(
        caller(null).account.resetPassword({ token, password: "another new password 2" }),
      ),
    ).toMatchObject({ reason: "used" });
    expect(
      await verifyPassword(
        (await db.system.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash,
        "brand new password 1",
      ),
    ).toBe(true);
    expect(await record(caller(null).account.checkResetToken({ token }))).toMatchObject({
      valid: false,
    });
  });

  it("a verification token cannot reset a password", async () => {
    await signUp("foreign@example.com");
    const verify = await lastLink("foreign@example.com", "/verify-email");
    expect(
      await appErrorOf(
        caller(null).account.resetPassword({ token: verify, password: "attacker password 1" }),
      ),
    ).toMatchObject({
      purpose: "PASSWORD_RESET",
      reason: "invalid",
    });
  });

  it("throttles reset attempts per IP with growing delays", async () => {
    const ip = "192.0.2.200";
    const attempts: (AppErrorData | null)[] = [];
    for (let i = 0; i < 12; i++) {
      attempts.push(
        await appErrorOf(
          caller(null, { ip }).account.resetPassword({
            token: `guess-${i}-aaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
            password: "some password 123",
          }),
        ),
      );
    }
    expect(attempts.slice(0, 10).every((e) => e?.code === "INVALID_TOKEN")).toBe(true);
    expect(attempts.at(-1)).toMatchObject({ code: "RATE_LIMITED" });
    // Another IP is unaffected.
    expect(
      await appErrorOf(
        caller(null, { ip: "192.0.2.201" }).account.resetPassword({
          token: "guess-x-aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          password: "some password 123",
        }),
      ),
    ).toMatchObject({
      code: "INVALID_TOKEN",
    });
  });
});

describe("password change and sessions", () => {
  it("needs the current password; signs out every other session but this one", async () => {
    const { user, password } = await signUp("change@example.com");
    const expires = new Date(Date.now() + 86_400_000);
    await db.system.session.createMany({
      data: ["this-device", "laptop", "phone"].map((t) => ({
        sessionToken: `change-${t}`,
        userId: user.id,
        expires,
        userAgent: t,
      })),
    });
    const me = caller(user, { sessionToken: "change-this-device" });
    expect(
      await appErrorOf(
        me.account.changePassword({
          currentPassword: "not my password",
          newPassword: "new password 9999",
        }),
      ),
    ).toEqual({ code: "WRONG_PASSWORD" });
    expect(await db.system.session.count({ where: { userId: user.id } })).toBe(3);
    expect(
      await verifyPassword(
        (await db.system.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash,
        password,
      ),
    ).toBe(true);

    expect(
      await record(
        me.account.changePassword({ currentPassword: password, newPassword: "new password 9999" }),
      ),
    ).toEqual({ otherSessionsRevoked: 2 });
    expect(
      (await db.system.session.findMany({ where: { userId: user.id } })).map((s) => s.sessionToken),
    ).toEqual(["change-this-device"]);
    expect(
      await verifyPassword(
        (await db.system.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash,
        "new password 9999",
      ),
    ).toBe(true);
    secrets.push("new password 9999");
  });

  it("lists sessions without their tokens, revokes one, and signs out everywhere", async () => {
    const { user } = await signUp("sessions@example.com");
    const expires = new Date(Date.now() + 86_400_000);
    await db.system.session.createMany({
      data: [
        {
          sessionToken: "sess-secret-current",
          userId: user.id,
          expires,
          ipAddress: "203.0.113.1",
          userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140",
        },
        { sessionToken: "sess-secret-other", userId: user.id, expires, ipAddress: "203.0.113.2" },
        { sessionToken: "sess-secret-old", userId: user.id, expires: new Date(Date.now() - 1000) },
      ],
    });
    secrets.push("sess-secret-current", "sess-secret-other");
    const me = caller(user, { sessionToken: "sess-secret-current" });
    const list = await record(me.account.sessions());
    expect(list.map((s) => [s.ipAddress, s.current])).toEqual(
      expect.arrayContaining([
        ["203.0.113.1", true],
        ["203.0.113.2", false],
      ]),
    );
    expect(list).toHaveLength(2);
    const other = list.find((s) => !s.current);
    if (!other) throw new Error("no other session");

    // Someone else cannot revoke it.
    const stranger = await signUp("stranger@example.com");
    expect(
      await appErrorOf(caller(stranger.user).account.revokeSession({ sessionId: other.id })),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(await record(me.account.revokeSession({ sessionId: other.id }))).toEqual({
      revoked: true,
      current: false,
    });
    expect(await db.system.session.count({ where: { userId: user.id } })).toBe(2);

    expect(await record(me.account.signOutEverywhere())).toEqual({ revoked: 2 });
    expect(await db.system.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("a suspended user is refused by every signed-in procedure", async () => {
    const { user } = await signUp("suspended-now@example.com");
    expect(await appErrorOf(caller({ ...user, status: "SUSPENDED" }).account.profile())).toEqual({
      code: "ACCOUNT_DISABLED",
    });
  });
});

describe("profile and sign-in methods", () => {
  it("validates preferences with zod and audits the change", async () => {
    const { user } = await signUp("profile@example.com");
    const me = caller(user);
    await expect(
      me.account.updateProfile({ preferences: { timezone: "Mars/Olympus" } }),
    ).rejects.toThrow();
    await expect(me.account.updateProfile({ image: "javascript:alert(1)" })).rejects.toThrow();
    await record(
      me.account.updateProfile({
        name: "Pro File",
        image: "https://example.com/a.png",
        preferences: { theme: "dark", timezone: "Europe/Paris" },
      }),
    );
    expect(await me.account.profile()).toMatchObject({
      name: "Pro File",
      image: "https://example.com/a.png",
      hasPassword: true,
      preferences: { theme: "dark", timezone: "Europe/Paris" },
    });
    const activity = await me.account.activity();
    expect(activity[0]).toMatchObject({ action: "user.profile_updated" });
  });

  it("never removes the last sign-in method (a password counts)", async () => {
    const { user } = await signUp("methods@example.com");
    const me = caller(user);
    expect(await me.account.signInMethods()).toEqual([{ kind: "password" }]);
    expect(await appErrorOf(me.account.unlinkSignInMethod({ kind: "password" }))).toMatchObject({
      code: "INVALID_STATE",
    });

    await db.system.account.create({
      data: { userId: user.id, type: "oidc", provider: "oidc", providerAccountId: "sub-1" },
    });
    expect(await record(me.account.unlinkSignInMethod({ kind: "password" }))).toEqual({
      removed: "password",
    });
    expect(await me.account.signInMethods()).toMatchObject([{ kind: "oauth", provider: "oidc" }]);
    expect(
      await appErrorOf(me.account.unlinkSignInMethod({ kind: "oauth", provider: "oidc" })),
    ).toMatchObject({ code: "INVALID_STATE" });
    expect(
      await appErrorOf(me.account.unlinkSignInMethod({ kind: "oauth", provider: "github" })),
    ).toMatchObject({ code: "NOT_FOUND" });

    // Setting a password back (no current one needed when there is none).
    await record(me.account.changePassword({ newPassword: "a fresh password 1" }));
    expect(await me.account.signInMethods()).toHaveLength(2);
  });
});

describe("account deletion", () => {
  it("refuses a sole owner of an organization with other members; deletes solo organizations", async () => {
    const { user: owner, organizationId: soloId } = await signUp("owner@example.com");
    const member = await signUp("member@example.com");
    const shared = await createOrganization(db, owner, "Shared Org");
    await addMember(db, shared.id, member.user, "MEMBER");

    const me = caller(owner);
    expect((await me.account.deletionPreview()).blockers.map((b) => b.name)).toEqual([
      "Shared Org",
    ]);
    expect(
      await appErrorOf(me.account.deleteAccount({ confirmEmail: "owner@example.com" })),
    ).toMatchObject({ code: "INVALID_STATE" });
    expect(await db.system.user.findUniqueOrThrow({ where: { id: owner.id } })).toMatchObject({
      status: "ACTIVE",
    });

    // Transfer ownership (the Teams feature's job; done directly here), then delete.
    await db.system.membership.updateMany({
      where: { organizationId: shared.id, userId: member.user.id },
      data: { role: "OWNER" },
    });
    expect(
      await appErrorOf(me.account.deleteAccount({ confirmEmail: "someone@else.com" })),
    ).toMatchObject({ code: "INVALID_STATE" });
    const plan = await record(me.account.deleteAccount({ confirmEmail: "Owner@Example.com" }));
    expect(plan.deleted.map((o) => o.id)).toEqual([soloId]);
    expect(plan.left.map((o) => o.id)).toEqual([shared.id]);

    expect(await db.system.organization.findUnique({ where: { id: soloId! } })).toBeNull();
    expect(await db.system.membership.count({ where: { organizationId: shared.id } })).toBe(1);
    const tombstone = await db.system.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(tombstone).toMatchObject({ status: "DELETED", passwordHash: null, name: null });
    expect(tombstone.email).not.toContain("owner@example.com");
    // The address is free again.
    await signUp("owner@example.com");
  });
});

describe("no secrets in responses or logs", () => {
  it("never shows a token, password or password hash", async () => {
    const hashes = (await db.system.user.findMany({ select: { passwordHash: true } })).flatMap(
      (u) => (u.passwordHash ? [u.passwordHash] : []),
    );
    const tokenHashes = (await db.system.userToken.findMany({ select: { tokenHash: true } })).map(
      (t) => t.tokenHash,
    );
    const haystack = [...seen, ...logLines].join("\n");
    expect(seen.length).toBeGreaterThan(20);
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of [...secrets, ...hashes, ...tokenHashes, "first password 123"].filter(
      (s) => s.length >= 8,
    )) {
      expect(haystack.includes(secret), `leaked: ${secret.slice(0, 6)}…`).toBe(false);
    }
    expect(haystack).not.toMatch(/\$argon2id\$/);
  });
});
