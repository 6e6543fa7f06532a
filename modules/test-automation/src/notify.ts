// What happens when a test run fails: the project's watchers get an email (packages/email,
// queued in the worker's transaction) and notifyRunFailed is the one hook for outbound events.
import type { PrismaClient } from "@plinth/db";
import { layout, sendEmail } from "@plinth/email";

export interface FailedRun {
  organizationId: string;
  projectId: string;
  testRunId: string;
  suiteName: string;
  environmentName: string;
  trigger: string;
  failed: number;
  errored: number;
  total: number;
  url: string;
}

/**
 * A run failed (tests failed or errored, or the run timed out). Emails the project's watchers.
 */
export async function notifyRunFailed(prisma: PrismaClient, run: FailedRun): Promise<number> {
  // TODO(lead): emit "test_run.failed" through @plinth/webhooks at merge
  const watchers = await prisma.testWatcher.findMany({
    where: { organizationId: run.organizationId, projectId: run.projectId },
    select: { email: true },
  });
  if (watchers.length === 0) return 0;
  const subject = `Test run failed: ${run.suiteName} on ${run.environmentName}`;
  const { html, text } = layout({
    title: subject,
    paragraphs: [
      `${run.failed} failed and ${run.errored} errored of ${run.total} tests (${run.trigger.toLowerCase()} run).`,
      "You get this email because you watch this project's test runs.",
    ],
    action: { label: "Open the run", url: run.url },
  });
  await prisma.$transaction(async (tx) => {
    for (const watcher of watchers) {
      await sendEmail(tx, { to: watcher.email, subject, html, text, template: "test-run-failed" });
    }
  });
  return watchers.length;
}
