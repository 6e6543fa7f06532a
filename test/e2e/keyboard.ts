// Keyboard only, no mouse: sign in, switch organization with the switcher, create a project,
// open the search palette (Ctrl+K), then delete the project through its actions menu and the
// confirmation dialog. Every step moves focus with Tab / arrows and acts with Enter; the open
// menu, palette and dialog are checked for accessibility too.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { systemAudit } from "@plinth/core/audit";
import { createOrganizationWithOwner } from "@plinth/platform";
import { activeProduct } from "@plinth/product";
import { hashPassword } from "@plinth/auth/password";
import { createDatabase, systemClient } from "@plinth/db";
import { accessibility, launchBrowser, newPage } from "./browser.ts";
import { acceptedTerms } from "./fixtures.ts";

/** The accessible name of the focused element, roughly as assistive technology reads it. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return "";
    const labelled = element.getAttribute("aria-labelledby");
    const byId = labelled
      ?.split(" ")
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" ");
    const labels = (element as HTMLInputElement).labels;
    return (
      element.getAttribute("aria-label") ??
      (byId || null) ??
      (labels && labels.length > 0 ? labels[0]!.textContent : null) ??
      element.textContent ??
      ""
    ).trim();
  });
}

/** Presses Tab until the focused element's name matches (at most `limit` times). */
async function tabTo(page: Page, name: RegExp, limit = 60): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const current = await focusedName(page);
    if (name.test(current)) return;
    seen.push(current);
  }
  throw new Error(`Tab never reached ${name} (focus went: ${seen.join(" → ")})`);
}

export async function runKeyboardOnly(
  baseUrl: string,
  options: { databaseUrl: string },
): Promise<void> {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const email = `keys-${stamp}@example.com`;
  const password = "keyboard only 2026";
  const first = `Keys First ${stamp}`;
  const second = `Keys Second ${stamp}`;
  const db = createDatabase(options.databaseUrl, { poolMax: 2 });
  const system = systemClient(db, "e2e: fixtures and checks");
  try {
    const user = await system.user.create({
      data: {
        ...acceptedTerms(),
        email,
        name: "Kim Keys",
        passwordHash: await hashPassword(password),
        emailVerified: new Date(),
      },
    });
    const fixture = systemAudit("e2e: fixture", "e2e-setup");
    for (const name of [first, second]) {
      const org = await createOrganizationWithOwner(db.app, activeProduct().catalog, fixture, {
        name,
        ownerId: user.id,
        now: new Date(),
      });
      await system.subscription.update({
        where: { organizationId: org.id },
        data: { planKey: "pro", status: "ACTIVE", trialEndsAt: null },
      });
    }
  } finally {
    await db.disconnect();
  }

  const browser = await launchBrowser();
  const errors: string[] = [];
  try {
    const page = await newPage(browser, baseUrl, errors, {
      viewport: { width: 1280, height: 800 },
    });

    // 1. Sign in: Tab to the fields, type, Enter submits.
    await page.goto("/sign-in");
    await tabTo(page, /^Email$/);
    await page.keyboard.type(email);
    await tabTo(page, /^Password$/);
    await page.keyboard.type(password);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    assert.equal(await page.getByTestId("current-organization").innerText(), first);

    // 2. Switch organization: the switcher opens on Enter with its filter focused; type, Enter.
    await tabTo(page, /Switch organization/);
    await page.keyboard.press("Enter");
    await page.getByRole("option", { name: second }).waitFor();
    await accessibility.checkState(page, "organization switcher (open)");
    await page.keyboard.type("Second");
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      (name) => document.querySelector("[data-testid=current-organization]")?.textContent === name,
      second,
      { timeout: 30_000 },
    );
    const slug = new URL(page.url()).pathname.split("/")[2];

    // 3. Create a project: Tab to its name, type, Enter submits the form. The switch is a
    //    navigation: the new organization's page streams in after its layout (a person waits
    //    for it too), and Tab would otherwise walk past a loading skeleton.
    await page.getByLabel("Project name").waitFor({ timeout: 30_000 });
    const project = `Typed ${stamp}`;
    await tabTo(page, /^Project name$/);
    await page.keyboard.type(project);
    await page.keyboard.press("Enter");
    const row = page
      .getByRole("table", { name: "Projects" })
      .getByRole("row", { name: new RegExp(project) });
    await row.waitFor({ timeout: 15_000 });

    // 4. Search (Ctrl+K): type a page's name, Enter goes there; Escape-free round trip back.
    await page.keyboard.press("Control+k");
    await page.getByRole("dialog", { name: "Search" }).waitFor();
    await accessibility.checkState(page, "search palette (open)");
    await page.keyboard.type("Members");
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/o/${slug}/members$`), { timeout: 30_000 });
    await page.keyboard.press("Control+k");
    await page.keyboard.type("Projects");
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/o/${slug}/projects$`), { timeout: 30_000 });
    await row.waitFor({ timeout: 15_000 });

    // 5. Delete it: its actions menu (Enter), arrow to "Delete…", Enter opens the confirmation,
    //    whose focus starts on Cancel; Tab to the destructive button, Enter.
    await tabTo(page, new RegExp(`^Actions for ${project}$`));
    await page.keyboard.press("Enter");
    await page.getByRole("menu").waitFor();
    await accessibility.checkState(page, "project actions menu (open)");
    const deleteItem = page.getByRole("menuitem", { name: "Delete…" });
    for (
      let i = 0;
      i < 5 && !(await deleteItem.evaluate((el) => el === document.activeElement));
      i++
    ) {
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("alertdialog");
    await dialog.waitFor();
    assert.match(await focusedName(page), /^Cancel$/, "the confirmation starts on Cancel");
    await accessibility.checkState(page, "delete confirmation (open)");
    await tabTo(page, /^Delete project$/, 3);
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "hidden", timeout: 15_000 });
    await row.waitFor({ state: "detached", timeout: 15_000 });
    assert.deepEqual(errors, [], `browser errors:\n${errors.join("\n")}`);
  } finally {
    await browser.close();
  }
}
