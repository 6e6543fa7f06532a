// Dashboard pages answer with their data in the first HTML (no route-level Suspense boundary:
// docs/benchmarks.md, "Where the LCP goes"), and a sidebar link shows the target page's
// skeleton while that page is on its way (apps/web/src/components/navigation-skeleton.tsx).
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS, DEMO_ADMIN, DEMO_PASSWORD } from "../../prisma/seed.ts";
import { accessibility, launchBrowser, newPage } from "./browser.ts";
import { signInWithPassword } from "./ui.ts";

/** How long the test holds the server's answer to a navigation, so the skeleton can be seen. */
const HELD_MS = 1_500;

export async function runNavigationSkeletons(baseUrl: string) {
  const browser = await launchBrowser();
  const errors: string[] = [];
  try {
    const page = await newPage(browser, baseUrl, errors);
    const slug = await signIn(page, DEMO_ACCOUNTS[2].email); // Enterprise: members, invitations
    const projects = `/o/${slug}/projects`;
    const members = `/o/${slug}/members`;

    // 1. The first HTML holds each page's data, not a skeleton to be filled later.
    await page.goto(projects);
    await firstHtmlHolds(page, projects, await firstCell(page), "the first project's row");
    await page.goto(members);
    await firstHtmlHolds(page, members, await firstCell(page), "the first member's row");

    // 2. Sidebar navigation: the target's skeleton at once, then the page in its place.
    await page.goto(projects);
    await page.getByRole("heading", { name: "Projects", level: 1 }).waitFor();
    await page.route(
      (url) => url.pathname === members,
      async (route) => {
        // The client router's request for the page (RSC payload): held, then answered.
        if (route.request().headers()["rsc"]) await delay(HELD_MS);
        await route.continue();
      },
    );
    const started = Date.now();
    await page
      .getByRole("navigation", { name: "Organization" })
      .getByRole("link", { name: "Members" })
      .click();
    const skeleton = page.getByRole("status").filter({ hasText: "Loading members" });
    await skeleton.waitFor({ timeout: HELD_MS });
    assert.ok(Date.now() - started < HELD_MS, "the skeleton shows before the page's answer");
    assert.ok(
      !(await page.getByRole("heading", { name: "Projects", level: 1 }).isVisible()),
      "the page being left is hidden behind the skeleton",
    );
    await accessibility.checkState(page, "members: the navigation skeleton");
    await page.getByRole("heading", { name: "Members", level: 1 }).waitFor();
    await skeleton.waitFor({ state: "detached" });
    assert.equal(new URL(page.url()).pathname, members);
    await page.unroute((url) => url.pathname === members);

    // 3. The operator console's shell does the same.
    const operator = await newPage(browser, baseUrl, errors);
    await signIn(operator, DEMO_ADMIN.email);
    await operator.goto("/admin/organizations");
    await firstHtmlHolds(
      operator,
      "/admin/organizations",
      await firstCell(operator),
      "the first organization's row",
    );
    assert.deepEqual(errors, [], `browser errors:\n${errors.join("\n")}`);
  } finally {
    await browser.close();
  }
}

async function signIn(page: Page, email: string): Promise<string> {
  await page.goto("/sign-in");
  await signInWithPassword(page, email, DEMO_PASSWORD);
  await page.waitForURL(/\/(o\/[^/]+(\/[a-z-]+)?|admin)$/, { timeout: 30_000 });
  return new URL(page.url()).pathname.split("/")[2] ?? "";
}

/** The first text of the main table's first cell (one text node: the HTML holds it as is). */
async function firstCell(page: Page): Promise<string> {
  const cell = page.locator("main tbody tr").first().locator("td").first();
  await cell.waitFor();
  const text = await cell.evaluate((element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const value = node.textContent?.trim();
      if (value) return value;
    }
    return "";
  });
  assert.ok(text.length > 0, "the table has a first cell");
  return text;
}

/** The server's first answer for `path` (this page's cookies) shows `text` outside any boundary. */
async function firstHtmlHolds(page: Page, path: string, text: string, what: string) {
  const response = await page.request.get(path);
  assert.equal(response.status(), 200, `${path} answers 200`);
  const html = await response.text();
  const escaped = text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  const at = html.indexOf(escaped);
  assert.ok(at >= 0, `${path}: ${what} ("${text}") is in the first HTML`);
  // Streamed boundary content arrives in hidden <div hidden id="S:…"> blocks after the shell.
  const hiddenAt = html.search(/<div hidden id="S:/);
  assert.ok(
    hiddenAt < 0 || at < hiddenAt,
    `${path}: ${what} is in the shell, not in a block streamed behind a skeleton`,
  );
}
