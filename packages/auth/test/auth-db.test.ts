// Integration (real PostgreSQL): brute-force throttles with growing delays, password sign-in
// that never reveals whether an account exists, and sessions that end for suspended users.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import {
  createAuthAdapter,
  createAuthConfig,
  newSessionToken,
  RateLimitedSignIn,
} from "../src/config.ts";
import { parseAuthEnv } from "../src/env.ts";
import { hashPassword } from "../src/password.ts";
import {
  backoffDelaySeconds,
  hitBackoff,
  SIGN_IN_BACKOFF_PER_ACCOUNT,
  SIGN_IN_BACKOFF_PER_IP,
  type BackoffRule,
} from "../src/rate-limit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe("growing-delay throttle", () => {
  const rule: BackoffRule = {
    freeAttempts: 3,
    baseDelaySeconds: 2,
    maxDelaySeconds: 60,
    windowSeconds: 3600,
  };

  it("doubles the delay after the free attempts, capped", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffDelaySeconds(rule, n))).toEqual([
      0, 0, 0, 2, 4, 8, 16, 32, 60,
    ]);
  });

  it("lets the free attempts through, then refuses until the delay has passed (refusals do not count)", async () => {
    const key = "test:backoff:a";
    for (let i = 1; i <= 3; i++)
      expect(await hitBackoff(db.system, key, rule)).toMatchObject({
        allowed: true,
        count: i,
        retryAfterSeconds: 0,
      });
    const fourth = await hitBackoff(db.system, key, rule);
    expect(fourth).toMatchObject({ allowed: true, count: 4 });
    expect(fourth.retryAfterSeconds).toBe(2);
    const blocked = await hitBackoff(db.system, key, rule);
    expect(blocked).toMatchObject({ allowed: false, count: 4 });
    // Pretend the delay passed: the next attempt goes through and the delay doubles.
    await db.system.rateLimitBucket.update({
      where: { key },
      data: { blockedUntil: new Date(Date.now() - 1000) },
    });
    const fifth = await hitBackoff(db.system, key, rule);
    expect(fifth).toMatchObject({ allowed: true, count: 5 });
    expect(fifth.retryAfterSeconds).toBe(4);
  });

  it("starts over after the window", async () => {
    const key = "test:backoff:b";
    for (let i = 0; i < 5; i++) await hitBackoff(db.system, key, rule);
    await db.system.rateLimitBucket.update({
      where: { key },
      data: { resetAt: new Date(Date.now() - 1000) },
    });
    expect(await hitBackoff(db.system, key, rule)).toMatchObject({
      allowed: true,
      count: 1,
      retryAfterSeconds: 0,
    });
  });
});

describe("password sign-in (Credentials.authorize)", () => {
  const env = parseAuthEnv({ AUTH_SECRET: "test-secret" });
  let ip = "198.51.100.1";
  const authorize = (credentials: Record<string, string>) => {
    const config = createAuthConfig({
      db,
      env,
      requestInfo: () => Promise.resolve({ ipAddress: ip, userAgent: "vitest" }),
    });
    const provider = config.providers[0] as unknown as {
      options: { authorize: (c: unknown, r: Request) => Promise<unknown> };
    };
    return provider.options.authorize(
      credentials,
      new Request("http://localhost/api/auth/callback/credentials"),
    );
  };

  beforeAll(async () => {
    await db.system.user.create({
      data: {
        email: "ann@example.com",
        name: "Ann",
        passwordHash: await hashPassword("ann's long password"),
      },
    });
    await db.system.user.create({
      data: {
        email: "sam@example.com",
        name: "Sam",
        passwordHash: await hashPassword("sam's long password"),
        status: "SUSPENDED",
      },
    });
  });

  it("signs in with the right password; wrong password, unknown email and suspended user all fail alike", async () => {
    expect(
      await authorize({ email: "Ann@Example.com", password: "ann's long password" }),
    ).toMatchObject({ email: "ann@example.com" });
    expect(await authorize({ email: "ann@example.com", password: "wrong password!" })).toBeNull();
    expect(
      await authorize({ email: "nobody@example.com", password: "whatever password" }),
    ).toBeNull();
    expect(
      await authorize({ email: "sam@example.com", password: "sam's long password" }),
    ).toBeNull();
  });

  it("throttles per account with growing delays — identically for an unknown email", async () => {
    for (const email of ["ann@example.com", "ghost@example.com"]) {
      ip = `198.51.100.${email.length}`;
      await db.system.rateLimitBucket.deleteMany({ where: { key: `signin:email:${email}` } });
      for (let i = 0; i < SIGN_IN_BACKOFF_PER_ACCOUNT.freeAttempts + 1; i++) {
        expect(await authorize({ email, password: "wrong password!" })).toBeNull();
      }
      // Blocked now: even the right password is refused until the delay passes.
      await expect(authorize({ email, password: "ann's long password" })).rejects.toBeInstanceOf(
        RateLimitedSignIn,
      );
    }
    const bucket = await db.system.rateLimitBucket.findUniqueOrThrow({
      where: { key: "signin:email:ann@example.com" },
    });
    await db.system.rateLimitBucket.update({
      where: { key: bucket.key },
      data: { blockedUntil: new Date(Date.now() - 1) },
    });
    expect(
      await authorize({ email: "ann@example.com", password: "ann's long password" }),
    ).toMatchObject({ email: "ann@example.com" });
    // Success forgets the account's failures.
    expect(await db.system.rateLimitBucket.findUnique({ where: { key: bucket.key } })).toBeNull();
  });

  it("successful sign-ins from one address are not counted against it; failures still are", async () => {
    ip = "192.0.2.88";
    const key = `signin:ip:${ip}`;
    for (let i = 0; i < SIGN_IN_BACKOFF_PER_IP.freeAttempts + 5; i++) {
      expect(
        await authorize({ email: "ann@example.com", password: "ann's long password" }),
      ).toMatchObject({ email: "ann@example.com" });
    }
    const afterSuccesses = await db.system.rateLimitBucket.findUniqueOrThrow({ where: { key } });
    expect(afterSuccesses).toMatchObject({ count: 0, blockedUntil: null });
    for (let i = 0; i < SIGN_IN_BACKOFF_PER_IP.freeAttempts + 1; i++) {
      await authorize({ email: `guess-${i}@example.com`, password: "wrong password!" });
    }
    await expect(
      authorize({ email: "ann@example.com", password: "ann's long password" }),
    ).rejects.toBeInstanceOf(RateLimitedSignIn);
  });

  it("throttles per IP across accounts", async () => {
    ip = "192.0.2.77";
    await db.system.rateLimitBucket.upsert({
      where: { key: `signin:ip:${ip}` },
      create: {
        key: `signin:ip:${ip}`,
        count: 99,
        resetAt: new Date(Date.now() + 60_000),
        blockedUntil: new Date(Date.now() + 60_000),
      },
      update: { blockedUntil: new Date(Date.now() + 60_000) },
    });
    await expect(
      authorize({ email: "fresh@example.com", password: "any password" }),
    ).rejects.toBeInstanceOf(RateLimitedSignIn);
  });
});

describe("database sessions", () => {
  it("a suspended or deleted user's session ends on the very next request (and all their sessions go)", async () => {
    const adapter = createAuthAdapter(db);
    for (const status of ["SUSPENDED", "DELETED"] as const) {
      const user = await db.system.user.create({
        data: { email: `s-${status.toLowerCase()}@example.com` },
      });
      const expires = new Date(Date.now() + 86_400_000);
      const [first, second] = [newSessionToken(), newSessionToken()];
      await db.system.session.createMany({
        data: [
          { sessionToken: first, userId: user.id, expires },
          { sessionToken: second, userId: user.id, expires },
        ],
      });
      expect(await adapter.getSessionAndUser?.(first)).toMatchObject({
        user: { id: user.id },
      });
      await db.system.user.update({ where: { id: user.id }, data: { status } });
      expect(await adapter.getSessionAndUser?.(first)).toBeNull();
      expect(await db.system.session.count({ where: { userId: user.id } })).toBe(0);
    }
  });

  it("a malformed session cookie is no session for the adapter either (no query, no error)", async () => {
    const adapter = createAuthAdapter(db);
    for (const token of ["\0", "%00", "\ud800", "a".repeat(4096), "short"]) {
      expect(await adapter.getSessionAndUser?.(token)).toBeNull();
      expect(
        await adapter.updateSession?.({ sessionToken: token, expires: new Date() }),
      ).toBeNull();
      await expect(adapter.deleteSession?.(token)).resolves.toBeUndefined();
    }
  });

  it("new OAuth users: email lower-cased, only known fields, verified only when the provider said so", async () => {
    const adapter = createAuthAdapter(db);
    const create = adapter.createUser?.bind(adapter);
    if (!create) throw new Error("no createUser");
    const verified = await create({
      id: "ignored",
      email: "Oidc@Example.com",
      emailVerified: null,
      name: "O",
      image: null,
      emailVerifiedByProvider: true,
      extra: 1,
    } as never);
    expect(verified.email).toBe("oidc@example.com");
    expect(verified.emailVerified).toBeInstanceOf(Date);
    const unverified = await create({
      id: "x",
      email: "gh@example.com",
      emailVerified: null,
      name: null,
      image: null,
    });
    expect(unverified.emailVerified).toBeNull();
    expect(await adapter.getUserByEmail?.("GH@example.com")).toMatchObject({ id: unverified.id });
  });
});
