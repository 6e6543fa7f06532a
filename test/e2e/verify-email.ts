// Browser test: sign up with a password → the "verify your email" banner → open the
// verification email in the dev mailbox → click its link → verify → create a project (banner
// gone). Needs the web server started with DEV_MAILBOX=1 (run.ts does).
import assert from "node:assert/strict";
import { launchBrowser, newPage } from "./browser.ts";
import { verifyEmailThroughMailbox } from "./mailbox.ts";
import { createProject, signUp } from "./ui.ts";

export async function runVerifyEmail(baseUrl: string): Promise<{ email: string }> {
  const browser = await launchBrowser();
  try {
    const page = await newPage(browser, baseUrl, [], { includeConsole: false });
    const email = `verify-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

    await page.goto("/sign-up");
    await signUp(page, { name: "Katherine Johnson", email, password: "orbital mechanics 1962" });
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    const projectsUrl = page.url();
    await page.locator("text=Verify your email").first().waitFor({ timeout: 15_000 });

    // The dev mailbox: open the verification email, then the link in it.
    await verifyEmailThroughMailbox(page, email);

    // Reusing the link now says so.
    await page.reload();
    await page.click("button:has-text('Verify email')");
    await page.locator("text=already used").waitFor({ timeout: 15_000 });

    await page.goto(projectsUrl);
    await createProject(page, "Mercury");
    await page
      .getByRole("table", { name: "Projects" })
      .getByText("Mercury")
      .waitFor({ timeout: 15_000 });
    assert.equal(
      await page.locator("text=Verify your email").count(),
      0,
      "the verification banner is gone",
    );
    return { email };
  } finally {
    await browser.close();
  }
}
