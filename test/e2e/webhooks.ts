// Browser test of the webhooks settings page: an owner adds an endpoint, sees its signing secret
// once (copy dialog) and never again after closing it or reloading, sends a test event that
// appears in the delivery log as pending (no worker runs here), filters the log, rotates the
// secret (a new one, shown once) and deletes the endpoint.
//
//   pnpm --filter @plinth/web build && pnpm tsx test/e2e/run.ts "webhooks"
import assert from "node:assert/strict";
import { launchBrowser, newPage } from "./browser.ts";
import { signUp } from "./ui.ts";

export async function runWebhooks(baseUrl: string): Promise<void> {
  const browser = await launchBrowser();
  const consoleErrors: string[] = [];
  try {
    const page = await newPage(browser, baseUrl, consoleErrors);
    const email = `hooks-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
    await page.goto("/sign-up");
    await signUp(page, { name: "Hook Owner", email, password: "a very good password" });
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";

    await page.goto(`/o/${slug}/settings`);
    await page.getByRole("link", { name: "Manage webhooks" }).click();
    await page.waitForURL(new RegExp(`/o/${slug}/settings/webhooks$`));
    const endpoints = page.getByRole("table", { name: "Webhook endpoints" });
    await endpoints.getByText("No webhook endpoints yet.").waitFor();

    // Submitting without an event is refused by the contract's schema.
    const url = "https://hooks.example.com/plinth";
    await page.getByLabel("URL", { exact: true }).fill(url);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.getByText("Choose at least one event").waitFor();
    await page.locator("label", { hasText: "webhook.test" }).getByRole("checkbox").click();
    await page.getByRole("button", { name: "Add endpoint" }).click();

    const dialog = page.getByRole("dialog", { name: "Signing secret" });
    await dialog.waitFor();
    const secret = (await dialog.locator("code").innerText()).trim();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    await dialog.getByRole("button", { name: "Done" }).click();
    await endpoints.getByText(url).waitFor();
    assert.equal((await page.content()).includes(secret), false, "secret still on the page");
    await page.reload();
    await endpoints.getByText(url).waitFor();
    assert.equal((await page.content()).includes(secret), false, "secret shown after reload");

    // A test event: queued, listed as pending (no worker in this test).
    await endpoints.getByRole("button", { name: "Send test" }).click();
    await page.getByText("Test event queued").first().waitFor();
    const log = page.getByRole("table", { name: "Webhook deliveries" });
    await log.getByText("webhook.test").waitFor();
    await log.getByText("pending").waitFor();
    const status = page.getByRole("group", { name: "Status" });
    await status.getByRole("button", { name: "Failed" }).click();
    await log.getByText("No deliveries.").waitFor();
    await status.getByRole("button", { name: "Pending" }).click();
    await log.getByText("webhook.test").waitFor();

    // Rotation shows a new secret, once.
    await endpoints.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Rotate" }).click();
    await dialog.waitFor();
    const rotated = (await dialog.locator("code").innerText()).trim();
    assert.match(rotated, /^whsec_/);
    assert.notEqual(rotated, secret);
    await dialog.getByRole("button", { name: "Done" }).click();

    await endpoints.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await endpoints.getByText("No webhook endpoints yet.").waitFor();

    const unexpected = consoleErrors.filter((line) => !/status of 400/.test(line));
    assert.deepEqual(unexpected, [], `browser console errors:\n${unexpected.join("\n")}`);
  } finally {
    await browser.close();
  }
}
