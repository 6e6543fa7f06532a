// Browser test of the operator console: a platform admin signs in, sees the overview, finds a
// job that exhausted its attempts on the jobs page and retries it; a regular user asking for
// /admin gets a 404.
import assert from "node:assert/strict";
import { hashPassword } from "@plinth/auth/password";
import { createDatabase, systemClient } from "@plinth/db";
import { enqueueSystem, jobs } from "@plinth/jobs";
import { launchBrowser, newPage } from "./browser.ts";
import { signInWithPassword } from "./ui.ts";
import { acceptedTerms } from "./fixtures.ts";

export async function runOperatorConsole(
  baseUrl: string,
  options: { databaseUrl: string },
): Promise<void> {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const password = "operator password 2026";
  const db = createDatabase(options.databaseUrl, { poolMax: 2 });
  const system = systemClient(db, "e2e: fixtures and checks");
  const browser = await launchBrowser();
  try {
    const passwordHash = await hashPassword(password);
    const now = new Date();
    const [admin, regular] = await Promise.all([
      system.user.create({
        data: {
          ...acceptedTerms(),
          email: `ops-${stamp}@example.com`,
          name: "Ops",
          passwordHash,
          emailVerified: now,
          platformRole: "SUPER_ADMIN",
        },
      }),
      system.user.create({
        data: {
          ...acceptedTerms(),
          email: `user-${stamp}@example.com`,
          name: "User",
          passwordHash,
          emailVerified: now,
        },
      }),
    ]);
    // A delivery that failed for good: graphile-worker keeps it with its last error.
    const failed = await enqueueSystem(system, jobs.emailSend, { emailId: `missing-${stamp}` });
    const lastError = `Error: mailbox unavailable ${stamp}`;
    await system.$executeRaw`
      UPDATE graphile_worker._private_jobs SET attempts = max_attempts, last_error = ${lastError} WHERE id = ${BigInt(failed.id)}`;

    const signIn = async (email: string) => {
      const page = await newPage(browser, baseUrl, [], { includeConsole: false });
      await page.goto("/sign-in");
      await signInWithPassword(page, email, password);
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 30_000 });
      return page;
    };

    // The admin has no organization: home sends them to the console.
    const page = await signIn(admin.email);
    await page.waitForURL(/\/admin$/, { timeout: 15_000 });
    await page.getByText("Monthly recurring revenue").first().waitFor({ timeout: 15_000 });

    await page
      .getByRole("navigation", { name: "Operator console" })
      .getByRole("link", { name: "Jobs" })
      .click();
    const row = page.getByRole("table", { name: "Failed jobs" }).getByRole("row").filter({
      hasText: lastError,
    });
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole("button", { name: "Retry" }).click();
    await row.waitFor({ state: "detached", timeout: 15_000 });
    const [job] = await system.$queryRaw<{ attempts: number; last_error: string | null }[]>`
      SELECT attempts, last_error FROM graphile_worker._private_jobs WHERE id = ${BigInt(failed.id)}`;
    assert.equal(job?.attempts, 0, "the retried job has a fresh set of attempts");
    assert.ok(
      await system.auditLog.findFirst({
        where: { action: "job.retried", targetId: failed.id, actorId: admin.id },
      }),
    );

    // Everyone else: the console does not exist.
    const userPage = await signIn(regular.email);
    const response = await userPage.goto("/admin");
    assert.equal(response?.status(), 404);
  } finally {
    await browser.close();
    await db.disconnect();
  }
}
