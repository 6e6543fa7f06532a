// Debian's Chromium driven by playwright-core (its own browser download does not work here),
// and the accessibility check every scenario gets for free: each page a scenario's page visits
// (first visit of each route) is loaded again in a second tab of the same browser context —
// same cookies, same moment — and checked with axe in light and in dark mode. Serious and
// critical violations are collected and fail the scenario (run.ts reads them after each one).
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** The WCAG 2.1 A/AA rules (axe's tags). */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const SCHEMES = ["light", "dark"] as const;
/** A route's audit (two loads and two axe runs) never holds the run longer than this. */
const AUDIT_TIMEOUT_MS = 90_000;
const debug =
  process.env.E2E_DEBUG === "1" ? (line: string) => console.log(`    a11y ${line}`) : () => {};

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out ${what} after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function launchBrowser(): Promise<Browser> {
  return chromium
    .launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    })
    .then((browser) => {
      // Audits still running when a scenario closes its browser finish first.
      const close = browser.close.bind(browser);
      browser.close = async (options) => {
        await accessibility.settle();
        return close(options);
      };
      return browser;
    });
}

/**
 * A page in a fresh browser context (its own cookies) that records uncaught page errors, and
 * console errors unless `includeConsole` is false, into `errors` for the scenario to assert on.
 * Every route it visits is checked for accessibility (see the top of this file).
 */
export async function newPage(
  browser: Browser,
  baseUrl: string,
  errors: string[] = [],
  options: { includeConsole?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    ...(options.viewport ? { viewport: options.viewport } : {}),
  });
  const page = await context.newPage();
  if (options.includeConsole !== false) {
    page.on("console", (message) => {
      // With the resource's address: "Failed to load resource" alone does not say which.
      if (message.type() === "error") {
        const { url } = message.location();
        errors.push(url ? `${message.text()} (${new URL(url).pathname})` : message.text());
      }
    });
  }
  page.on("pageerror", (error) => errors.push(String(error)));
  const origin = new URL(baseUrl).origin;
  page.on("framenavigated", (frame) => {
    // Our pages only (not the OpenID provider's login screens).
    if (frame === page.mainFrame() && frame.url().startsWith(origin)) {
      accessibility.visit(context, frame.url());
    }
  });
  return page;
}

export async function expectVisible(page: Page, selector: string, timeout = 15_000): Promise<void> {
  await page.locator(selector).first().waitFor({ state: "visible", timeout });
}

/** One route per path shape: /o/acme/projects and /o/globex/projects are the same page. */
export function routeKey(url: string): string | null {
  const parsed = new URL(url);
  if (!parsed.protocol.startsWith("http")) return null;
  const path = parsed.pathname
    .replace(/^\/o\/[^/]+/, "/o/:slug")
    .replace(/^\/invite\/[^/]+/, "/invite/:token");
  const params = [...new Set(parsed.searchParams.keys())].sort();
  return params.length ? `${path}?${params.join("&")}` : path;
}

interface Violation {
  where: string;
  scheme: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Waits until no finite animation or transition is running: a sheet sliding in, or colours
 * easing after the colour scheme flips, would otherwise be measured half-way (a contrast
 * "failure" that is only a frame of a fade). Endless ones (spinners, skeleton pulses) are
 * ignored; after 5 s the check goes ahead with whatever is on screen.
 */
async function settleAnimations(page: Page) {
  await page
    .waitForFunction(
      () =>
        document
          .getAnimations()
          .every(
            (a) =>
              a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity,
          ),
      undefined,
      { timeout: 5_000, polling: 50 },
    )
    .catch(() => undefined);
}

async function axeViolations(page: Page): Promise<Omit<Violation, "where" | "scheme">[]> {
  await settleAnimations(page);
  // The dev mailbox shows stored emails in a script-less sandboxed frame: their HTML is not
  // the app's, and axe cannot run inside a frame that allows no scripts.
  const results = await new AxeBuilder({ page })
    .withTags(AXE_TAGS)
    .exclude("iframe[sandbox]")
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      rule: v.id,
      impact: v.impact ?? "",
      help: v.help,
      targets: v.nodes
        .slice(0, 5)
        .map((node) => `${node.target.join(" ")}  ${node.html.slice(0, 160)}`),
    }));
}

/** Waits until the page looks settled: the network is quiet and charts have drawn. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {});
  await page
    .waitForFunction(() => !document.querySelector("[data-slot=skeleton]"), undefined, {
      timeout: 5_000,
    })
    .catch(() => {});
}

export const accessibility = {
  checked: new Set<string>(),
  violations: [] as Violation[],
  queue: Promise.resolve(),
  pending: 0,

  /** A scenario's page reached `url`: check its route once, in a tab of its own. */
  visit(context: BrowserContext, url: string) {
    const key = routeKey(url);
    if (!key || this.checked.has(key)) return;
    this.checked.add(key);
    this.pending++;
    // One audit at a time: they share two cores with the scenario and the server.
    this.queue = this.queue
      .then(() => withTimeout(auditUrl(context, url, key), AUDIT_TIMEOUT_MS, `auditing ${key}`))
      .catch((error: unknown) => {
        // The context closed under us (the scenario ended first): check the route next time.
        if (/closed|Target page/i.test(String(error))) this.checked.delete(key);
        else this.violations.push(auditFailure(key, error));
      })
      .finally(() => this.pending--);
  },

  /** Checks the page as it is now (an open dialog, the mobile menu …), in both schemes. */
  async checkState(page: Page, label: string) {
    await this.queue;
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForFunction(
        (dark) => document.documentElement.classList.contains("dark") === dark,
        scheme === "dark",
      );
      for (const v of await axeViolations(page))
        this.violations.push({ ...v, where: label, scheme });
    }
    await page.emulateMedia({ colorScheme: null });
  },

  settle() {
    return this.queue;
  },

  /** The violations found since the last call (and forgets them). */
  take(): string[] {
    const found = this.violations.splice(0);
    return found.map(
      (v) =>
        `${v.where} [${v.scheme}] ${v.impact} ${v.rule}: ${v.help}\n      ${v.targets.join("\n      ")}`,
    );
  },
};

async function auditUrl(context: BrowserContext, url: string, key: string) {
  const page = await context.newPage();
  try {
    for (const scheme of SCHEMES) {
      debug(`${key} ${scheme}: load`);
      await page.emulateMedia({ colorScheme: scheme });
      const response = await page.goto(url, { waitUntil: "load" });
      // Redirected (e.g. signed out meanwhile): this route was not what got checked.
      if (response && routeKey(page.url()) !== key) {
        accessibility.checked.delete(key);
        accessibility.visit(context, page.url());
        return;
      }
      await settled(page);
      debug(`${key} ${scheme}: axe`);
      for (const v of await axeViolations(page)) {
        accessibility.violations.push({ ...v, where: key, scheme });
      }
    }
  } finally {
    await page.close().catch(() => {});
  }
}

function auditFailure(key: string, error: unknown): Violation {
  return {
    where: key,
    scheme: "-",
    rule: "audit-failed",
    impact: "critical",
    help: error instanceof Error ? error.message.split("\n")[0]! : String(error),
    targets: [],
  };
}
