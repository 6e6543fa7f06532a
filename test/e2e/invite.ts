// Browser test: an Enterprise owner invites a teammate from the members page; the teammate,
// in a separate browser context, opens the link from the dev mailbox, signs in with the
// invited address, is brought back to the invitation, accepts and lands in the organization.
// The link then no longer works, and the owner sees the new member. On the way, the invitee's
// own Trial organization shows the plan refusal (upgrade prompt) on its invite form.
//
// Users and organizations are created directly in the database (verified emails, known
// passwords), so the scenario does not depend on the sign-up flow.
//
//   pnpm --filter @plinth/web build        # once
//   pnpm tsx test/e2e/run.ts               # runs every scenario
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { systemAudit } from "@plinth/core/audit";
import { createOrganizationWithOwner } from "@plinth/platform";
import { activeProduct } from "@plinth/product";
import { hashPassword } from "@plinth/auth/password";
import { createDatabase, systemClient } from "@plinth/db";
import { expectVisible, launchBrowser, newPage } from "./browser.ts";
import { signInWithPassword as signIn } from "./ui.ts";
import { acceptedTerms } from "./fixtures.ts";

export interface InviteResult {
  slug: string;
  inviteeEmail: string;
  screenshot: string;
}

/** The members page's invite form: address, role (a listbox), send. */
async function invite(page: Page, email: string, role?: "Admin" | "Member" | "Owner") {
  const form = page.getByRole("form", { name: "Invite a teammate" });
  await form.getByLabel("Email").fill(email);
  if (role) {
    await form.getByRole("combobox", { name: "Role" }).click();
    await page.getByRole("option", { name: role }).click();
  }
  await form.getByRole("button", { name: "Send invitation" }).click();
}

export async function runInvite(
  baseUrl: string,
  options: { databaseUrl: string; screenshotDir?: string },
): Promise<InviteResult> {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const password = "a very good password";
  const ownerEmail = `owner-${stamp}@example.com`;
  const inviteeEmail = `invitee-${stamp}@example.com`;

  // Setup: an Enterprise organization with its owner; the invitee with a Trial organization.
  const db = createDatabase(options.databaseUrl, { poolMax: 2 });
  const system = systemClient(db, "e2e: fixtures and checks");
  let slug: string;
  let trialSlug: string;
  let orgName: string;
  try {
    const passwordHash = await hashPassword(password);
    const now = new Date();
    const owner = await system.user.create({
      data: {
        ...acceptedTerms(),
        email: ownerEmail,
        name: "Olivia Owner",
        passwordHash,
        emailVerified: now,
      },
    });
    const invitee = await system.user.create({
      data: {
        ...acceptedTerms(),
        email: inviteeEmail,
        name: "Ivan Invitee",
        passwordHash,
        emailVerified: now,
      },
    });
    const fixture = systemAudit("e2e: fixture", "e2e-setup");
    orgName = `Invite Enterprise ${stamp}`;
    const org = await createOrganizationWithOwner(db.app, activeProduct().catalog, fixture, {
      name: orgName,
      ownerId: owner.id,
      now,
    });
    await system.subscription.update({
      where: { organizationId: org.id },
      data: { planKey: "enterprise", status: "ACTIVE", trialEndsAt: null },
    });
    trialSlug = (
      await createOrganizationWithOwner(db.app, activeProduct().catalog, fixture, {
        name: `Invitee Trial ${stamp}`,
        ownerId: invitee.id,
        now,
      })
    ).slug;
    slug = org.slug;
  } finally {
    await db.disconnect();
  }

  const browser = await launchBrowser();
  const consoleErrors: string[] = [];
  try {
    // 1. The owner invites the teammate from the members page.
    const ownerPage = await newPage(browser, baseUrl, consoleErrors);
    await ownerPage.goto(`/sign-in?callbackUrl=${encodeURIComponent(`/o/${slug}/members`)}`);
    await signIn(ownerPage, ownerEmail, password);
    await ownerPage.waitForURL(new RegExp(`/o/${slug}/members$`), { timeout: 30_000 });
    await invite(ownerPage, inviteeEmail, "Admin");
    await expectVisible(ownerPage, `text=Invitation sent to ${inviteeEmail}`);
    await expectVisible(ownerPage, `[data-testid='invitation-${inviteeEmail}']`);
    assert.match(
      await ownerPage.locator(`[data-testid='invitation-${inviteeEmail}']`).innerText(),
      /admin[\s\S]*pending/,
    );

    // 2. The teammate, in a separate browser context, finds the email in the dev mailbox.
    const page = await newPage(browser, baseUrl, consoleErrors);
    await page.goto("/dev/mailbox");
    await page.locator(`ul[aria-label=Emails] a:has-text("${orgName}")`).first().click();
    await expectVisible(page, "ul[aria-label='Links in this email'] a[href*='/invite/']");
    const href = await page
      .locator("ul[aria-label='Links in this email'] a[href*='/invite/']")
      .first()
      .getAttribute("href");
    assert.ok(href, "invitation link in the email");
    const invitePath = new URL(href).pathname;
    assert.match(invitePath, /^\/invite\/[A-Za-z0-9_-]{43}$/);
    assert.equal(
      new URL(href).origin,
      new URL(baseUrl).origin,
      "the email links to this app (APP_URL)",
    );
    await page.goto(href);

    // 3. Signed out: the page names the organization and role and asks to sign in.
    await expectVisible(page, "[data-testid=invitation]");
    const invitation = await page.locator("[data-testid=invitation]").innerText();
    assert.match(invitation, new RegExp(`Join ${orgName}`));
    assert.match(invitation, /admin/);
    await page.getByRole("link", { name: "Sign in to accept" }).click();
    await page.waitForURL(/\/sign-in\?callbackUrl=/);
    await signIn(page, inviteeEmail, password);
    // Back on the invitation, signed in with the invited address.
    await page.waitForURL((url) => url.pathname === invitePath, { timeout: 30_000 });
    await page.getByRole("button", { name: /Accept and join/ }).click();
    await page.waitForURL(new RegExp(`/o/${slug}/projects$`), { timeout: 30_000 });
    assert.equal(await page.getByTestId("current-organization").innerText(), orgName);

    // 4. The link is single use.
    await page.goto(invitePath);
    await expectVisible(page, "[data-testid=invitation-invalid]");
    assert.match(
      await page.locator("[data-testid=invitation-invalid]").innerText(),
      /already been used/,
    );

    // 5. The invitee's own Trial organization: inviting shows the plan refusal with an upgrade to
    // Enterprise, the only plan with invitations.
    await page.goto(`/o/${trialSlug}/members`);
    await invite(page, `someone-${stamp}@example.com`);
    await expectVisible(page, "[data-testid=upgrade-prompt]");
    assert.match(
      await page.locator("[data-testid=upgrade-prompt]").innerText(),
      /Upgrade to Enterprise/,
    );

    // 6. The owner sees the new member; nothing is pending any more.
    await ownerPage.reload();
    await expectVisible(ownerPage, `[data-testid='member-${inviteeEmail}']`);
    assert.equal(await ownerPage.locator(`[data-testid='invitation-${inviteeEmail}']`).count(), 0);

    const screenshotDir =
      options.screenshotDir ?? path.join(process.cwd(), "test-results", "screenshots");
    await mkdir(screenshotDir, { recursive: true });
    const screenshot = path.join(screenshotDir, "flow-invite-members.png");
    await ownerPage.screenshot({ path: screenshot, fullPage: true });

    const unexpected = consoleErrors.filter(
      (line) => !/status of 403|status of 400|status of 409/.test(line),
    );
    assert.deepEqual(unexpected, [], `browser console errors:\n${unexpected.join("\n")}`);
    return { slug, inviteeEmail, screenshot };
  } finally {
    await browser.close();
  }
}
