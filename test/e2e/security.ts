// Web security against the running server (next start):
//  (a) a tRPC mutation with a valid session cookie but from another site (Origin:
//      https://evil.example and/or Sec-Fetch-Site: cross-site/same-site, or no Origin at all)
//      is refused with 403 and changes nothing; the same request from the app's origin works;
//  (b) pages carry a CSP whose script-src has a fresh nonce (on every inline script) and no
//      'unsafe-inline', frame-ancestors 'none', X-Frame-Options DENY, a Referrer-Policy and
//      X-Content-Type-Options nosniff; the browser reports no CSP violation;
//  (c) no Access-Control-Allow-* header on /api/trpc answers, even when an Origin is sent
//      (also to a CORS preflight);
//  (d) the session cookie set on sign-in is HttpOnly and SameSite=Lax;
//  (e) sign-in ignores an off-site callbackUrl (no open redirect).
import assert from "node:assert/strict";
import { hashPassword } from "@plinth/auth/password";
import { createDatabase, systemClient } from "@plinth/db";
import { launchBrowser, newPage } from "./browser.ts";
import { signInWithPassword } from "./ui.ts";
import { acceptedTerms } from "./fixtures.ts";

const SESSION_COOKIE = "authjs.session-token"; // plain http: no __Secure- prefix

function cspDirectives(header: string | null): Map<string, string[]> {
  assert.ok(header, "a Content-Security-Policy header");
  return new Map(
    header
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words): words is [string, ...string[]] => words[0] !== undefined && words[0] !== "")
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  );
}

async function checkPageHeaders(baseUrl: string, path: string): Promise<string> {
  const response = await fetch(new URL(path, baseUrl), { redirect: "manual" });
  assert.equal(response.status, 200, `${path} answers 200`);
  const csp = cspDirectives(response.headers.get("content-security-policy"));
  const scriptSrc = csp.get("script-src") ?? [];
  const nonce = scriptSrc.find((value) => value.startsWith("'nonce-"))?.slice(7, -1);
  assert.ok(nonce && nonce.length >= 16, `script-src carries a nonce: ${scriptSrc.join(" ")}`);
  assert.ok(!scriptSrc.includes("'unsafe-inline'"), "no 'unsafe-inline' in script-src");
  assert.ok(!scriptSrc.includes("'unsafe-eval'"), "no 'unsafe-eval' in script-src (production)");
  assert.deepEqual(csp.get("frame-ancestors"), ["'none'"]);
  assert.deepEqual(csp.get("object-src"), ["'none'"]);
  assert.ok(csp.has("default-src") && csp.has("base-uri") && csp.has("form-action"));
  assert.equal(response.headers.get("x-frame-options"), "DENY");
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  assert.match(
    response.headers.get("referrer-policy") ?? "",
    /^(no-referrer|strict-origin-when-cross-origin|same-origin|strict-origin)$/,
  );
  // Every script element in the HTML carries this response's nonce.
  const html = await response.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.ok(scripts.length > 0, "the page has scripts");
  for (const tag of scripts)
    assert.ok(tag.includes(`nonce="${nonce}"`), `script without the nonce: ${tag.slice(0, 120)}`);
  return nonce;
}

export async function runSecurity(
  baseUrl: string,
  options: { databaseUrl: string },
): Promise<void> {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const email = `sec-${stamp}@example.com`;
  const password = "a very good password";
  const db = createDatabase(options.databaseUrl, { poolMax: 2 });
  const system = systemClient(db, "e2e: fixtures and checks");
  try {
    const user = await system.user.create({
      data: {
        ...acceptedTerms(),
        email,
        name: "Original Name",
        passwordHash: await hashPassword(password),
        emailVerified: new Date(),
      },
    });

    // (b) headers on pages; a new nonce per response.
    const first = await checkPageHeaders(baseUrl, "/sign-in");
    const second = await checkPageHeaders(baseUrl, "/sign-in");
    assert.notEqual(first, second, "a fresh nonce per request");
    await checkPageHeaders(baseUrl, "/sign-up");
    await checkPageHeaders(baseUrl, "/forgot-password");

    // (d) + (e) sign in in the browser with an off-site callbackUrl; read Set-Cookie.
    const browser = await launchBrowser();
    let cookie: string;
    try {
      const page = await newPage(browser, baseUrl, [], { includeConsole: false });
      const context = page.context();
      const cspViolations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      const setCookies: Promise<string[]>[] = [];
      page.on("response", (response) => {
        setCookies.push(
          response
            .headersArray()
            .then((headers) =>
              headers
                .filter((h) => h.name.toLowerCase() === "set-cookie")
                .flatMap((h) => h.value.split("\n")),
            )
            .catch(() => []),
        );
      });
      // Pages that once were prerendered (no nonce on their scripts) must run their scripts too.
      for (const path of ["/forgot-password", "/no-such-page"]) {
        await page.goto(path);
        await page.waitForLoadState("networkidle");
      }
      await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("//evil.example/phish")}`);
      await signInWithPassword(page, email, password);
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 30_000 });
      assert.equal(
        new URL(page.url()).origin,
        new URL(baseUrl).origin,
        `stayed on the app: ${page.url()}`,
      );
      assert.deepEqual(cspViolations, [], `CSP violations:\n${cspViolations.join("\n")}`);

      const sessionSetCookie = (await Promise.all(setCookies))
        .flat()
        .find((line) => line.startsWith(`${SESSION_COOKIE}=`));
      assert.ok(sessionSetCookie, "sign-in sets the session cookie");
      const attributes = sessionSetCookie.split(";").map((part) => part.trim().toLowerCase());
      assert.ok(attributes.includes("httponly"), `HttpOnly: ${attributes.slice(1).join("; ")}`);
      assert.ok(
        attributes.includes("samesite=lax"),
        `SameSite=Lax: ${attributes.slice(1).join("; ")}`,
      );
      assert.ok(attributes.includes("path=/"));
      const stored = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
      assert.ok(stored);
      assert.equal(stored.httpOnly, true);
      assert.equal(stored.sameSite, "Lax");
      cookie = `${SESSION_COOKIE}=${stored.value}`;
    } finally {
      await browser.close();
    }

    // (a) the same mutation, cross-site and same-origin.
    const origin = new URL(baseUrl).origin;
    const mutate = (headers: Record<string, string>, name: string) =>
      fetch(new URL("/api/trpc/account.updateProfile", baseUrl), {
        method: "POST",
        headers: { "content-type": "application/json", cookie, ...headers },
        body: JSON.stringify({ json: { name } }),
      });
    const auditCount = () =>
      system.auditLog.count({ where: { targetId: user.id, action: "user.profile_updated" } });
    const auditBefore = await auditCount();
    const crossSite: Record<string, string>[] = [
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin, "sec-fetch-site": "same-site" }, // a sibling subdomain
      { "sec-fetch-site": "cross-site" },
      {}, // no Origin, no Sec-Fetch-Site: a script replaying a stolen cookie
    ];
    for (const headers of crossSite) {
      const response = await mutate(headers, "Evil Name");
      assert.equal(response.status, 403, `refused: ${JSON.stringify(headers)}`);
      assert.equal(response.headers.get("access-control-allow-origin"), null);
    }
    const unchanged = await system.user.findUniqueOrThrow({ where: { id: user.id } });
    assert.equal(unchanged.name, "Original Name", "nothing changed");
    assert.equal(await auditCount(), auditBefore);

    const ok = await mutate({ origin, "sec-fetch-site": "same-origin" }, "Same Origin Name");
    assert.equal(ok.status, 200, `same-origin mutation works: ${await ok.clone().text()}`);
    assert.equal(
      (await system.user.findUniqueOrThrow({ where: { id: user.id } })).name,
      "Same Origin Name",
    );
    assert.equal(await auditCount(), auditBefore + 1);
    // Without Sec-Fetch-Site (older browsers), the Origin alone decides.
    const byOrigin = await mutate({ origin }, "By Origin Name");
    assert.equal(byOrigin.status, 200);

    // (c) no CORS on /api/trpc, reads and preflights included.
    const read = await fetch(
      new URL(
        `/api/trpc/account.profile?input=${encodeURIComponent(JSON.stringify({ json: null }))}`,
        baseUrl,
      ),
      {
        headers: { cookie, origin: "https://evil.example" },
      },
    );
    assert.equal(read.status, 200);
    const preflight = await fetch(new URL("/api/trpc/account.updateProfile", baseUrl), {
      method: "OPTIONS",
      headers: {
        origin: "https://evil.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    assert.notEqual(preflight.status, 500);
    for (const response of [read, preflight, ok]) {
      for (const name of [
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "access-control-allow-methods",
        "access-control-allow-headers",
      ]) {
        assert.equal(response.headers.get(name), null, `${name} on ${response.url}`);
      }
    }
    assert.equal(read.headers.get("x-content-type-options"), "nosniff");
  } finally {
    await db.disconnect();
  }
}
