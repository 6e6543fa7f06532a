// The boundary against the built app (next start), over real HTTP:
//  (a) a script on a signed-in page reads /api/auth/session: exactly the allow-listed fields,
//      no session token, no password hash;
//  (b) a malformed session cookie is "signed out", never a 500;
//  (c) TRACE and methods the app does not serve answer 405, on pages and API routes alike;
//  (d) every page with route or search parameters, fed malformed values (NUL, lone surrogates,
//      broken percent-encoding, 513 and 10 000 characters, SQL, paths, wrong-format ids),
//      signed in and signed out: no 5xx, no SQL / Prisma / path / source text;
//  (e) the tRPC route: a NUL id, a 21-call batch, an unparseable body are 400s.
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { systemAudit } from "@plinth/core/audit";
import { createOrganizationWithOwner } from "@plinth/platform";
import { activeProduct } from "@plinth/product";
import { hashPassword } from "@plinth/auth/password";
import { createDatabase, systemClient } from "@plinth/db";
import { launchBrowser } from "./browser.ts";
import { acceptedTerms } from "./fixtures.ts";

const SESSION_COOKIE = "authjs.session-token"; // plain http: no __Secure- prefix
const USER_FIELDS = ["email", "emailVerified", "id", "image", "name", "platformRole"];
const INTERNAL_TEXT = [
  /prisma/i,
  /\b(SELECT|INSERT INTO|DELETE FROM)\s/,
  /invalid byte sequence/i,
  /DriverAdapterError|PrismaClient/,
  /\/work\/|\/home\/|node_modules/,
  /\.(ts|tsx):\d+/,
  /\n\s+at\s/,
];

/** Malformed values for a route or search parameter, already URL-encoded. */
const BAD_VALUES = [
  "%00",
  "a%00b",
  "%ED%A0%80", // a lone surrogate, UTF-8 encoded: does not decode
  "%E0%A4%A", // broken percent-encoding
  "%C0%80", // overlong NUL
  "%F0%9F",
  "%EF%BF%BF",
  "%0A%0D%09",
  "%2500",
  "a".repeat(513),
  "a".repeat(10_000),
  "..%2F..%2F..%2Fetc%2Fpasswd",
  "%27%3B%20DROP%20TABLE%20users%3B%20--",
  "c000000000000000000000000",
  "6f1c7b0e-1c7e-4b8e-9a57-2f0d3c1a9b11",
  "",
];

/** Pages with parameters; X is the value. */
function pageTemplates(slug: string, organizationId: string): string[] {
  return [
    "/invite/X",
    "/o/X/projects",
    "/o/X/runs",
    "/o/X/members",
    "/o/X/audit",
    "/o/X/billing",
    "/o/X/settings",
    `/o/${slug}/audit?cursor=X`,
    `/o/${slug}/billing?checkout=X`,
    "/admin/users?q=X",
    "/admin/organizations?q=X",
    "/reset-password?token=X",
    "/verify-email?token=X",
    "/sign-in?callbackUrl=X&error=X",
    "/sign-up?callbackUrl=X",
    "/sign-up?callbackUrl=%2Finvite%2FX",
    "/account?error=X",
    // Fixed on the branches that own these pages (the dev mailbox, the test-mode checkout):
    "/dev/mailbox?id=X",
    "/billing/test-checkout?plan=pro&interval=month&organization=X",
    `/billing/test-checkout?plan=pro&interval=month&organization=${organizationId}&returnTo=X`,
  ];
}

/** A raw HTTP request (fetch refuses TRACE on the client side). */
function rawRequest(baseUrl: string, method: string, path: string, cookie?: string) {
  const url = new URL(baseUrl);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: cookie ? { cookie } : {},
      },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

export async function runBoundary(
  baseUrl: string,
  options: { databaseUrl: string },
): Promise<{ requests: number; pages: number }> {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const email = `boundary-${stamp}@example.com`;
  const password = "a very good password";
  const db = createDatabase(options.databaseUrl, { poolMax: 2 });
  const system = systemClient(db, "e2e: fixtures and checks");
  let requests = 0;
  // Every bad answer is collected (not thrown at the first) so a failure lists them all.
  const failures: string[] = [];
  const expectThat = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  const check = (what: string, status: number, body: string, expected?: number[]) => {
    requests++;
    const leaks = INTERNAL_TEXT.filter((pattern) => pattern.test(body));
    if (status >= 500 || leaks.length > 0 || (expected && !expected.includes(status))) {
      failures.push(`${what} → ${status} ${leaks.join(" ")}`);
    }
  };
  try {
    const passwordHash = await hashPassword(password);
    const user = await system.user.create({
      data: {
        ...acceptedTerms(),
        email,
        name: "Boundary",
        passwordHash,
        emailVerified: new Date(),
        platformRole: "SUPER_ADMIN",
      },
    });
    const organization = await createOrganizationWithOwner(
      db.app,
      activeProduct().catalog,
      systemAudit("e2e: fixture", stamp),
      { name: `Boundary ${stamp}`, ownerId: user.id, now: new Date() },
    );

    // (a) Sign in in the browser; a script on the page reads the session endpoint.
    const browser = await launchBrowser();
    let cookie: string;
    try {
      const context = await browser.newContext({ baseURL: baseUrl });
      const page = await context.newPage();
      await page.goto("/sign-in");
      await page.fill("#field-email", email);
      await page.fill("#field-password", password);
      await page.locator("form:has(#field-password) button[type=submit]").click();
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 30_000 });
      const text = await page.evaluate(() =>
        fetch("/api/auth/session", { credentials: "include" }).then((r) => r.text()),
      );
      const stored = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
      assert.ok(stored, "signed in");
      cookie = `${SESSION_COOKIE}=${stored.value}`;
      const session = JSON.parse(text) as { user: Record<string, unknown>; expires: string };
      const keys = `${Object.keys(session).sort().join()} / ${Object.keys(session.user).sort().join()}`;
      expectThat(keys === `expires,user / ${USER_FIELDS.join()}`, `session answer keys: ${keys}`);
      expectThat(session.user.id === user.id, "the session answer names the user");
      expectThat(!text.includes(stored.value), "the session token is in the session answer");
      expectThat(!text.includes(passwordHash), "the password hash is in the session answer");
    } finally {
      await browser.close();
    }

    // (b) Malformed session cookies: signed out.
    for (const value of ["%00", "a%00b", "%ED%A0%80", "garbage", "x".repeat(4000)]) {
      const badCookie = `${SESSION_COOKIE}=${value}`;
      const account = await fetch(new URL("/account", baseUrl), {
        headers: { cookie: badCookie },
        redirect: "manual",
      });
      check(
        `/account with cookie ${value.slice(0, 12)}`,
        account.status,
        await account.text(),
        [303, 307],
      );
      expectThat(
        /\/sign-in/.test(account.headers.get("location") ?? ""),
        `/account with cookie ${value.slice(0, 12)} sends to sign-in`,
      );
      const trpc = await fetch(new URL("/api/trpc/organization.list", baseUrl), {
        headers: { cookie: badCookie },
      });
      check(`tRPC with cookie ${value.slice(0, 12)}`, trpc.status, await trpc.text(), [401]);
      const session = await fetch(new URL("/api/auth/session", baseUrl), {
        headers: { cookie: badCookie },
      });
      expectThat((await session.text()) === "null", `session with cookie ${value.slice(0, 12)}`);
    }

    // (c) Methods.
    for (const method of ["TRACE", "PROPFIND", "PUT", "DELETE", "PATCH"]) {
      for (const path of ["/", "/sign-in", `/o/${organization.slug}/projects`, "/api/health"]) {
        const answer = await rawRequest(baseUrl, method, path, cookie);
        check(`${method} ${path}`, answer.status, answer.body, [405]);
      }
    }
    const trpcTrace = await rawRequest(baseUrl, "TRACE", "/api/trpc/organization.list");
    check("TRACE /api/trpc/organization.list", trpcTrace.status, trpcTrace.body, [405]);

    // (d) Pages with parameters, signed in and signed out.
    const templates = pageTemplates(organization.slug, organization.id);
    for (const template of templates) {
      for (const value of BAD_VALUES) {
        const path = template.replaceAll("X", value);
        for (const as of [cookie, undefined]) {
          const answer = await rawRequest(baseUrl, "GET", path, as);
          check(
            `GET ${path.slice(0, 80)} (${as ? "signed in" : "signed out"})`,
            answer.status,
            answer.body,
          );
        }
      }
    }

    // (e) tRPC: the input rule, the batch cap and body parsing on the real route.
    const trpc = (path: string, init: RequestInit = {}) =>
      fetch(new URL(`/api/trpc/${path}`, baseUrl), {
        ...init,
        headers: { cookie, origin: new URL(baseUrl).origin, ...init.headers },
      });
    const nulId = await trpc(
      `organization.get?input=${encodeURIComponent(JSON.stringify({ json: { organizationId: "a\u0000" } }))}`,
    );
    check("organization.get with a NUL id", nulId.status, await nulId.text(), [400]);
    const batch = await trpc(`${Array(21).fill("organization.list").join(",")}?batch=1`);
    check("a 21-call batch", batch.status, await batch.text(), [400]);
    const twenty = await trpc(`${Array(20).fill("organization.list").join(",")}?batch=1`);
    check("a 20-call batch", twenty.status, await twenty.text(), [200]);
    const unparseable = await trpc("account.resendVerification", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    check("an unparseable body", unparseable.status, await unparseable.text(), [400]);

    console.log(
      `    boundary: ${requests} requests, ${templates.length} parameterised page routes × ${BAD_VALUES.length} values × signed in/out`,
    );
    assert.deepEqual(failures, [], `${failures.length} bad answers:\n${failures.join("\n")}`);
    return { requests, pages: templates.length };
  } finally {
    await db.disconnect();
  }
}
