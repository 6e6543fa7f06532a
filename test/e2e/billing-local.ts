// Browser test of billing on the local provider (no STRIPE_SECRET_KEY): a trial owner hits the
// project limit, follows the upgrade prompt to the billing page, buys Pro on the clearly
// labelled test-mode checkout page, sees Pro active with its test-mode invoice, and the
// second project can now be created.
//
//   pnpm --filter @plinth/web build && pnpm tsx test/e2e/run.ts
import assert from "node:assert/strict";
import { expectVisible, launchBrowser, newPage } from "./browser.ts";
import { verifyEmailThroughMailbox } from "./mailbox.ts";

export async function runBillingLocal(baseUrl: string): Promise<{ slug: string }> {
  const browser = await launchBrowser();
  const consoleErrors: string[] = [];
  try {
    const page = await newPage(browser, baseUrl, consoleErrors);

    // A trial owner, like the demo's trial@demo.plinth.dev: sign up, one project.
    const email = `billing-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
    await page.goto("/sign-up");
    await page.fill("#field-name", "Tess Trial");
    await page.fill("#field-email", email);
    await page.fill("#field-password", "a very good password");
    await page.click("button[type=submit]");
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";
    // Paying needs a verified email address (docs/identity.md).
    await verifyEmailThroughMailbox(page, email);
    await page.goto(`/o/${slug}/projects`);
    await page.fill("#field-name", "Alpha");
    await page.click("form.inline-form button[type=submit]");
    await expectVisible(page, "table[aria-label=Projects] >> text=Alpha");

    // The second project is refused; the upgrade prompt leads to the billing page.
    await page.fill("#field-name", "Beta");
    await page.click("form.inline-form button[type=submit]");
    await expectVisible(page, "[data-testid=upgrade-prompt]");
    await page.click("[data-testid=upgrade-prompt] a");
    await page.waitForURL(new RegExp(`/o/${slug}/billing$`));
    await expectVisible(page, "text=Test mode");
    assert.equal(await page.locator("[data-testid=billing-plan]").innerText(), "Trial");
    assert.equal(await page.locator("[data-testid=billing-status]").innerText(), "Trial");

    // Choose Pro → the test-mode checkout page → activate.
    await page.click("[data-testid=plan-pro] >> text=Choose Pro");
    await page.waitForURL(/\/billing\/test-checkout\?/);
    await expectVisible(page, "text=TEST MODE");
    await expectVisible(page, "text=No payment will be taken.");
    await page.click("text=Activate Pro (test mode)");
    await page.waitForURL(new RegExp(`/o/${slug}/billing\\?checkout=success$`), {
      timeout: 30_000,
    });
    await expectVisible(page, "[data-testid=billing-plan] >> text=Pro");
    assert.equal(await page.locator("[data-testid=billing-status]").innerText(), "Active");
    await expectVisible(page, "table[aria-label=Invoices] >> text=$29.00");
    await expectVisible(page, "[data-testid=plan-pro] >> text=Current plan");
    assert.equal(await page.locator("text=days left in your trial").count(), 0);

    // Pro has unlimited projects: the second one is created.
    await page.click("nav[aria-label=Organization] >> text=Projects");
    await page.waitForURL(new RegExp(`/o/${slug}/projects$`));
    await page.fill("#field-name", "Beta");
    await page.click("form.inline-form button[type=submit]");
    await expectVisible(page, "table[aria-label=Projects] >> text=Beta");
    assert.equal(await page.locator("[data-testid=upgrade-prompt]").count(), 0);

    const unexpected = consoleErrors.filter(
      (line) => !/status of 403|status of 400|status of 409/.test(line),
    );
    assert.deepEqual(unexpected, [], `browser console errors:\n${unexpected.join("\n")}`);
    return { slug };
  } finally {
    await browser.close();
  }
}
