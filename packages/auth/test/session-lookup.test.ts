// The one-query session fast path must agree with Auth.js's rules: anything it is not sure
// about (expired, due for the sliding extension, inactive user) goes back to Auth.js.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { newSessionToken, sessionCookie, usesSecureCookies } from "../src/config.ts";
import { lookupSession } from "../src/session-lookup.ts";
import { parseAuthEnv } from "../src/env.ts";

const DAY = 86_400_000;
const MAX_AGE_SECONDS = 30 * 86_400;
const now = new Date("2026-11-22T12:00:00.000Z");

let db: TestDatabase;
let userId: string;

async function session(expires: Date, user = userId) {
  const token = newSessionToken();
  await db.system.session.create({ data: { sessionToken: token, userId: user, expires } });
  return token;
}

beforeAll(async () => {
  db = await createTestDatabase();
  userId = (await db.system.user.create({ data: { email: "fast@session.test", name: "Fast" } })).id;
});
afterAll(() => db.drop());

describe("lookupSession", () => {
  it("returns the user of a fresh session in one lookup", async () => {
    const token = await session(new Date(now.getTime() + MAX_AGE_SECONDS * 1000 - 60_000));
    expect(await lookupSession(db.system, token, { maxAgeSeconds: MAX_AGE_SECONDS, now })).toEqual({
      kind: "user",
      user: {
        id: userId,
        email: "fast@session.test",
        name: "Fast",
        platformRole: "USER",
        status: "ACTIVE",
        emailVerified: null,
      },
    });
  });

  it("answers none without a cookie or for an unknown token", async () => {
    expect(
      await lookupSession(db.system, undefined, { maxAgeSeconds: MAX_AGE_SECONDS, now }),
    ).toEqual({ kind: "none" });
    expect(
      await lookupSession(db.system, newSessionToken(), { maxAgeSeconds: MAX_AGE_SECONDS, now }),
    ).toEqual({ kind: "none" });
    // Auth.js's own tokens (OAuth, magic links) are UUIDs.
    expect(
      await lookupSession(db.system, crypto.randomUUID(), { maxAgeSeconds: MAX_AGE_SECONDS, now }),
    ).toEqual({ kind: "none" });
  });

  it("treats a malformed cookie as no cookie (PostgreSQL would refuse a NUL: no query runs)", async () => {
    const fresh = await session(new Date(now.getTime() + MAX_AGE_SECONDS * 1000 - 60_000));
    for (const token of [
      "\0",
      `${fresh}\0`,
      "\ud800".repeat(40),
      "nope",
      "x".repeat(10_000),
      `${fresh} `,
    ]) {
      expect(
        await lookupSession(db.system, token, { maxAgeSeconds: MAX_AGE_SECONDS, now }),
      ).toEqual({ kind: "none" });
    }
  });

  it("delegates an expired session and one due for its daily extension to Auth.js", async () => {
    const expired = await session(new Date(now.getTime() - 1000));
    // Created (last extended) just over a day ago: expires = created + maxAge.
    const due = await session(new Date(now.getTime() + MAX_AGE_SECONDS * 1000 - DAY - 1000));
    expect(
      await lookupSession(db.system, expired, { maxAgeSeconds: MAX_AGE_SECONDS, now }),
    ).toEqual({ kind: "delegate" });
    // Due for its extension only: still valid, so it names its (active) user for callers that
    // cannot let Auth.js extend it (the web app's proxy).
    expect(await lookupSession(db.system, due, { maxAgeSeconds: MAX_AGE_SECONDS, now })).toEqual({
      kind: "delegate",
      dueUser: expect.objectContaining({ status: "ACTIVE" }) as unknown,
    });
  });

  it("delegates a suspended user's session (the adapter ends every session of theirs)", async () => {
    const suspended = await db.system.user.create({
      data: { email: "gone@session.test", status: "SUSPENDED" },
    });
    const token = await session(new Date(now.getTime() + DAY), suspended.id);
    expect(await lookupSession(db.system, token, { maxAgeSeconds: MAX_AGE_SECONDS, now })).toEqual({
      kind: "delegate",
    });
  });
});

describe("session cookie", () => {
  it("is __Secure- prefixed exactly when cookies are Secure", () => {
    const production = parseAuthEnv({
      NODE_ENV: "production",
      AUTH_SECRET: "s",
      AUTH_URL: "https://app.example.com",
    });
    const localStart = parseAuthEnv({
      NODE_ENV: "production",
      AUTH_SECRET: "s",
      AUTH_URL: "http://127.0.0.1:3000",
    });
    const development = parseAuthEnv({ NODE_ENV: "development" });
    expect(sessionCookie(usesSecureCookies(production)).name).toBe("__Secure-authjs.session-token");
    expect(sessionCookie(usesSecureCookies(localStart)).name).toBe("authjs.session-token");
    expect(sessionCookie(usesSecureCookies(development)).name).toBe("authjs.session-token");
  });
});
