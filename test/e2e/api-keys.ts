// Browser test of the API keys page (/o/[slug]/settings/api-keys) with the public API behind
// the app's own origin (the gateway, forwarded by the web server): the Enterprise owner creates
// a key — shown once, then only its prefix and last four in the list (never in the page
// again) — lists projects with it over GET /api/v1/projects (200), rotates it with a grace
// window (both keys listed and both working), revokes the new one (401 problem+json within
// seconds), and the web app's /metrics (loopback) counted the page's tRPC calls.
//
//   pnpm --filter @plinth/web build && pnpm tsx test/e2e/run.ts "API keys page"
import assert from "node:assert/strict";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../prisma/seed.ts";
import { launchBrowser, newPage } from "./browser.ts";
import { signInWithPassword } from "./ui.ts";
import type { Page } from "playwright-core";

const NAME = `E2E key ${Date.now()}`;

async function listProjects(baseUrl: string, key: string) {
  return fetch(`${baseUrl}/api/v1/projects`, { headers: { authorization: `Bearer ${key}` } });
}

/** Reads the key from the "shown once" dialog and closes it. */
async function takeShownKey(page: Page): Promise<string> {
  const dialog = page.getByRole("dialog");
  await dialog.getByText("cannot be shown again").waitFor();
  const key = (await dialog.locator("code").innerText()).trim();
  assert.match(key, /^plk_live_[0-9A-Za-z]+$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "hidden" });
  return key;
}

const rows = (page: Page) =>
  page.getByRole("table", { name: "API keys" }).getByRole("row").filter({ hasText: NAME });

export async function runApiKeys(baseUrl: string): Promise<void> {
  const browser = await launchBrowser();
  const consoleErrors: string[] = [];
  try {
    const page = await newPage(browser, baseUrl, consoleErrors);
    await page.goto("/sign-in");
    await signInWithPassword(page, DEMO_ACCOUNTS[2].email, DEMO_PASSWORD); // Enterprise owner
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";
    await page.goto(`/o/${slug}/settings/api-keys`);
    await page.getByRole("heading", { name: "API keys" }).waitFor();

    // Create: name, one scope → the key, once.
    const form = page.getByRole("form", { name: "New API key" });
    await form.getByRole("textbox", { name: "Name" }).fill(NAME);
    await form.getByRole("checkbox", { name: /projects:read/ }).check();
    await form.getByRole("button", { name: "Create key" }).click();
    const key = await takeShownKey(page);
    const row = rows(page);
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    const display = (await row.locator("code").innerText()).trim();
    assert.ok(display.startsWith("plk_live_"), `listed as ${display}`);
    assert.ok(display.endsWith(key.slice(-4)), `${display} ends with the key's last four`);
    assert.ok(!(await page.content()).includes(key), "the full key is gone from the page");
    await page.reload();
    await row.first().waitFor();
    assert.ok(!(await page.content()).includes(key), "…and is not served again");

    // The key lists the organization's projects through the app's origin.
    const listed = await listProjects(baseUrl, key);
    assert.equal(listed.status, 200, await listed.clone().text());
    assert.ok(Array.isArray(((await listed.json()) as { data?: unknown }).data));
    assert.match(listed.headers.get("ratelimit") ?? "", /^"api";r=\d+;t=\d+$/);

    // Rotate with a 1 h grace window: both keys listed, both work.
    await row.getByRole("button", { name: "Rotate" }).click();
    const confirm = page.getByRole("alertdialog");
    await confirm
      .getByRole("group", { name: "Grace period" })
      .getByRole("button", { name: "1 h" })
      .click();
    await confirm.getByRole("button", { name: "Rotate" }).click();
    const rotated = await takeShownKey(page);
    assert.notEqual(rotated, key);
    await page.waitForFunction(
      (name) =>
        [...document.querySelectorAll("table[aria-label='API keys'] tr")].filter((tr) =>
          tr.textContent?.includes(name),
        ).length === 2,
      NAME,
    );
    await rows(page).filter({ hasText: "rotating" }).waitFor();
    await rows(page).filter({ hasText: "active" }).waitFor();
    assert.equal(
      (await listProjects(baseUrl, key)).status,
      200,
      "the old key works in its grace window",
    );
    assert.equal((await listProjects(baseUrl, rotated)).status, 200, "the new key works");

    // Revoke the new key: refused within seconds (NOTIFY reaches the gateway's cache).
    await rows(page).filter({ hasText: "active" }).getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
    await rows(page).filter({ hasText: "revoked" }).waitFor();
    let refused: Response | undefined;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const answer = await listProjects(baseUrl, rotated);
      if (answer.status === 401) {
        refused = answer;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(refused, "the revoked key is refused");
    assert.match(refused.headers.get("content-type") ?? "", /^application\/problem\+json/);
    const problem = (await refused.json()) as { status?: number; type?: string };
    assert.equal(problem.status, 401);
    assert.equal(typeof problem.type, "string");

    // The web app's /metrics (this runner is on loopback) counted the page's calls.
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    assert.match(metrics, /web_trpc_calls_total\{procedure="apiKey\.create",status="200"\} 1/);
    assert.match(metrics, /web_trpc_calls_total\{procedure="apiKey\.revoke",status="200"\} 1/);

    assert.deepEqual(consoleErrors, [], `browser console errors:\n${consoleErrors.join("\n")}`);
  } finally {
    await browser.close();
  }
}
