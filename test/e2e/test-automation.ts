// Browser test of the test-automation pages as the Pro demo owner: the Tests page shows the
// seeded suite and its dashboard; an environment is created with a write-only secret (its
// value never shown); a suite and a test (written by the form into the JSON editor) are
// added; a run is started and its run page shows it queued (no worker runs in e2e) and can
// cancel it.
//
//   pnpm --filter @plinth/web build && pnpm tsx test/e2e/run.ts "test automation"
import assert from "node:assert/strict";
import { DEMO_PASSWORD } from "../../prisma/seed.ts";
import { expectVisible, launchBrowser, newPage } from "./browser.ts";
import { signInWithPassword } from "./ui.ts";

export async function runTestAutomation(baseUrl: string): Promise<void> {
  const browser = await launchBrowser();
  const consoleErrors: string[] = [];
  try {
    const page = await newPage(browser, baseUrl, consoleErrors);
    await page.goto("/sign-in");
    await signInWithPassword(page, "pro@demo.plinth.dev", DEMO_PASSWORD);
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";

    await page
      .getByRole("navigation", { name: "Organization" })
      .getByRole("link", { name: "Tests" })
      .click();
    await page.waitForURL(new RegExp(`/o/${slug}/tests$`));
    const suites = page.getByRole("table", { name: "Suites" });
    await suites.getByText("API smoke tests").waitFor();
    await expectVisible(page, "text=Flakiest tests");

    // An environment with a secret: the value is never shown again.
    const secret = `e2e-secret-${Date.now()}`;
    const envForm = page.getByRole("form", { name: "New environment" });
    await envForm.getByLabel("Name").fill("E2E");
    await envForm.getByLabel("Base URL").fill("http://127.0.0.1:9");
    await envForm.getByRole("button", { name: "Add secret" }).click();
    await envForm.getByLabel("Secret 1 name").fill("API_TOKEN");
    await envForm.getByLabel("Secret 1 value").fill(secret);
    await envForm.getByRole("button", { name: "Create environment" }).click();
    await expectVisible(page, "text=API_TOKEN=••••");
    assert.equal(await page.locator(`text=${secret}`).count(), 0);

    // A suite, then a test written by the form into the JSON editor.
    const suiteForm = page.getByRole("form", { name: "New suite" });
    await suiteForm.getByLabel("Suite name").fill("E2E suite");
    await suiteForm.getByRole("button", { name: "Create suite" }).click();
    await suites.getByText("E2E suite").waitFor();
    await page.getByLabel("Suite", { exact: true }).selectOption({ label: "E2E suite" });
    await page.getByLabel("Name", { exact: true }).first().fill("Health");
    await page.getByLabel("URL or path").fill("/api/health");
    await page.getByRole("button", { name: "Write the definition" }).click();
    const definition = await page.getByLabel(/Definition/).inputValue();
    assert.match(definition, /"url": "\/api\/health"/);
    await page.getByRole("button", { name: "Add test" }).click();
    await expectVisible(page, "text=Test “Health” added");

    // Run it: the run page shows it queued and cancels it.
    await page.getByLabel("Environment", { exact: true }).selectOption({ label: "E2E" });
    await suites
      .getByRole("row", { name: /E2E suite/ })
      .getByRole("button", { name: "Run" })
      .click();
    await page.waitForURL(new RegExp(`/o/${slug}/tests/runs/c[a-z0-9]{24}$`), { timeout: 30_000 });
    await expectVisible(page, "text=E2E suite on E2E");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expectVisible(page, "[data-status=CANCELED]");
    assert.deepEqual(consoleErrors, []);
  } finally {
    await browser.close();
  }
}
