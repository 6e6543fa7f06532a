// Browser test: a NEW invitee, without an account. The Enterprise owner invites them from the
// members page; in another browser context the invitee opens the link from the dev mailbox,
// follows "Create one" to sign-up (which names the organization and pre-fills the invited
// address), signs up, is brought back to the invitation (callbackUrl), accepts and lands in
// the organization. Policy (docs/identity.md): no trial organization of their own, and the
// address counts as verified (the invitation reached that mailbox), so no banner asks to verify.
import assert from "node:assert/strict";
import { systemAudit } from "@plinth/core/audit";
import { createOrganizationWithOwner } from "@plinth/platform";
import { activeProduct } from "@plinth/product";
import { hashPassword } from "@plinth/auth/password";
import { createDatabase, systemClient } from "@plinth/db";
import { launchBrowser, newPage } from "./browser.ts";
import { followMailboxLink } from "./mailbox.ts";
import { signInWithPassword } from "./ui.ts";
import { acceptedTerms } from "./fixtures.ts";

export async function runInviteSignUp(
  baseUrl: string,
  options: { databaseUrl: string },
): Promise<{ inviteeEmail: string }> {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const password = "a very good password";
  const ownerEmail = `owner-new-${stamp}@example.com`;
  const inviteeEmail = `newbie-${stamp}@example.com`;
  const orgName = `Newcomers Enterprise ${stamp}`;

  const db = createDatabase(options.databaseUrl, { poolMax: 2 });

  const system = systemClient(db, "e2e: fixtures and checks");
  try {
    const owner = await system.user.create({
      data: {
        ...acceptedTerms(),
        email: ownerEmail,
        name: "Nora Owner",
        passwordHash: await hashPassword(password),
        emailVerified: new Date(),
      },
    });
    const org = await createOrganizationWithOwner(
      db.app,
      activeProduct().catalog,
      systemAudit("e2e: fixture", "e2e-setup"),
      {
        name: orgName,
        ownerId: owner.id,
        now: new Date(),
      },
    );
    await system.subscription.update({
      where: { organizationId: org.id },
      data: { planKey: "enterprise", status: "ACTIVE", trialEndsAt: null },
    });
    const slug = org.slug;
    const organizationsBefore = await system.organization.count();

    const browser = await launchBrowser();
    const consoleErrors: string[] = [];
    try {
      // 1. The owner invites the new address.
      const ownerPage = await newPage(browser, baseUrl, consoleErrors, { includeConsole: false });
      await ownerPage.goto(`/sign-in?callbackUrl=${encodeURIComponent(`/o/${slug}/members`)}`);
      await signInWithPassword(ownerPage, ownerEmail, password);
      await ownerPage.waitForURL(new RegExp(`/o/${slug}/members$`), { timeout: 30_000 });
      const form = ownerPage.getByRole("form", { name: "Invite a teammate" });
      await form.getByLabel("Email").fill(inviteeEmail);
      await form.getByRole("button", { name: "Send invitation" }).click();
      await ownerPage
        .locator(`text=Invitation sent to ${inviteeEmail}`)
        .first()
        .waitFor({ timeout: 15_000 });

      // 2. The invitee (no account, another browser) opens the link from the dev mailbox.
      const page = await newPage(browser, baseUrl, consoleErrors, { includeConsole: false });
      const href = await followMailboxLink(page, {
        email: inviteeEmail,
        subject: orgName,
        linkPart: "/invite/",
      });
      const invitePath = href.pathname;
      assert.match(invitePath, /^\/invite\/[A-Za-z0-9_-]{43}$/);
      await page.waitForURL((url) => url.pathname === invitePath, { timeout: 15_000 });
      await page.locator("[data-testid=invitation]").waitFor({ timeout: 15_000 });

      // 3. Signed out: "Create one" → the sign-up page knows the invitation.
      await page.getByRole("link", { name: `Create one with ${inviteeEmail}` }).click();
      await page.waitForURL(
        (url) => url.pathname === "/sign-up" && url.searchParams.get("callbackUrl") === invitePath,
        { timeout: 15_000 },
      );
      assert.match(
        await page.locator("[data-testid=sign-up-invitation]").innerText(),
        new RegExp(`join ${orgName} as member`),
      );
      assert.equal(
        await page.getByLabel("Email", { exact: true }).inputValue(),
        inviteeEmail,
        "the invited address is pre-filled",
      );
      await page.getByLabel("Name", { exact: true }).fill("Nico Newbie");
      await page.getByLabel("Password", { exact: true }).fill("my brand new password");
      await page.getByRole("button", { name: "Create account" }).click();

      // 4. Back on the invitation, signed in with the invited address: accept.
      await page.waitForURL((url) => url.pathname === invitePath, { timeout: 30_000 });
      await page.getByRole("button", { name: `Accept and join ${orgName}` }).click();
      await page.waitForURL(new RegExp(`/o/${slug}/projects$`), { timeout: 30_000 });
      assert.equal(await page.getByTestId("current-organization").innerText(), orgName);
      await page.getByRole("combobox", { name: /Switch organization/ }).click();
      const switcher = page.getByRole("group", { name: "Organizations" });
      // The switcher's list is loaded when first needed: wait for it before reading it.
      await switcher.getByRole("option").first().waitFor();
      assert.deepEqual(
        await switcher.getByRole("option").allInnerTexts(),
        [orgName],
        "only the organization they joined",
      );
      await page.keyboard.press("Escape");
      assert.equal(
        await page.locator("text=Verify your email").count(),
        0,
        "the invitation verified the address",
      );

      // 5. In the database: one membership, no trial organization made, verified, no verification email.
      const user = await system.user.findUniqueOrThrow({
        where: { email: inviteeEmail },
        include: { memberships: true },
      });
      assert.deepEqual(
        user.memberships.map((m) => [m.organizationId, m.role]),
        [[org.id, "MEMBER"]],
      );
      assert.equal(
        await system.organization.count(),
        organizationsBefore,
        "no organization created for the invitee",
      );
      assert.ok(user.emailVerified, "email verified");
      assert.equal(
        await system.email.count({
          where: { to: inviteeEmail, template: { not: "invitation" } },
        }),
        0,
      );
      assert.deepEqual(consoleErrors, [], `browser errors:\n${consoleErrors.join("\n")}`);
      return { inviteeEmail };
    } finally {
      await browser.close();
    }
  } finally {
    await db.disconnect();
  }
}
