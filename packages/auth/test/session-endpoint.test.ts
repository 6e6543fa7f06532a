// GET /api/auth/session is read by every page (Auth.js's client) and so by any script on it:
// it answers exactly { user: { id, name, email, image, emailVerified, platformRole }, expires }.
// Signed in through Auth.js's own HTTP handlers (the code /api/auth runs), on a real
// PostgreSQL: no session token, no password hash, no other field. A malformed session cookie
// is no session (null), never an error.
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { createAuthConfig } from "../src/config.ts";
import { parseAuthEnv } from "../src/env.ts";
import { hashPassword } from "../src/password.ts";

const BASE = "http://localhost:3000";
const COOKIE = "authjs.session-token"; // plain http: no __Secure- prefix
const PASSWORD = "a very good password";
const ALLOWED_USER_FIELDS = ["email", "emailVerified", "id", "image", "name", "platformRole"];

let db: TestDatabase;
let handlers: ReturnType<typeof NextAuth>["handlers"];
let user: { id: string; email: string; passwordHash: string | null };

beforeAll(async () => {
  db = await createTestDatabase();
  const env = parseAuthEnv({
    AUTH_SECRET: "session-endpoint-test-secret-0123456789",
    AUTH_URL: BASE,
    AUTH_TRUST_HOST: "true",
    NODE_ENV: "test",
  });
  handlers = NextAuth(
    createAuthConfig({
      db,
      env,
      requestInfo: () => Promise.resolve({ ipAddress: "198.51.100.20", userAgent: "vitest" }),
    }),
  ).handlers;
  user = await db.system.user.create({
    data: {
      email: "reader@example.com",
      name: "Reader",
      image: "https://images.example.com/reader.png",
      passwordHash: await hashPassword(PASSWORD),
      emailVerified: new Date(),
    },
  });
});
afterAll(() => db.drop());

/** Signs in with email + password as the sign-in form does; returns the session cookie value. */
async function signIn(email: string, password: string): Promise<string> {
  const csrf = await handlers.GET(new NextRequest(`${BASE}/api/auth/csrf`));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const response = await handlers.POST(
    new NextRequest(`${BASE}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: BASE },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: BASE }).toString(),
    }),
  );
  const line = response.headers.getSetCookie().find((l) => l.startsWith(`${COOKIE}=`));
  const token = line?.split(";")[0]?.slice(COOKIE.length + 1);
  if (!token) throw new Error(`no session cookie (status ${response.status})`);
  return token;
}

async function readSession(cookieValue: string) {
  const response = await handlers.GET(
    new NextRequest(`${BASE}/api/auth/session`, {
      headers: { cookie: `${COOKIE}=${cookieValue}` },
    }),
  );
  return { status: response.status, text: await response.text() };
}

describe("GET /api/auth/session", () => {
  it("answers the allow-listed fields only: no session token, no password hash", async () => {
    const token = await signIn(user.email, PASSWORD);
    const row = await db.system.session.findUniqueOrThrow({ where: { sessionToken: token } });
    expect(row.userId).toBe(user.id);

    const { status, text } = await readSession(token);
    expect(status).toBe(200);
    const body = JSON.parse(text) as { user: Record<string, unknown>; expires: string };
    expect(Object.keys(body).sort()).toEqual(["expires", "user"]);
    expect(Object.keys(body.user).sort()).toEqual(ALLOWED_USER_FIELDS);
    expect(body.user).toMatchObject({
      id: user.id,
      email: "reader@example.com",
      name: "Reader",
      image: "https://images.example.com/reader.png",
      platformRole: "USER",
    });
    expect(new Date(body.expires).getTime()).toBe(row.expires.getTime());
    // Neither secret appears anywhere in the answer, under any name.
    expect(text).not.toContain(token);
    expect(user.passwordHash).toBeTruthy();
    expect(text).not.toContain(user.passwordHash);
    expect(text).not.toMatch(/sessionToken|passwordHash|userId|ipAddress|userAgent|status/);
  });

  it("a malformed or unknown session cookie is signed out (null), not an error", async () => {
    for (const value of ["%00", "a%00b", "%ED%A0%80", "%F0%9F", "garbage", "x".repeat(4096)]) {
      expect(await readSession(value), value.slice(0, 12)).toEqual({ status: 200, text: "null" });
    }
    const unknown = await readSession(crypto.randomUUID());
    expect(unknown).toEqual({ status: 200, text: "null" });
  });

  it("a suspended user's session answers null", async () => {
    const other = await db.system.user.create({
      data: { email: "soon-suspended@example.com", passwordHash: await hashPassword(PASSWORD) },
    });
    const token = await signIn(other.email, PASSWORD);
    expect(JSON.parse((await readSession(token)).text)).toMatchObject({ user: { id: other.id } });
    await db.system.user.update({ where: { id: other.id }, data: { status: "SUSPENDED" } });
    expect(await readSession(token)).toEqual({ status: 200, text: "null" });
  });
});
