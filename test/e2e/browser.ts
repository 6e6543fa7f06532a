// Debian's Chromium driven by playwright-core (its own browser download does not work here).
import { chromium, type Browser, type Page } from "playwright-core";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * A page in a fresh browser context (its own cookies) that records uncaught page errors, and
 * console errors unless `includeConsole` is false, into `errors` for the scenario to assert on.
 */
export async function newPage(
  browser: Browser,
  baseUrl: string,
  errors: string[],
  options: { includeConsole?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  if (options.includeConsole !== false) {
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
  }
  page.on("pageerror", (error) => errors.push(String(error)));
  return page;
}

export async function expectVisible(page: Page, selector: string, timeout = 15_000): Promise<void> {
  await page.locator(selector).first().waitFor({ state: "visible", timeout });
}
