// A local OpenID Connect provider for the browser tests (the `oidc-provider` package on
// loopback, with its development login and consent pages): any login name signs in as
// <login>@sso.example.test with a verified email.
import { createServer, type Server } from "node:http";
import assert from "node:assert/strict";
import Provider from "oidc-provider";
import type { Page } from "playwright-core";
import { freePort } from "./server.ts";

export interface LocalOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Environment for startWebServer: enables the "oidc" sign-in provider. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const OIDC_DISPLAY_NAME = "Acme SSO";

export async function startOidcProvider(options: { webUrl: string }): Promise<LocalOidcProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "plinth-e2e";
  const clientSecret = "plinth-e2e-client-secret-0123456789";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${options.webUrl}/api/auth/callback/oidc`],
        response_types: ["code"],
        grant_types: ["authorization_code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount(_ctx, sub) {
      return {
        accountId: sub,
        claims() {
          return {
            sub,
            email: `${sub}@sso.example.test`,
            email_verified: true,
            name: `SSO ${sub}`,
          };
        },
      };
    },
    features: { devInteractions: { enabled: true } },
    // Put the email/profile claims in the ID token (as Okta, Entra ID and Google do), which
    // is what Auth.js reads for "oidc" providers.
    conformIdTokenClaims: false,
    cookies: { keys: ["plinth-e2e-oidc-cookie-key"] },
  });
  // Plain http on loopback.
  provider.proxy = false;
  provider.on(
    "grant.error",
    (ctx: { oidc?: { params?: Record<string, unknown> } }, error: Error) => {
      console.error(
        `oidc-provider grant.error: ${error.message} ${JSON.stringify({ ...ctx.oidc?.params, code: undefined, code_verifier: undefined })}`,
      );
    },
  );
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    issuer,
    clientId,
    clientSecret,
    env: {
      AUTH_OIDC_ISSUER: issuer,
      AUTH_OIDC_ID: clientId,
      AUTH_OIDC_SECRET: clientSecret,
      AUTH_OIDC_NAME: OIDC_DISPLAY_NAME,
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** On the provider's development pages: log in as `login`, then consent if asked. */
export async function providerLogin(page: Page, baseUrl: string, login: string) {
  await page.waitForSelector("input[name=login]", { timeout: 30_000 });
  assert.ok(!page.url().startsWith(baseUrl), `on the identity provider: ${page.url()}`);
  await page.fill("input[name=login]", login);
  await page.fill("input[name=password]", "anything");
  await page.click("button[type=submit]");
  await page.waitForSelector("button:has-text('Continue')", { timeout: 15_000 });
  await page.click("button:has-text('Continue')");
}
