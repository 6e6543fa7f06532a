// Unit tests: which providers the environment enables, env validation, session cookie flags,
// and the same-origin rule for mutations.
import { describe, expect, it } from "vitest";
import { createAuthConfig, sessionCookie, usesSecureCookies } from "../src/config.ts";
import { parseAuthEnv } from "../src/env.ts";
import { checkRequestOrigin } from "../src/origin.ts";
import { configuredOAuthProviders, oauthProviders } from "../src/providers.ts";
import type { Database } from "@plinth/db";

const base = { AUTH_SECRET: "test-secret" };

describe("configuredOAuthProviders", () => {
  it("lists nothing when no provider is configured (empty strings count as unset)", () => {
    expect(
      configuredOAuthProviders(
        parseAuthEnv({ ...base, AUTH_GITHUB_ID: "", AUTH_GITHUB_SECRET: "" }),
      ),
    ).toEqual([]);
  });

  it("lists exactly the providers whose id and secret are set, in display order", () => {
    const env = parseAuthEnv({
      ...base,
      AUTH_GOOGLE_ID: "g",
      AUTH_GOOGLE_SECRET: "gs",
      AUTH_GITHUB_ID: "h",
      AUTH_GITHUB_SECRET: "hs",
    });
    expect(configuredOAuthProviders(env)).toEqual([
      { id: "github", name: "GitHub" },
      { id: "google", name: "Google" },
    ]);
    expect(oauthProviders(env).map((p) => (typeof p === "function" ? p().id : p.id))).toEqual([
      "github",
      "google",
    ]);
  });

  it("enables OpenID Connect with issuer + id + secret, labelled by AUTH_OIDC_NAME", () => {
    const env = parseAuthEnv({
      ...base,
      AUTH_OIDC_ISSUER: "https://sso.example.com",
      AUTH_OIDC_ID: "c",
      AUTH_OIDC_SECRET: "s",
      AUTH_OIDC_NAME: "Acme SSO",
    });
    expect(configuredOAuthProviders(env)).toEqual([{ id: "oidc", name: "Acme SSO" }]);
    const [oidc] = oauthProviders(env);
    expect(oidc).toMatchObject({
      id: "oidc",
      type: "oidc",
      issuer: "https://sso.example.com",
      clientId: "c",
    });
  });

  it("refuses a half-configured provider at start-up instead of hiding its button", () => {
    expect(() => parseAuthEnv({ ...base, AUTH_GITHUB_ID: "only-the-id" })).toThrow(
      /AUTH_GITHUB_SECRET/,
    );
    expect(() =>
      parseAuthEnv({ ...base, AUTH_OIDC_ISSUER: "https://sso.example.com", AUTH_OIDC_ID: "c" }),
    ).toThrow(/AUTH_OIDC_SECRET/);
    expect(() =>
      parseAuthEnv({
        ...base,
        AUTH_OIDC_ISSUER: "not a url",
        AUTH_OIDC_ID: "c",
        AUTH_OIDC_SECRET: "s",
      }),
    ).toThrow(/AUTH_OIDC_ISSUER/);
  });

  it("marks the email verified only when the identity provider asserts it", async () => {
    const env = parseAuthEnv({
      ...base,
      AUTH_OIDC_ISSUER: "https://sso.example.com",
      AUTH_OIDC_ID: "c",
      AUTH_OIDC_SECRET: "s",
    });
    const [oidc] = oauthProviders(env);
    if (!oidc || typeof oidc === "function" || oidc.type !== "oidc" || !oidc.profile)
      throw new Error("no oidc profile");
    const tokens = {};
    expect(
      await oidc.profile({ sub: "u1", email: "Ann@Example.COM", email_verified: true }, tokens),
    ).toMatchObject({
      id: "u1",
      email: "ann@example.com",
      emailVerifiedByProvider: true,
    });
    expect(await oidc.profile({ sub: "u2", email: "bob@example.com" }, tokens)).toMatchObject({
      emailVerifiedByProvider: false,
    });
  });
});

describe("session cookie", () => {
  const fakeDb = { app: {} } as unknown as Database;
  const cookieOf = (env: Record<string, string>) =>
    createAuthConfig({ db: fakeDb, env: parseAuthEnv(env) }).cookies?.sessionToken;

  it("is httpOnly, SameSite=Lax and Secure (with the __Secure- prefix) in production over https", () => {
    const cookie = cookieOf({
      ...base,
      NODE_ENV: "production",
      AUTH_URL: "https://app.example.com",
    });
    expect(cookie).toEqual({
      name: "__Secure-authjs.session-token",
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: true },
    });
  });

  it("drops Secure only in development or for an explicit plain-http AUTH_URL (local next start)", () => {
    expect(cookieOf({ ...base, NODE_ENV: "development" })?.options).toMatchObject({
      httpOnly: true,
      sameSite: "lax",
      secure: false,
    });
    expect(usesSecureCookies({ NODE_ENV: "production", AUTH_URL: "http://127.0.0.1:3100" })).toBe(
      false,
    );
    expect(usesSecureCookies({ NODE_ENV: "production", AUTH_URL: undefined })).toBe(true);
    expect(sessionCookie(false).name).toBe("authjs.session-token");
  });

  it("shows every configured provider plus password and magic link to Auth.js", () => {
    const config = createAuthConfig({
      db: fakeDb,
      env: parseAuthEnv({ ...base, AUTH_GITHUB_ID: "h", AUTH_GITHUB_SECRET: "hs" }),
    });
    expect(config.providers.map((p) => (typeof p === "function" ? p().id : p.id))).toEqual([
      "credentials",
      "email",
      "github",
    ]);
  });
});

describe("checkRequestOrigin (tRPC mutations)", () => {
  const allowedOrigins = ["https://app.example.com/"];
  const check = (method: string, headers: Record<string, string>) =>
    checkRequestOrigin({ method, headers: new Headers(headers), allowedOrigins });

  it("accepts a same-origin browser mutation (Sec-Fetch-Site) and reads of any kind", () => {
    expect(check("POST", { "sec-fetch-site": "same-origin" })).toEqual({
      ok: true,
      kind: "same-origin",
    });
    expect(check("GET", { "sec-fetch-site": "cross-site" })).toEqual({ ok: true, kind: "read" });
  });

  it("refuses cross-site and same-site (another subdomain) mutations", () => {
    expect(
      check("POST", { "sec-fetch-site": "cross-site", origin: "https://app.example.com" }).ok,
    ).toBe(false);
    expect(check("POST", { "sec-fetch-site": "same-site" }).ok).toBe(false);
    expect(check("POST", { "sec-fetch-site": "none" }).ok).toBe(false);
  });

  it("falls back to Origin when Sec-Fetch-Site is absent; no Origin at all is refused", () => {
    expect(check("POST", { origin: "https://app.example.com" })).toEqual({
      ok: true,
      kind: "same-origin",
    });
    expect(check("POST", { origin: "https://evil.example" }).ok).toBe(false);
    expect(check("POST", { origin: "null" }).ok).toBe(false);
    expect(check("POST", {}).ok).toBe(false);
  });

  it("lets API-key clients (Authorization: Bearer) through to the API-key hook", () => {
    expect(check("POST", { authorization: "Bearer pk_live_abc" })).toEqual({
      ok: true,
      kind: "api-key",
    });
    expect(check("POST", { authorization: "Basic abc" }).ok).toBe(false);
  });
});
