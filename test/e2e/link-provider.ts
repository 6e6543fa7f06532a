// Browser test: linking a sign-in provider while signed in (the local OpenID Connect provider
// from oidc-provider.ts), from the account page.
//  1. Alice (password) links the SSO identity `login`: it is listed as hers (stored for her).
//  2. Bob (password, another browser) tries to link the same SSO identity: refused
//     (Auth.js OAuthAccountNotLinked → the account page's message); it stays Alice's and Bob
//     has no linked account.
//  3. Alice removes her password (the SSO method remains); the SSO method, now her last, cannot
//     be removed (button disabled, and the API refuses).
//  4. Signed out, Alice signs in through SSO and is Alice again (not a new user).
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { hashPassword } from "@plinth/auth/password";
import { createDatabase, systemClient } from "@plinth/db";
import { launchBrowser, newPage } from "./browser.ts";
import { OIDC_DISPLAY_NAME, providerLogin } from "./oidc-provider.ts";
import { signInWithPassword } from "./ui.ts";
import { acceptedTerms } from "./fixtures.ts";

const METHODS = "table[aria-label='Sign-in methods']";

async function signedInPage(
  browser: Browser,
  baseUrl: string,
  email: string,
  password: string,
): Promise<Page> {
  const page = await newPage(browser, baseUrl, [], { includeConsole: false });
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/account")}`);
  await signInWithPassword(page, email, password);
  await page.waitForURL((url) => url.pathname === "/account", { timeout: 30_000 });
  await page.locator(METHODS).waitFor(); // past the loading skeleton
  return page;
}

export async function runLinkProvider(
  baseUrl: string,
  options: { databaseUrl: string },
): Promise<void> {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const password = "a very good password";
  const alice = `alice-${stamp}@example.com`;
  const bob = `bob-${stamp}@example.com`;
  const login = `link${stamp.replace("-", "")}`;
  const db = createDatabase(options.databaseUrl, { poolMax: 2 });
  const system = systemClient(db, "e2e: fixtures and checks");
  try {
    const passwordHash = await hashPassword(password);
    const aliceUser = await system.user.create({
      data: {
        ...acceptedTerms(),
        email: alice,
        name: "Alice",
        passwordHash,
        emailVerified: new Date(),
      },
    });
    const bobUser = await system.user.create({
      data: {
        ...acceptedTerms(),
        email: bob,
        name: "Bob",
        passwordHash,
        emailVerified: new Date(),
      },
    });

    const browser = await launchBrowser();
    try {
      // 1. Alice links the SSO identity.
      const page = await signedInPage(browser, baseUrl, alice, password);
      assert.equal(await page.locator(`${METHODS} tr`).count(), 1, "only the password at first");
      await page.click(`button:has-text('Link ${OIDC_DISPLAY_NAME}')`);
      await providerLogin(page, baseUrl, login);
      await page.waitForURL((url) => url.href.startsWith(baseUrl) && url.pathname === "/account", {
        timeout: 30_000,
      });
      assert.ok(!page.url().includes("error="), `no error: ${page.url()}`);
      await page.locator(`${METHODS} >> text=${OIDC_DISPLAY_NAME}`).waitFor({ timeout: 15_000 });
      assert.equal(await page.locator(`${METHODS} tr`).count(), 2);
      const linked = await system.account.findMany({
        where: { provider: "oidc", providerAccountId: login },
      });
      assert.deepEqual(
        linked.map((a) => a.userId),
        [aliceUser.id],
        "the SSO identity is linked to Alice",
      );
      // Still Alice's session and address (the provider's address differs).
      await page.locator(`text=${alice}`).first().waitFor();

      // 2. Bob tries to link the same SSO identity.
      const bobPage = await signedInPage(browser, baseUrl, bob, password);
      await bobPage.click(`button:has-text('Link ${OIDC_DISPLAY_NAME}')`);
      await providerLogin(bobPage, baseUrl, login);
      await bobPage.waitForURL(
        (url) => url.href.startsWith(baseUrl) && url.pathname === "/account",
        { timeout: 30_000 },
      );
      assert.equal(new URL(bobPage.url()).searchParams.get("error"), "OAuthAccountNotLinked");
      await bobPage
        .locator("text=already linked to another Plinth user")
        .waitFor({ timeout: 15_000 });
      await bobPage.locator(`text=${bob}`).first().waitFor(); // still Bob
      assert.equal(await bobPage.locator(`${METHODS} tr`).count(), 1, "Bob has only his password");
      assert.equal(await system.account.count({ where: { userId: bobUser.id } }), 0);
      assert.deepEqual(
        (
          await system.account.findMany({
            where: { provider: "oidc", providerAccountId: login },
          })
        ).map((a) => a.userId),
        [aliceUser.id],
        "still Alice's",
      );

      // 3. Alice removes her password; the SSO method is then her last and stays.
      await page.reload();
      await page
        .locator(`${METHODS} tr`, { hasText: "Email and password" })
        .getByRole("button", { name: "Remove" })
        .click();
      // Removing a sign-in method asks first.
      await page
        .getByRole("alertdialog")
        .getByRole("button", { name: "Remove sign-in method" })
        .click();
      await page.waitForFunction(
        (selector) => document.querySelectorAll(`${selector} tr`).length === 1,
        METHODS,
        { timeout: 15_000 },
      );
      assert.equal(
        (await system.user.findUniqueOrThrow({ where: { id: aliceUser.id } })).passwordHash,
        null,
      );
      const lastRemove = page
        .locator(`${METHODS} tr`, { hasText: OIDC_DISPLAY_NAME })
        .locator("button:has-text('Remove')");
      assert.equal(await lastRemove.isDisabled(), true, "the last method cannot be removed");
      // The API refuses too (a same-origin call from the page, as the button would make).
      const status = await page.evaluate(async () => {
        const response = await fetch("/api/trpc/account.unlinkSignInMethod", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ json: { kind: "oauth", provider: "oidc" } }),
        });
        return response.status;
      });
      assert.equal(status, 412, "unlinking the last method is refused (PRECONDITION_FAILED)");
      assert.equal(await system.account.count({ where: { userId: aliceUser.id } }), 1);

      // 4. In a new browser (signed out), the SSO identity signs Alice in.
      const fresh = await newPage(browser, baseUrl, [], { includeConsole: false });
      await fresh.goto("/sign-in");
      await fresh.click(`button:has-text('Continue with ${OIDC_DISPLAY_NAME}')`);
      await providerLogin(fresh, baseUrl, login);
      await fresh.waitForURL(
        (url) => url.href.startsWith(baseUrl) && !url.pathname.startsWith("/sign-in"),
        { timeout: 30_000 },
      );
      await fresh.goto("/account");
      await fresh.locator(`text=${alice}`).first().waitFor({ timeout: 15_000 });
      assert.equal(
        await system.user.count({ where: { email: `${login}@sso.example.test` } }),
        0,
        "no second user was created",
      );
    } finally {
      await browser.close();
    }
  } finally {
    await db.disconnect();
  }
}
