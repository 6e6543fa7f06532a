// Magic links through Auth.js's own HTTP handlers (the same code /api/auth runs), on a real
// PostgreSQL: a request for an existing, active user writes exactly one email (the dev
// mailbox's Email table) with a sign-in link and stores only a hash of the token; for an
// unknown or a suspended address the HTTP answer is byte-for-byte the same and no email is
// written. The link then signs in once (database session, email verified) and not twice.
import { createHash } from "node:crypto";
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { createAuthConfig } from "../src/config.ts";
import { parseAuthEnv } from "../src/env.ts";

const BASE = "http://localhost:3000";
const SECRET = "magic-link-test-secret-0123456789";
let db: TestDatabase;
let handlers: ReturnType<typeof NextAuth>["handlers"];
let ipCounter = 1;

beforeAll(async () => {
  db = await createTestDatabase();
  const env = parseAuthEnv({
    AUTH_SECRET: SECRET,
    AUTH_URL: BASE,
    AUTH_TRUST_HOST: "true",
    NODE_ENV: "test",
  });
  handlers = NextAuth(
    createAuthConfig({
      db,
      env,
      requestInfo: () =>
        Promise.resolve({
          ipAddress: `198.51.100.${ipCounter++ % 250}`,
          userAgent: "vitest",
        }),
    }),
  ).handlers;
  await db.system.user.create({ data: { email: "active@example.com", name: "Active" } });
  await db.system.user.create({
    data: { email: "suspended@example.com", name: "Suspended", status: "SUSPENDED" },
  });
});
afterAll(() => db.drop());

/** Cookies from Set-Cookie headers, as a Cookie header value. */
function cookieHeader(response: Response, previous = ""): string {
  const jar = new Map(
    previous ? previous.split("; ").map((pair) => pair.split("=", 2) as [string, string]) : [],
  );
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const index = pair?.indexOf("=") ?? -1;
    if (pair && index > 0) jar.set(pair.slice(0, index), pair.slice(index + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

/** POST /api/auth/signin/email as the sign-in page's magic-link form would (CSRF included). */
async function requestMagicLink(email: string) {
  const csrf = await handlers.GET(new NextRequest(`${BASE}/api/auth/csrf`));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = cookieHeader(csrf);
  const response = await handlers.POST(
    new NextRequest(`${BASE}/api/auth/signin/email`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: BASE },
      body: new URLSearchParams({ email, csrfToken, callbackUrl: `${BASE}/account` }).toString(),
    }),
  );
  return {
    status: response.status,
    location: response.headers.get("location"),
    body: await response.text(),
  };
}

const emailsTo = (to: string) => db.system.email.findMany({ where: { to } });
const tokensFor = (identifier: string) =>
  db.system.verificationToken.findMany({ where: { identifier } });

describe("magic link request", () => {
  let link: URL;

  it("an active user gets exactly one email with a sign-in link; only the token's hash is stored", async () => {
    const answer = await requestMagicLink("Active@Example.com");
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`${BASE}/api/auth/verify-request?provider=email&type=email`); // → /sign-in?check=email

    const emails = await emailsTo("active@example.com");
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      template: "magic-link",
      subject: "Your Plinth sign-in link",
      status: "QUEUED",
    });
    const href = emails[0]?.text.match(/https?:\/\/\S+\/api\/auth\/callback\/email\?\S+/)?.[0];
    expect(href, "a sign-in link in the email").toBeTruthy();
    link = new URL(href ?? "");
    expect(link.origin).toBe(BASE);
    expect(link.searchParams.get("email")).toBe("active@example.com");
    expect(link.searchParams.get("callbackUrl")).toBe(`${BASE}/account`);
    const token = link.searchParams.get("token") ?? "";
    expect(token.length).toBeGreaterThanOrEqual(32);
    // The delivery job was queued with the email.
    const jobs = await db.system.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'email.send' AND j.payload->>'emailId' = ${emails[0]?.id ?? ""}`;
    expect(Number(jobs[0]?.n)).toBe(1);

    // verification_tokens holds the SHA-256 of token+secret, never the token itself.
    const stored = await tokensFor("active@example.com");
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token).not.toBe(token);
    expect(stored[0]?.token).toBe(createHash("sha256").update(`${token}${SECRET}`).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(token);
    const expiresIn = (stored[0]?.expires.getTime() ?? 0) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
  });

  it("unknown and suspended addresses get the identical answer and no email", async () => {
    const reference = await requestMagicLink("active@example.com");
    const emailsBefore = await db.system.email.count();
    for (const address of ["nobody@example.com", "suspended@example.com"]) {
      expect(await requestMagicLink(address)).toEqual(reference);
      expect(await emailsTo(address)).toHaveLength(0);
    }
    expect(await db.system.email.count()).toBe(emailsBefore);
  });

  it("the link signs in once: a database session, the email verified; a second use fails", async () => {
    const user = await db.system.user.findUniqueOrThrow({ where: { email: "active@example.com" } });
    expect(user.emailVerified).toBeNull();
    // The first link (a newer request retired nothing: Auth.js keeps every unexpired token).
    const first = await handlers.GET(new NextRequest(link.toString()));
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(`${BASE}/account`);
    const sessionCookie = first.headers
      .getSetCookie()
      .find((line) => line.startsWith("authjs.session-token="));
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    const sessions = await db.system.session.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);
    expect(sessionCookie).toContain(`authjs.session-token=${sessions[0]?.sessionToken}`);
    expect(
      (await db.system.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified,
    ).toBeInstanceOf(Date);

    const again = await handlers.GET(new NextRequest(link.toString()));
    expect(again.headers.get("location")).toMatch(/\/sign-in\?error=Verification/);
    expect(await db.system.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("a link issued before the account was suspended does not sign in", async () => {
    const user = await db.system.user.create({
      data: { email: "later@example.com", name: "Later" },
    });
    await requestMagicLink("later@example.com");
    const href = (await emailsTo("later@example.com"))[0]?.text.match(
      /https?:\/\/\S+\/api\/auth\/callback\/email\?\S+/,
    )?.[0];
    expect(href).toBeTruthy();
    await db.system.user.update({ where: { id: user.id }, data: { status: "SUSPENDED" } });
    const response = await handlers.GET(new NextRequest(href ?? ""));
    expect(response.headers.get("location")).toMatch(/\/sign-in\?error=AccessDenied/);
    expect(await db.system.session.count({ where: { userId: user.id } })).toBe(0);
  });
});
