// Browser test of billing on the local provider (no STRIPE_SECRET_KEY): a trial owner hits the
// project limit, follows the upgrade prompt to the billing page, buys Pro on the clearly
// labelled test-mode checkout page, sees Pro active with its test-mode invoice, and the
// second project can now be created.
//
//   pnpm --filter @plinth/web build && pnpm tsx test/e2e/run.ts
import assert from "node:assert/strict";
import { expectVisible, launchBrowser, newPage } from "./browser.ts";
import { verifyEmailThroughMailbox } from "./mailbox.ts";
import { createProject, signUp } from "./ui.ts";

export async function runBillingLocal(baseUrl: string): Promise<{ slug: string }> {
  const browser = await launchBrowser();
  const consoleErrors: string[] = [];
  try {
    const page = await newPage(browser, baseUrl, consoleErrors);

    // A trial owner, like the demo's trial@demo.plinth.dev: sign up, one project.
    const email = `billing-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
    await page.goto("/sign-up");
    await signUp(page, { name: "Tess Trial", email, password: "a very good password" });
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";
    // Paying needs a verified email address (docs/identity.md).
    await verifyEmailThroughMailbox(page, email);
    await page.goto(`/o/${slug}/projects`);
    const projects = page.getByRole("table", { name: "Projects" });
    await createProject(page, "Alpha");
    await projects.getByText("Alpha").waitFor();

    // The second project is refused; the upgrade prompt leads to the billing page.
    await createProject(page, "Beta");
    await expectVisible(page, "[data-testid=upgrade-prompt]");
    await page.locator("[data-testid=upgrade-prompt]").getByRole("link").click();
    await page.waitForURL(new RegExp(`/o/${slug}/billing$`));
    await page.getByText("Test mode", { exact: true }).first().waitFor();
    assert.equal(await page.locator("[data-testid=billing-plan]").innerText(), "Trial");
    assert.equal(await page.locator("[data-testid=billing-status]").innerText(), "Trial");

    // Choose Pro → the test-mode checkout page → activate.
    await page.getByTestId("plan-pro").getByRole("button", { name: "Choose Pro" }).click();
    await page.waitForURL(/\/billing\/test-checkout\?/);
    await expectVisible(page, "text=TEST MODE");
    await expectVisible(page, "text=No payment will be taken.");
    await page.getByRole("button", { name: "Activate Pro (test mode)" }).click();
    await page.waitForURL(new RegExp(`/o/${slug}/billing\\?checkout=success$`), {
      timeout: 30_000,
    });
    await expectVisible(page, "[data-testid=billing-plan] >> text=Pro");
    assert.equal(await page.locator("[data-testid=billing-status]").innerText(), "Active");
    await page.getByRole("table", { name: "Invoices" }).getByText("$29.00").waitFor();
    await page.getByTestId("plan-pro").getByText("Current plan").waitFor();
    assert.equal(await page.locator("text=days left in your trial").count(), 0);

    // Pro has unlimited projects: the second one is created.
    await page
      .getByRole("navigation", { name: "Organization" })
      .getByRole("link", { name: "Projects" })
      .click();
    await page.waitForURL(new RegExp(`/o/${slug}/projects$`));
    await createProject(page, "Beta");
    await projects.getByText("Beta").waitFor();
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
