// Browser test: the sign-in page shows exactly the configured providers (here only the local
// OpenID Connect provider) → sign in through it (login + consent on the provider) → back in
// Plinth as a new, verified user → the terms step (accept) → create an organization → the account page lists the SSO
// method and this session.
import assert from "node:assert/strict";
import { launchBrowser, newPage } from "./browser.ts";
import { OIDC_DISPLAY_NAME, providerLogin } from "./oidc-provider.ts";

export async function runOidcSignIn(baseUrl: string): Promise<{ login: string }> {
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser, baseUrl, [], { includeConsole: false });
    await page.goto("/sign-in");
    const buttons = await page
      .locator("[data-testid=oauth-providers] button[data-provider]")
      .allInnerTexts();
    assert.deepEqual(
      buttons,
      [`Continue with ${OIDC_DISPLAY_NAME}`],
      "only the configured provider is offered",
    );

    const login = `sso${Date.now()}`;
    await page.click(`button:has-text('Continue with ${OIDC_DISPLAY_NAME}')`);
    // The provider's own development login and consent pages.
    await providerLogin(page, baseUrl, login);

    // Back in Plinth, signed in: a first SSO sign-in never saw sign-up's terms, so the terms
    // step comes first; accepting it goes on to the page the sign-in was for.
    await page.waitForURL(
      (url) => url.href.startsWith(baseUrl) && url.pathname === "/accept-terms",
      { timeout: 30_000 },
    );
    await page.getByRole("checkbox", { name: /^I accept the terms of service/ }).click();
    await page.getByRole("button", { name: "Accept and continue" }).click();
    // With no organization yet.
    await page.waitForURL(
      (url) => url.href.startsWith(baseUrl) && !/^\/(sign-in|accept-terms)/.test(url.pathname),
      { timeout: 30_000 },
    );
    await page.locator("text=Create your organization").first().waitFor({ timeout: 15_000 });
    await page.getByLabel("Organization name").fill("SSO Org");
    await page.getByRole("button", { name: "Create organization" }).click();
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    assert.equal(
      await page.locator("text=Verify your email").count(),
      0,
      "the provider verified the email",
    );

    await page.goto("/account");
    await page
      .locator(`table[aria-label='Sign-in methods'] >> text=${OIDC_DISPLAY_NAME}`)
      .waitFor({ timeout: 15_000 });
    await page.locator(`text=${login}@sso.example.test`).first().waitFor();
    await page.locator("table[aria-label=Sessions] >> text=this device").waitFor();
    // The only method: it cannot be removed.
    assert.equal(
      await page
        .locator("table[aria-label='Sign-in methods'] button:has-text('Remove')")
        .isDisabled(),
      true,
    );
    return { login };
  } finally {
    await browser.close();
  }
}
