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
import { signInWithPassword, signOut } from "./ui.ts";

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
    // A short password is a field error under the input (the server's own schema, in the browser).
    await page.getByLabel("Name").fill("Grace Hopper");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Use at least 10 characters").waitFor();
    assert.equal(await page.getByLabel("Password").getAttribute("aria-invalid"), "true");

    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";
    assert.ok(slug, "organization slug in the URL");
    await expectVisible(page, "text=days left in your trial");
    assert.equal(
      await page.getByTestId("current-organization").innerText(),
      "Grace Hopper's organization",
    );

    // First project: allowed.
    const projects = page.getByRole("table", { name: "Projects" });
    await page.getByLabel("Project name").fill("Apollo");
    await page.getByRole("button", { name: "Create project" }).click();
    await projects.getByText("Apollo").waitFor();

    // Second project on the Trial plan: the upgrade prompt, naming the plan that lifts it.
    await page.getByLabel("Project name").fill("Gemini");
    await page.getByRole("button", { name: "Create project" }).click();
    await expectVisible(page, "[data-testid=upgrade-prompt]");
    const prompt = await page.locator("[data-testid=upgrade-prompt]").innerText();
    assert.match(prompt, /Upgrade to \w+/, prompt);
    assert.match(prompt, /allows 1 project/, prompt);
    assert.equal(await projects.getByText("Gemini").count(), 0);

    const screenshotDir =
      options.screenshotDir ?? path.join(process.cwd(), "test-results", "screenshots");
    await mkdir(screenshotDir, { recursive: true });
    const screenshot = path.join(screenshotDir, "flow-upgrade-prompt.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    await page.keyboard.press("Escape");

    // Sign out, then a wrong password gets the neutral message, the right one gets back in.
    await signOut(page);
    await signInWithPassword(page, email, "not the password");
    await expectVisible(page, "text=don't match an active account");
    await signInWithPassword(page, email, password);
    await page.waitForURL(new RegExp(`/o/${slug}/projects$`), { timeout: 30_000 });
    await projects.getByText("Apollo").waitFor();

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
