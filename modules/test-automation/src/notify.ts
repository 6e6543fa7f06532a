// What happens when a test run fails: in one transaction, the organization's outbound webhooks
// get a `test_run.failed` event (@plinth/webhooks' outbox; the worker delivers it, signed and
// retried) and the project's watchers get an email (packages/email's outbox).
import type { PrismaClient } from "@plinth/db";
import { layout, sendEmail } from "@plinth/email";
import { emitWebhookEvent } from "@plinth/webhooks";

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
 * A run failed (tests failed or errored, or the run timed out): the `test_run.failed` webhook
 * event and the watchers' emails. Answers how many watchers were emailed.
 */
export async function notifyRunFailed(prisma: PrismaClient, run: FailedRun): Promise<number> {
  const watchers = await prisma.testWatcher.findMany({
    where: { organizationId: run.organizationId, projectId: run.projectId },
    select: { email: true },
  });
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
    await emitWebhookEvent(tx, {
      organizationId: run.organizationId,
      type: "test_run.failed",
      data: {
        testRunId: run.testRunId,
        projectId: run.projectId,
        suite: run.suiteName,
        environment: run.environmentName,
        trigger: run.trigger,
        total: run.total,
        failed: run.failed,
        errored: run.errored,
        url: run.url,
      },
    });
    for (const watcher of watchers) {
      await sendEmail(tx, { to: watcher.email, subject, html, text, template: "test-run-failed" });
    }
  });
  return watchers.length;
}
