// The main pages on a phone (375×812) and a desktop (1280×800), signed in as the seeded demo
// accounts (run.ts seeds the database): no horizontal scrolling, the navigation reachable (the
// sidebar on desktop; the menu button and its sheet on the phone), and a screenshot of each
// page in light and dark mode under test-results/screenshots/ for a reviewer to look at.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { DEMO_ACCOUNTS, DEMO_ADMIN, DEMO_PASSWORD } from "../../prisma/seed.ts";
import { accessibility, launchBrowser, newPage } from "./browser.ts";
import { signInWithPassword } from "./ui.ts";

export const SCREENSHOT_DIR = path.join(process.cwd(), "test-results", "screenshots");

const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  mobile: { width: 375, height: 812 },
} as const;
type Device = keyof typeof VIEWPORTS;

interface PageCheck {
  name: string;
  path: (slug: string) => string;
  /** The sidebar navigation's name: checked for reachability (null: a page without one). */
  nav: string | null;
  /** Checked for horizontal scroll and navigation at both sizes (the list). */
  viewport: boolean;
}

const ACCOUNTS: { email: string; pages: PageCheck[] }[] = [
  {
    email: DEMO_ACCOUNTS[1].email, // Pro
    pages: [
      { name: "projects", path: (s) => `/o/${s}/projects`, nav: "Organization", viewport: true },
      { name: "runs", path: (s) => `/o/${s}/runs`, nav: "Organization", viewport: false },
      { name: "settings", path: (s) => `/o/${s}/settings`, nav: "Organization", viewport: false },
      { name: "account", path: () => "/account", nav: null, viewport: false },
    ],
  },
  {
    email: DEMO_ACCOUNTS[2].email, // Enterprise: invitations and the audit log
    pages: [
      { name: "members", path: (s) => `/o/${s}/members`, nav: "Organization", viewport: true },
      { name: "audit-log", path: (s) => `/o/${s}/audit`, nav: "Organization", viewport: false },
    ],
  },
  {
    email: DEMO_ACCOUNTS[4].email, // Hybrid: metered usage, the daily chart
    pages: [
      { name: "billing", path: (s) => `/o/${s}/billing`, nav: "Organization", viewport: true },
    ],
  },
  {
    email: DEMO_ACCOUNTS[0].email, // Trial: the trial banner, the upgrade card in the sidebar
    pages: [
      {
        name: "projects-trial",
        path: (s) => `/o/${s}/projects`,
        nav: "Organization",
        viewport: false,
      },
    ],
  },
  {
    email: DEMO_ADMIN.email,
    pages: [
      { name: "operator", path: () => "/admin", nav: "Operator console", viewport: true },
      {
        name: "operator-organizations",
        path: () => "/admin/organizations",
        nav: "Operator console",
        viewport: false,
      },
      {
        name: "operator-users",
        path: () => "/admin/users",
        nav: "Operator console",
        viewport: false,
      },
    ],
  },
];

const SIGNED_OUT = [
  { name: "sign-in", path: "/sign-in" },
  { name: "sign-up", path: "/sign-up" },
  // The legal texts: public (and open to a signed-in user before the terms step).
  { name: "terms", path: "/terms" },
  { name: "privacy", path: "/privacy" },
];

export async function runPagesAtViewports(baseUrl: string): Promise<{ screenshots: string[] }> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const browser = await launchBrowser();
  const screenshots: string[] = [];
  const errors: string[] = [];
  try {
    for (const device of Object.keys(VIEWPORTS) as Device[]) {
      for (const account of ACCOUNTS) {
        const page = await signedIn(browser, baseUrl, account.email, device, errors);
        const slug = new URL(page.url()).pathname.split("/")[2] ?? "";
        for (const check of account.pages) {
          await page.goto(check.path(slug));
          await settled(page);
          if (check.viewport) await checkViewport(page, check, device);
          screenshots.push(...(await screenshot(page, check.name, device)));
        }
      }
      const page = await newPage(browser, baseUrl, errors, { viewport: VIEWPORTS[device] });
      for (const check of SIGNED_OUT) {
        await page.goto(check.path);
        await settled(page);
        await assertNoHorizontalScroll(page, `${check.name} (${device})`);
        screenshots.push(...(await screenshot(page, check.name, device)));
      }
    }
    assert.deepEqual(errors, [], `browser errors:\n${errors.join("\n")}`);
    return { screenshots };
  } finally {
    await browser.close();
  }
}

async function signedIn(
  browser: Browser,
  baseUrl: string,
  email: string,
  device: Device,
  errors: string[],
): Promise<Page> {
  const page = await newPage(browser, baseUrl, errors, { viewport: VIEWPORTS[device] });
  await page.goto("/sign-in");
  await signInWithPassword(page, email, DEMO_PASSWORD);
  // Home redirects on: to the first organization, or the console for the platform admin.
  await page.waitForURL(/\/(o\/[^/]+(\/[a-z-]+)?|admin)$/, { timeout: 30_000 });
  return page;
}

/** The network is quiet, skeletons are gone and charts have drawn. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => !document.querySelector("[data-slot=skeleton]"));
  await page.waitForFunction(() =>
    [...document.querySelectorAll("[data-slot=chart]")].every(
      (chart) => chart.querySelector(".recharts-surface, [data-slot=chart-empty]") !== null,
    ),
  );
}

async function assertNoHorizontalScroll(page: Page, where: string) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(
    scrollWidth <= clientWidth,
    `${where}: the page scrolls sideways (${scrollWidth}px content in ${clientWidth}px)`,
  );
}

async function checkViewport(page: Page, check: PageCheck, device: Device) {
  const where = `${check.name} (${device})`;
  await assertNoHorizontalScroll(page, where);
  if (!check.nav) return;
  const nav = page.getByRole("navigation", { name: check.nav });
  const menu = page.getByRole("button", { name: "Open navigation" });
  if (device === "desktop") {
    assert.ok(await nav.isVisible(), `${where}: the sidebar navigation is visible`);
    assert.ok(!(await menu.isVisible()), `${where}: no menu button on a desktop`);
    return;
  }
  // Phone: the sidebar is hidden; the menu button opens it as a sheet, Escape closes it.
  assert.ok(!(await nav.isVisible()), `${where}: the sidebar is hidden on a phone`);
  await menu.click();
  const sheet = page.getByRole("dialog", {
    name: check.nav === "Organization" ? "Navigation" : check.nav,
  });
  await sheet.getByRole("navigation", { name: check.nav }).waitFor();
  const links = await sheet.getByRole("navigation", { name: check.nav }).getByRole("link").count();
  assert.ok(links >= 3, `${where}: the sheet lists the pages (${links} links)`);
  await accessibility.checkState(page, `${check.name}: the navigation sheet (phone)`);
  await page.keyboard.press("Escape");
  await sheet.waitFor({ state: "hidden" });
}

async function screenshot(page: Page, name: string, device: Device): Promise<string[]> {
  const files: string[] = [];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForFunction(
      (dark) => document.documentElement.classList.contains("dark") === dark,
      scheme === "dark",
    );
    const file = path.join(SCREENSHOT_DIR, `${name}-${scheme}-${device}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  await page.emulateMedia({ colorScheme: null });
  return files;
}
