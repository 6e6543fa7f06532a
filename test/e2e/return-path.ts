// The test-mode checkout page in a browser and over HTTP:
//  (a) returnTo disguises ("/\t/evil.example/", "/\n/evil.example/", "/\\evil.example/",
//      "//evil.example/") are replaced by the organization's billing page: the form carries the
//      fallback and activating lands there, on this site (before: a 303 to "/\t/evil.example/",
//      which browsers read as http://evil.example/, and a 500 for "\n");
//  (b) malformed parameters of the checkout page and the dev mailbox answer 404, not 500.
import assert from "node:assert/strict";
import { createDatabase, systemClient } from "@plinth/db";
import { expectVisible, launchBrowser, newPage } from "./browser.ts";

export async function runReturnPath(baseUrl: string, options: { databaseUrl: string }) {
  const browser = await launchBrowser();
  const db = createDatabase(options.databaseUrl, { poolMax: 2 });
  const system = systemClient(db, "e2e: fixtures and checks");
  const errors: string[] = [];
  try {
    const page = await newPage(browser, baseUrl, errors, { includeConsole: false });
    const email = `return-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
    await page.goto("/sign-up");
    await page.fill("#field-name", "Rita Return");
    await page.fill("#field-email", email);
    await page.fill("#field-password", "a very good password");
    await page.click("button[type=submit]");
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";
    // Paying needs a verified address (docs/identity.md); the mailbox flow has its own test.
    const user = await system.user.update({
      where: { email },
      data: { emailVerified: new Date() },
      include: { memberships: true },
    });
    const organizationId = user.memberships[0]!.organizationId;
    const checkout = (params: Record<string, string>) =>
      `/billing/test-checkout?${new URLSearchParams({ plan: "pro", interval: "month", organization: organizationId, ...params })}`;

    // (a)
    const fallback = `/o/${slug}/billing`;
    const disguises: [string, string][] = [
      ["/\t/evil.example/", "month"],
      ["/\n/evil.example/", "year"],
      ["/\\evil.example/", "month"],
      ["//evil.example/", "year"],
    ];
    for (const [returnTo, interval] of disguises) {
      await page.goto(checkout({ returnTo, interval }));
      await expectVisible(page, "text=TEST MODE");
      assert.equal(
        await page.locator("input[name=returnTo]").getAttribute("value"),
        fallback,
        `the form returns to the billing page, not ${JSON.stringify(returnTo)}`,
      );
      await page.click("text=Activate Pro (test mode)");
      await page.waitForURL(
        (url) => url.origin === new URL(baseUrl).origin && url.pathname === fallback,
        {
          timeout: 30_000,
        },
      );
      await expectVisible(page, "[data-testid=billing-plan] >> text=Pro");
    }

    // (b) malformed parameters: 404 pages.
    const status = async (path: string) =>
      (await page.request.get(path, { maxRedirects: 0 })).status();
    for (const path of [
      checkout({ organization: "\u0000" }),
      checkout({ organization: `c${"a".repeat(600)}` }),
      checkout({ organization: "00000000-0000-0000-0000-00000000000g" }),
      checkout({ organization: "not-a-cuid" }),
      checkout({ returnTo: `/${"a".repeat(3000)}` }),
      `/billing/test-checkout?plan=pro&interval=month&organization=${organizationId}&organization=%00`,
      checkout({ plan: "\u0000" }),
      "/dev/mailbox?id=%00",
      `/dev/mailbox?id=${"a".repeat(3000)}`,
      "/dev/mailbox?id=not-an-id",
      "/dev/mailbox?id=a&id=b",
      "/dev/mailbox?id=%ED%A0%80",
    ]) {
      assert.equal(await status(path), 404, `${path.slice(0, 120)} answers 404`);
    }
    assert.equal(await status(checkout({})), 200, "the well-formed checkout page still answers");
    const email0 = await system.email.findFirstOrThrow({ where: { to: email } });
    assert.equal(await status(`/dev/mailbox?id=${email0.id}`), 200, "a real email id still opens");
    assert.deepEqual(errors, [], `page errors:\n${errors.join("\n")}`);
  } finally {
    await browser.close();
    await db.disconnect();
  }
}
