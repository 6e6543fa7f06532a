import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { verifyPassword } from "@plinth/auth/password";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { createCallerFactory, createContext } from "../src/index.ts";
import { appRouter } from "../src/root.ts";
import { AppError } from "../src/errors.ts";
import { silentLogger } from "./helpers.ts";

let db: TestDatabase;
const createCaller = createCallerFactory(appRouter);
const anonymous = () =>
  createCaller(
    createContext({
      db,
      user: null,
      requestId: "test-signup",
      ipAddress: "203.0.113.9",
      logger: silentLogger,
    }),
  );

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
    const user = await db.system.user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(user.email).toBe("ada@example.com");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(user.passwordHash, "wrong password!")).toBe(false);

    const memberships = await db.system.membership.findMany({
      where: { userId: user.id },
      include: { organization: { include: { subscription: true } } },
    });
    expect(memberships).toHaveLength(1);
    expect(memberships[0]?.role).toBe("OWNER");
    expect(memberships[0]?.organization.slug).toBe(result.organization?.slug);
    expect(memberships[0]?.organization.subscription?.status).toBe("TRIALING");

    const audit = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId: result.organization!.id },
    });
    expect(audit).toMatchObject({
      action: "organization.created",
      actorId: user.id,
      ipAddress: "203.0.113.9",
    });

    // The new user can use their organization straight away.
    const caller = createCaller(
      createContext({
        db,
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          platformRole: "USER",
          status: "ACTIVE",
        },
        logger: silentLogger,
      }),
    );
    expect((await caller.organization.list()).map((o) => o.id)).toEqual([result.organization!.id]);
  });

  it("refuses a taken email with CONFLICT on the email field, creating nothing", async () => {
    const before = await db.system.organization.count();
    const error = await anonymous()
      .account.signUp({ name: "Someone", email: "ada@example.com", password: "another password" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("CONFLICT");
    const cause = (error as TRPCError).cause;
    expect(cause).toBeInstanceOf(AppError);
    expect((cause as AppError).data).toEqual({ code: "CONFLICT", field: "email" });
    expect(await db.system.organization.count()).toBe(before);
    expect(await db.system.user.count({ where: { email: "ada@example.com" } })).toBe(1);
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
    const caller = createCaller(
      createContext({ db, user: null, ipAddress: "198.51.100.77", logger: silentLogger }),
    );
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
