// Browser test of managed hosting (the `all` preset enables the module): an owner opens a ready
// workspace's page, adds a custom domain in the Domains card and sees it pending with the TXT
// record to publish (and the CNAME target); a platform admin opens /admin/hosting and sees the
// workspaces by state and the failed run, with its Retry. No worker runs here: the workspaces
// are written as the worker would leave them.
//
//   pnpm --filter @plinth/web build && pnpm tsx test/e2e/run.ts "managed hosting"
import assert from "node:assert/strict";
import { hashPassword } from "@plinth/auth/password";
import { createDatabase, systemClient } from "@plinth/db";
import { launchBrowser, newPage } from "./browser.ts";
import { acceptedTerms } from "./fixtures.ts";
import { signInWithPassword, signUp } from "./ui.ts";

export async function runHosting(baseUrl: string, options: { databaseUrl: string }) {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const db = createDatabase(options.databaseUrl, { poolMax: 2 });
  const system = systemClient(db, "e2e: hosting fixtures and checks");
  const browser = await launchBrowser();
  try {
    // The tenant: signs up (an organization on the trial), owns one ready workspace.
    const page = await newPage(browser, baseUrl);
    const email = `host-${stamp}@example.com`;
    await page.goto("/sign-up");
    await signUp(page, { name: "Host Owner", email, password: "a very good password" });
    await page.waitForURL(/\/o\/[^/]+\/projects$/, { timeout: 30_000 });
    const slug = new URL(page.url()).pathname.split("/")[2] ?? "";
    const organization = await system.organization.findUniqueOrThrow({ where: { slug } });
    const workspace = await system.hostingWorkspace.create({
      data: {
        organizationId: organization.id,
        name: `emr-${stamp}`.slice(0, 40),
        app: "bahmni",
        version: "1.0.0",
        size: "small",
        region: "eu-central",
        plan: "standard",
        state: "READY",
        readyAt: new Date(),
        outputs: { host: "127.0.0.1", port: 5432, database: "ws_e2e" },
      },
    });
    // A second one whose provisioning failed at apply (what the operator sees).
    const failedName = `broken-${stamp}`.slice(0, 40);
    const failed = await system.hostingWorkspace.create({
      data: {
        organizationId: organization.id,
        name: failedName,
        app: "odoo",
        version: "18.0",
        size: "small",
        region: "us-east",
        state: "FAILED",
        failedStep: "apply",
        error: "disk full (e2e)",
      },
    });
    const run = await system.run.create({
      data: {
        organizationId: organization.id,
        kind: "hosting-provision",
        input: {},
        status: "FAILED",
        error: "apply: disk full (e2e)",
        startedAt: new Date(),
        finishedAt: new Date(),
      },
    });
    await system.hostingRun.create({
      data: {
        organizationId: organization.id,
        workspaceId: failed.id,
        runId: run.id,
        action: "PROVISION",
        target: { version: "18.0", size: "small" },
        failedStep: "apply",
      },
    });

    // The Domains card: add a domain → pending, with the TXT record and the CNAME to publish.
    await page.goto(`/o/${slug}/workspaces/${workspace.id}`);
    await page.getByRole("heading", { name: "Domains" }).waitFor({ timeout: 15_000 });
    await page.getByText("No custom domains yet.").waitFor();
    const hostname = `shop-${stamp}.example.com`;
    await page.getByLabel("Domain", { exact: true }).fill(hostname);
    await page.getByRole("button", { name: "Add domain" }).click();
    const card = page.getByRole("region", { name: `Domain ${hostname}` });
    await card.waitFor({ timeout: 15_000 });
    await card.getByText("pending", { exact: true }).waitFor();
    const stored = await system.hostingDomain.findFirstOrThrow({
      where: { workspaceId: workspace.id, hostname },
    });
    assert.equal(stored.status, "PENDING");
    const txt = card.getByText(`TXT _plinth-challenge.${hostname}`);
    await txt.waitFor();
    assert.match(
      await txt.innerText(),
      new RegExp(`plinth-verification=${stored.verificationToken}`),
    );
    await card.getByText("Publish (ownership)").waitFor();
    await card.getByText(`CNAME ${hostname}`).waitFor();

    // The failed workspace's page offers the owner a Retry.
    await page.goto(`/o/${slug}/workspaces/${failed.id}`);
    await page.getByText("Failed at apply: disk full (e2e)").waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Retry" }).waitFor();

    // The operator: workspaces by state, the failed run with its Retry.
    const password = "operator password 2026";
    const admin = await system.user.create({
      data: {
        ...acceptedTerms(),
        email: `host-ops-${stamp}@example.com`,
        name: "Hosting Ops",
        passwordHash: await hashPassword(password),
        emailVerified: new Date(),
        platformRole: "SUPER_ADMIN",
      },
    });
    const ops = await newPage(browser, baseUrl);
    await ops.goto("/sign-in");
    await signInWithPassword(ops, admin.email, password);
    await ops.waitForURL(/\/admin$/, { timeout: 30_000 });
    await ops.goto("/admin/hosting");
    const byState = ops.getByRole("table", { name: "Workspaces by state" });
    await byState.waitFor({ timeout: 15_000 });
    for (const state of ["ready", "failed"]) {
      assert.ok(
        (await byState
          .getByRole("row")
          .filter({ hasText: new RegExp(state, "i") })
          .count()) > 0,
        `a ${state} row in the workspaces by state`,
      );
    }
    const failedRow = ops
      .getByRole("table", { name: "Failed runs" })
      .getByRole("row")
      .filter({ hasText: failedName });
    await failedRow.waitFor({ timeout: 15_000 });
    await failedRow.getByText("apply", { exact: true }).waitFor();
    await failedRow.getByRole("button", { name: "Retry" }).waitFor();
  } finally {
    await browser.close();
    await db.disconnect();
  }
}
