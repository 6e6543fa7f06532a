// Browser test: sign up → land on the new organization's projects → create a project →
// a second project on the Trial plan shows the upgrade prompt (not a generic error) →
// sign out → sign in again (and a wrong password shows the neutral error).
//
//   pnpm --filter @plinth/web build        # once
//   pnpm tsx test/e2e/signup-upgrade.ts    # starts PostgreSQL (DATABASE_URL or embedded) and the app
//   E2E_BASE_URL=http://127.0.0.1:3100 pnpm tsx test/e2e/signup-upgrade.ts   # against a running app
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { expectVisible, launchBrowser, newPage } from "./browser.ts";

export interface SignUpUpgradeResult {
  email: string;
  slug: string;
  screenshot: string;
}

export async function runSignUpUpgrade(
  baseUrl: string,
  options: { screenshotDir?: string } = {},
): Promise<SignUpUpgradeResult> {
  const browser = await launchBrowser();
  const consoleErrors: string[] = [];
  try {
    const page = await newPage(browser, baseUrl, consoleErrors);

    // Signed out: the app sends us to sign-in.
    await page.goto("/");
    await page.waitForURL(/\/sign-in/);

    const email = `e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
    const password = "a very good password";
    await page.goto("/sign-up");
    // A short password is a field error under the input.
    await page.fill("#field-name", "Grace Hopper");
    await page.fill("#field-email", email);
    await page.fill("#field-password", "short");
    await page.click("button[type=submit]");
    await expectVisible(page, "#field-password-error");

    await page.fill("#field-password", password);
    await page.click("button[type=submit]");
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";
    assert.ok(slug, "organization slug in the URL");
    await expectVisible(page, "text=days left in your trial");
    assert.equal(
      await page.locator("select[aria-label='Switch organization'] option:checked").innerText(),
      "Grace Hopper's organization",
    );

    // First project: allowed.
    await page.fill("#field-name", "Apollo");
    await page.click("form.inline-form button[type=submit]");
    await expectVisible(page, "table[aria-label=Projects] >> text=Apollo");

    // Second project on the Trial plan: the upgrade prompt, naming the plan that lifts it.
    await page.fill("#field-name", "Gemini");
    await page.click("form.inline-form button[type=submit]");
    await expectVisible(page, "[data-testid=upgrade-prompt]");
    const prompt = await page.locator("[data-testid=upgrade-prompt]").innerText();
    assert.match(prompt, /Upgrade to \w+/, prompt);
    assert.match(prompt, /allows 1 project/, prompt);
    assert.equal(await page.locator("table[aria-label=Projects] >> text=Gemini").count(), 0);

    const screenshotDir = options.screenshotDir ?? path.join(process.cwd(), "test-results");
    await mkdir(screenshotDir, { recursive: true });
    const screenshot = path.join(screenshotDir, "signup-upgrade.png");
    await page.screenshot({ path: screenshot, fullPage: true });

    // Sign out, then a wrong password gets the neutral message, the right one gets back in.
    await page.click("text=Sign out");
    await page.waitForURL(/\/sign-in/);
    await page.fill("#field-email", email);
    await page.fill("#field-password", "not the password");
    // The sign-in page may also offer OAuth/SSO buttons: click the password form's own.
    await page.click("#password-sign-in button[type=submit]");
    await expectVisible(page, "text=don't match an active account");
    await page.fill("#field-password", password);
    await page.click("#password-sign-in button[type=submit]");
    await page.waitForURL(new RegExp(`/o/${slug}/projects$`), { timeout: 30_000 });
    await expectVisible(page, "table[aria-label=Projects] >> text=Apollo");

    const unexpected = consoleErrors.filter(
      (line) => !/status of 403|status of 400|status of 409/.test(line),
    );
    assert.deepEqual(unexpected, [], `browser console errors:\n${unexpected.join("\n")}`);
    return { email, slug, screenshot };
  } finally {
    await browser.close();
  }
}

// Run directly: `pnpm tsx test/e2e/signup-upgrade.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const given = process.env.E2E_BASE_URL;
  if (given) {
    console.log(await runSignUpUpgrade(given));
  } else {
    const { openLocalDatabase } = await import("@plinth/db/local-database");
    const { migrate } = await import("@plinth/db/migrate");
    const { startWebServer } = await import("./server.ts");
    const database = await openLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
    try {
      await migrate(database.url);
      const server = await startWebServer({ databaseUrl: database.url });
      try {
        console.log(await runSignUpUpgrade(server.url));
      } catch (error) {
        console.error(server.output());
        throw error;
      } finally {
        await server.stop();
      }
    } finally {
      await database.stop();
    }
  }
}
