import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TRPCError } from "@trpc/server";
import { verifyPassword } from "@plinth/auth/password";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import type { AppError } from "@plinth/core/errors";
import { callerFor } from "./kit.ts";

let db: TestDatabase;
const anonymous = () => callerFor(db, null, { requestId: "test-signup", ip: "203.0.113.9" });

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe("account.signUp", () => {
  it("creates the user with an argon2id hash and their first organization (owner, trial)", async () => {
    const result = await anonymous().account.signUp({
      name: "Ada Lovelace",
      email: "  Ada@Example.com ",
      password: "correct horse battery",
    });
    expect(result).toEqual({ accepted: true });
    const user = await db.system.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(user.passwordHash, "wrong password!")).toBe(false);

    const memberships = await db.system.membership.findMany({
      where: { userId: user.id },
      include: { organization: { include: { subscription: true } } },
    });
    expect(memberships).toHaveLength(1);
    expect(memberships[0]?.role).toBe("OWNER");
    expect(memberships[0]?.organization.subscription?.status).toBe("TRIALING");
    const organizationId = memberships[0]!.organizationId;

    const audit = await db.system.auditLog.findFirstOrThrow({ where: { organizationId } });
    expect(audit).toMatchObject({
      action: "organization.created",
      actorId: user.id,
      ipAddress: "203.0.113.9",
    });

    // The new user can use their organization straight away.
    const caller = callerFor(db, {
      id: user.id,
      email: user.email,
      name: user.name,
      platformRole: "USER",
      status: "ACTIVE",
    });
    expect((await caller.organization.list()).map((o) => o.id)).toEqual([organizationId]);
  });

  it("answers a registered address exactly like a new one, changes nothing, and emails its owner", async () => {
    const signUpOver = (email: string) =>
      // Over the real HTTP shape of a tRPC answer: what a client (or an attacker) sees.
      anonymous()
        .account.signUp({ name: "Someone", email, password: "another password" })
        .then((data) => JSON.stringify({ result: { data } }));
    await anonymous().account.signUp({
      name: "Ada",
      email: "ada.again@example.com",
      password: "the first password",
    });
    const existing = await db.system.user.findUniqueOrThrow({
      where: { email: "ada.again@example.com" },
    });
    const before = {
      organizations: await db.system.organization.count(),
      users: await db.system.user.count(),
    };

    const forNew = await signUpOver("grace@example.com");
    const forExisting = await signUpOver("ADA.again@example.com ");
    expect(forExisting).toBe(forNew);

    // Nothing about Ada's account changed; only Grace got a user and an organization.
    expect(await db.system.user.findUniqueOrThrow({ where: { id: existing.id } })).toEqual(
      existing,
    );
    expect(await db.system.user.count()).toBe(before.users + 1);
    expect(await db.system.organization.count()).toBe(before.organizations + 1);

    // Ada hears about it through the usual email path (a stored email and its send job).
    const notices = await db.system.email.findMany({
      where: { to: "ada.again@example.com", template: "sign-up-attempted" },
    });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe("Someone tried to sign up with your email address");
    expect(notices[0]!.text).toContain("/sign-in");
    expect(notices[0]!.text).toContain("/forgot-password");
    const jobs = await db.system.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'email.send' AND j.payload->>'emailId' = ${notices[0]!.id}`;
    expect(Number(jobs[0]?.n)).toBe(1);
    expect(
      await db.system.auditLog.count({
        where: {
          targetId: existing.id,
          action: "user.sign_up_attempted",
          ipAddress: "203.0.113.9",
        },
      }),
    ).toBe(1);
    // Grace got the ordinary verification email, and no notice.
    expect(
      await db.system.email.count({ where: { to: "grace@example.com", template: "verify-email" } }),
    ).toBe(1);
    expect(
      await db.system.email.count({
        where: { to: "grace@example.com", template: "sign-up-attempted" },
      }),
    ).toBe(0);
  });

  it("emails the owner of a registered address a few times an hour at most, answering alike", async () => {
    const attempt = () =>
      anonymous().account.signUp({
        name: "Again",
        email: "hopper@example.com",
        password: "another password",
      });
    await attempt(); // creates the account
    for (let i = 0; i < 8; i++) expect(await attempt()).toEqual({ accepted: true });
    // The per-address throttle of "forgot password": 3 free, a 4th that starts a 60 s delay,
    // the rest held back.
    expect(
      await db.system.email.count({
        where: { to: "hopper@example.com", template: "sign-up-attempted" },
      }),
    ).toBe(4);
  });

  it("validates input: short passwords and bad emails are field errors", async () => {
    await expect(
      anonymous().account.signUp({ name: "Bob", email: "bob@example.com", password: "short" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      anonymous().account.signUp({
        name: "Bob",
        email: "not-an-email",
        password: "long enough password",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.system.user.count({ where: { name: "Bob" } })).toBe(0);
  });

  it("verifyPassword without a hash still answers false (dummy verification)", async () => {
    expect(await verifyPassword(null, "whatever password")).toBe(false);
  });
});

describe("account.signUp throttling", () => {
  it("refuses more than 20 sign-ups per IP per hour with RATE_LIMITED", async () => {
    const caller = callerFor(db, null, { ip: "198.51.100.77" });
    await db.system.rateLimitBucket.create({
      data: {
        key: "signup:ip:198.51.100.77",
        count: 20,
        resetAt: new Date(Date.now() + 3_600_000),
      },
    });
    const error = await caller.account
      .signUp({ name: "Flood", email: "flood@example.com", password: "long enough password" })
      .catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("TOO_MANY_REQUESTS");
    expect(((error as TRPCError).cause as AppError).data).toMatchObject({ code: "RATE_LIMITED" });
    expect(await db.system.user.count({ where: { email: "flood@example.com" } })).toBe(0);
  });
});
