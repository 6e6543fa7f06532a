// The terms step (src/server/terms-step.ts, run by src/proxy.ts) on real PostgreSQL: a signed-in
// user without the terms in force is sent to /accept-terms from any page, with the page as
// callbackUrl; accepting (the page's account.recordConsent) records the version and the time, and
// the pages open. A first OIDC sign-in (Auth.js's adapter creating the user) lands on the step;
// an older version or a withdrawal sends the user back; open pages, server actions and signed-out
// visitors are never redirected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthConfig } from "@plinth/auth/config";
import { parseAuthEnv } from "@plinth/auth/env";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { asUserScope, type UserScope } from "@plinth/platform";
import { TERMS_CONSENT_VERSION } from "@plinth/platform/contracts";
import { activeProduct } from "@plinth/product";
import { appRouter } from "@plinth/product/trpc";
import { createCallerFactory, createContext, type CreateContextOptions } from "@plinth/trpc";
import { createUser, LOCAL_BILLING, silentLogger } from "@plinth/trpc/testing";
import type { SessionUser } from "@plinth/auth";
import { termsStepRedirect, termsStepUrl } from "../src/server/terms-step.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const NOW = new Date("2026-12-03T09:30:00Z");
const contextFor = (user: SessionUser) => {
  const options: CreateContextOptions = {
    database: db,
    product: activeProduct(),
    user,
    requestId: "terms-step",
    ipAddress: "198.51.100.9",
    logger: silentLogger,
    billing: LOCAL_BILLING,
    clock: { now: () => NOW },
  };
  return createContext(options);
};
const scopeOf = (user: SessionUser): UserScope => asUserScope(contextFor(user).scope);
const callerOf = (user: SessionUser) => createCallerFactory(appRouter())(contextFor(user));

const page = (pathname: string, search = "", method = "GET") => ({ method, pathname, search });

describe("the terms step", () => {
  it("redirects a user without the terms until they accept; the consent has version and time", async () => {
    const user = await createUser(db, "no-terms@t.test");
    const scope = scopeOf(user);

    expect(await termsStepRedirect(scope, page("/o/acme/projects", "?tab=open"))).toBe(
      `/accept-terms?callbackUrl=${encodeURIComponent("/o/acme/projects?tab=open")}`,
    );
    expect(await termsStepRedirect(scope, page("/account"))).toBe(
      "/accept-terms?callbackUrl=%2Faccount",
    );
    expect(await termsStepRedirect(scope, page("/"))).toBe("/accept-terms");

    // The step itself, the texts it asks for, the sign-in pages and server actions (sign-out
    // is one) stay reachable; a path that only starts like a text's does not.
    for (const open of [
      "/accept-terms",
      "/terms",
      "/privacy",
      "/sign-in",
      "/sign-up/checkout",
      "/verify-email",
    ]) {
      expect(await termsStepRedirect(scope, page(open)), open).toBeNull();
    }
    expect(await termsStepRedirect(scope, page("/termsx"))).toBe(
      `/accept-terms?callbackUrl=${encodeURIComponent("/termsx")}`,
    );
    expect(await termsStepRedirect(scope, page("/account", "", "POST"))).toBeNull();

    await callerOf(user).account.recordConsent({
      kind: "TERMS",
      version: TERMS_CONSENT_VERSION,
      granted: true,
    });
    expect(await termsStepRedirect(scope, page("/o/acme/projects"))).toBeNull();
    expect(await termsStepRedirect(scope, page("/"))).toBeNull();

    const records = await db.system.consentRecord.findMany({
      where: { userId: user.id },
      select: { kind: true, version: true, granted: true, recordedAt: true, ipAddress: true },
    });
    expect(records).toEqual([
      {
        kind: "TERMS",
        version: TERMS_CONSENT_VERSION,
        granted: true,
        recordedAt: NOW,
        ipAddress: "198.51.100.9",
      },
    ]);
  });

  it("a first OIDC sign-in (the adapter's new user) lands on the step", async () => {
    const env = parseAuthEnv({
      AUTH_SECRET: "terms-step-test-secret-0123456789",
      AUTH_URL: "http://localhost:3000",
      NODE_ENV: "test",
    });
    const adapter = createAuthConfig({ db, env }).adapter;
    if (!adapter?.createUser) throw new Error("no adapter");
    // What Auth.js passes for a new OIDC identity (providers.ts's profile()).
    const created = await adapter.createUser({
      id: "oidc-subject",
      email: "First@SSO.example.test",
      emailVerified: null,
      name: "First SSO",
      emailVerifiedByProvider: true,
    } as Parameters<typeof adapter.createUser>[0]);
    const user: SessionUser = {
      id: created.id,
      email: created.email,
      name: created.name ?? null,
      platformRole: "USER",
      status: "ACTIVE",
      emailVerified: created.emailVerified,
    };
    expect(await termsStepRedirect(scopeOf(user), page("/new"))).toBe(
      "/accept-terms?callbackUrl=%2Fnew",
    );
  });

  it("an older version (TERMS_CONSENT_VERSION bumped) or a withdrawal sends the user back", async () => {
    const older = await createUser(db, "older-terms@t.test");
    await db.system.consentRecord.create({
      data: { userId: older.id, kind: "TERMS", version: "2020-01-01", granted: true },
    });
    expect(await termsStepRedirect(scopeOf(older), page("/account"))).not.toBeNull();

    const withdrawn = await createUser(db, "withdrawn-terms@t.test");
    await db.system.consentRecord.createMany({
      data: [
        {
          userId: withdrawn.id,
          kind: "TERMS",
          version: TERMS_CONSENT_VERSION,
          granted: true,
          recordedAt: new Date("2026-12-01T00:00:00Z"),
        },
        {
          userId: withdrawn.id,
          kind: "TERMS",
          version: TERMS_CONSENT_VERSION,
          granted: false,
          recordedAt: new Date("2026-12-02T00:00:00Z"),
        },
      ],
    });
    expect(await termsStepRedirect(scopeOf(withdrawn), page("/account"))).not.toBeNull();
  });

  it("signed out: no redirect; the callbackUrl follows the redirect rule", async () => {
    expect(await termsStepRedirect(null, page("/o/acme/projects"))).toBeNull();
    expect(termsStepUrl("//evil.example", "")).toBe("/accept-terms");
    expect(termsStepUrl("/invite/abc", "?x=1")).toBe(
      `/accept-terms?callbackUrl=${encodeURIComponent("/invite/abc?x=1")}`,
    );
  });
});
