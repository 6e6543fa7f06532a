// Browser test of sign-up with the plan choice (issue 14): the plans are a radio group (trial
// chosen by default), Pro is picked, the account and its trial organization are created and
// the user lands on the checkout step, which asks for a verified email first; after the
// mailbox link, "Continue" comes back to it, checkout goes to the local test-mode page, Pro is
// activated, and the step has nothing left to do (on to the organization).
//
//   pnpm --filter @plinth/web build && pnpm tsx test/e2e/run.ts sign-up with a paid plan
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { expectVisible, launchBrowser, newPage } from "./browser.ts";
import { verifyEmailThroughMailbox } from "./mailbox.ts";
import { SCREENSHOT_DIR } from "./pages.ts";

export async function runSignUpPlan(baseUrl: string): Promise<{ slug: string }> {
  const browser = await launchBrowser();
  const consoleErrors: string[] = [];
  try {
    const page = await newPage(browser, baseUrl, consoleErrors);
    const email = `plan-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

    await page.goto("/sign-up");
    const plans = page.getByRole("group", { name: "Plan" });
    await plans.waitFor();
    const radios = plans.getByRole("radio");
    assert.ok((await radios.count()) >= 3, "the trial and at least two paid plans are offered");
    assert.equal(await plans.getByRole("radio", { name: /^Trial\b/ }).isChecked(), true);
    // One tab stop, arrows move the choice (native radios).
    await plans.getByRole("radio", { name: /^Trial\b/ }).focus();
    await page.keyboard.press("ArrowDown");
    assert.equal(await plans.getByRole("radio", { name: /^Trial\b/ }).isChecked(), false);
    await plans.getByRole("radio", { name: /^Pro\b/ }).check();
    assert.equal(await plans.getByRole("radio", { name: /^Pro\b/ }).isChecked(), true);

    await page.getByLabel("Name", { exact: true }).fill("Paula Pro");
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill("a very good password");
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "flow-sign-up-plans.png"),
      fullPage: true,
    });
    await page.getByRole("button", { name: "Create account" }).click();

    // Signed in, on the checkout step; the organization exists and is on the trial already.
    await page.waitForURL(/\/sign-up\/checkout$/, { timeout: 30_000 });
    await expectVisible(page, "text=Finish signing up for Pro");
    await page.getByTestId("sign-up-verify-first").waitFor();
    assert.equal(await page.getByRole("button", { name: "Continue to checkout" }).count(), 0);

    // The verification email, then "Continue" back to the step.
    await verifyEmailThroughMailbox(page, email);
    await page.getByRole("link", { name: "Continue" }).click();
    await page.waitForURL(/\/sign-up\/checkout$/);
    await page.getByRole("group", { name: "Billing period" }).waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "flow-sign-up-checkout.png"),
      fullPage: true,
    });
    // "Continue on the trial for now": the billing page keeps the way back to the choice.
    await page.getByRole("link", { name: "Continue on the trial for now" }).click();
    await page.waitForURL(/\/o\/[^/]+/);
    await page.goto(`/o/${new URL(page.url()).pathname.split("/")[2] ?? ""}/billing`);
    await expectVisible(page, "text=Pro is waiting for you");
    await page.getByRole("link", { name: "Continue to checkout" }).click();
    await page.waitForURL(/\/sign-up\/checkout$/);
    await page.getByRole("group", { name: "Billing period" }).waitFor();
    await page.getByRole("button", { name: "Continue to checkout" }).click();

    // The local provider's test-mode checkout for Pro.
    await page.waitForURL(/\/billing\/test-checkout\?.*plan=pro/, { timeout: 30_000 });
    await expectVisible(page, "text=TEST MODE");
    await page.getByRole("button", { name: "Activate Pro (test mode)" }).click();
    await page.waitForURL(/\/o\/[^/]+\/billing\?checkout=success$/, { timeout: 30_000 });
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";
    await expectVisible(page, "[data-testid=billing-plan] >> text=Pro");
    assert.equal(await page.locator("[data-testid=billing-status]").innerText(), "Active");

    // Paid: the step is done and leads on to the organization.
    await page.goto("/sign-up/checkout");
    await page.waitForURL(new RegExp(`/o/${slug}(/|$)`), { timeout: 30_000 });

    const unexpected = consoleErrors.filter((line) => !/status of 40[039]/.test(line));
    assert.deepEqual(unexpected, [], `browser console errors:\n${unexpected.join("\n")}`);
    return { slug };
  } finally {
    await browser.close();
  }
}
