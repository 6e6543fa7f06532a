// What happens when a workspace's run fails — once per run, whoever notices: the run is marked
// alerted by a conditional update in the same transaction as the organization's outbound
// webhook event (`workspace.failed`, @plinth/webhooks' outbox), one email per owner and admin
// (packages/email's outbox) and the audit entry (who: the system; what: the failed step).
import { recordAudit, systemAudit } from "@plinth/core/audit";
import type { PrismaClient } from "@plinth/db";
import { layout, sendEmail } from "@plinth/email";
import { emitWebhookEvent } from "@plinth/webhooks";

export interface FailedWorkspaceRun {
  organizationId: string;
  hostingRunId: string;
  runId: string;
  workspaceId: string;
  workspaceName: string;
  app: string;
  action: string;
  failedStep: string;
  error: string;
  url: string;
}

/** Sends the alerts of a failed run unless they were sent; answers how many admins were emailed (null: already alerted). */
export async function alertRunFailed(
  prisma: PrismaClient,
  run: FailedWorkspaceRun,
): Promise<number | null> {
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.hostingRun.updateMany({
      where: { id: run.hostingRunId, organizationId: run.organizationId, alertedAt: null },
      data: { alertedAt: new Date() },
    });
    if (claimed.count === 0) return null;
    const admins = await tx.membership.findMany({
      where: { organizationId: run.organizationId, role: { in: ["OWNER", "ADMIN"] } },
      select: { user: { select: { email: true } } },
    });
    await emitWebhookEvent(tx, {
      organizationId: run.organizationId,
      type: "workspace.failed",
      data: {
        workspaceId: run.workspaceId,
        name: run.workspaceName,
        app: run.app,
        action: run.action.toLowerCase(),
        runId: run.runId,
        failedStep: run.failedStep,
        error: run.error.slice(0, 2_000),
        url: run.url,
      },
    });
    const subject = `Workspace ${run.workspaceName}: ${run.action.toLowerCase()} failed at ${run.failedStep}`;
    const { html, text } = layout({
      title: subject,
      paragraphs: [
        `The ${run.failedStep} step of the ${run.action.toLowerCase()} run of ${run.workspaceName} (${run.app}) failed: ${run.error.slice(0, 500)}`,
        "You get this email because you administer this organization.",
      ],
      action: { label: "Open the workspace", url: run.url },
    });
    for (const admin of admins) {
      await sendEmail(tx, {
        to: admin.user.email,
        subject,
        html,
        text,
        template: "workspace-failed",
      });
    }
    await recordAudit(tx, systemAudit("hosting run failed"), {
      organizationId: run.organizationId,
      action: "workspace.run_failed",
      targetType: "workspace",
      targetId: run.workspaceId,
      changes: {
        runId: { to: run.runId },
        failedStep: { to: run.failedStep },
        error: { to: run.error.slice(0, 500) },
      },
    });
    return admins.length;
  });
}
