// Dev-mailbox steps shared by browser scenarios (the web server runs with DEV_MAILBOX=1).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

/** Opens the newest email to `email` with `subject` in /dev/mailbox and follows its link containing `linkPart`. */
export async function followMailboxLink(
  page: Page,
  options: { email: string; subject: string; linkPart: string },
): Promise<URL> {
  await page.goto("/dev/mailbox");
  await page
    .locator("ul[aria-label=Emails] a", { hasText: `to ${options.email}` })
    .filter({ hasText: options.subject })
    .first()
    .click();
  await page.waitForURL(/\/dev\/mailbox\?id=/);
  const link = page
    .locator("ul[aria-label='Links in this email'] a", { hasText: options.linkPart })
    .first();
  const href = new URL((await link.getAttribute("href")) ?? "");
  await link.click();
  return href;
}

/** The sign-up verification flow: mailbox → link → "Verify email" → confirmation. */
export async function verifyEmailThroughMailbox(page: Page, email: string): Promise<void> {
  const href = await followMailboxLink(page, {
    email,
    subject: "Verify your email address",
    linkPart: "/verify-email?token=",
  });
  assert.equal(href.pathname, "/verify-email");
  await page.waitForURL(/\/verify-email\?token=/);
  await page.click("button:has-text('Verify email')");
  await page.locator(`text=${email} is verified`).waitFor({ timeout: 15_000 });
}
