// What happens when a workspace's run fails — once per run, whoever notices: the run is marked
// alerted by a conditional update in the same transaction as the organization's outbound
// webhook event (`workspace.failed`, @plinth/webhooks' outbox), one email per owner and admin
// (packages/email's outbox) and the audit entry (who: the system; what: the failed step).
// And when a verified custom domain lapses (alertDomainLapsed): the `domain.expired` webhook
// event, emails and the audit entry, once.
import { recordAudit, systemAudit } from "@plinth/core/audit";
import type { PrismaClient, TransactionClient } from "@plinth/db";
import { layout, sendEmail } from "@plinth/email";
import { emitWebhookEvent } from "@plinth/webhooks";

/**
 * The organization's `domain.expired` webhook event (its outbox, in the caller's transaction:
 * emitted with the conditional status change that claims the expiry, so once). `cause`:
 * "lapsed" — a verified domain whose TXT record stayed missing; "unverified" — never verified
 * within the pending window.
 */
export function emitDomainExpired(
  tx: TransactionClient,
  domain: {
    organizationId: string;
    domainId: string;
    workspaceId: string;
    hostname: string;
    cause: "lapsed" | "unverified";
    reason: string;
  },
) {
  return emitWebhookEvent(tx, {
    organizationId: domain.organizationId,
    type: "domain.expired",
    data: {
      domainId: domain.domainId,
      workspaceId: domain.workspaceId,
      hostname: domain.hostname,
      cause: domain.cause,
      reason: domain.reason.slice(0, 500),
    },
  });
}

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

export interface LapsedDomain {
  organizationId: string;
  domainId: string;
  workspaceId: string;
  workspaceName: string;
  hostname: string;
  /** Why it lapsed (stored as the domain's lastError). */
  reason: string;
  /** The record in Plinth's zone that was deleted ("CNAME d-….zone"), null: none. */
  deletedRecord: string | null;
  url: string;
}

/**
 * A verified domain whose TXT record stayed missing loses its verification (EXPIRED) — once,
 * whoever notices: the conditional update (still VERIFIED) claims it in the same transaction
 * as one email per owner and admin and the audit entry. Answers how many admins were emailed
 * (null: it was no longer verified, nothing sent).
 */
export async function alertDomainLapsed(
  prisma: PrismaClient,
  domain: LapsedDomain,
): Promise<number | null> {
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.hostingDomain.updateMany({
      where: { id: domain.domainId, organizationId: domain.organizationId, status: "VERIFIED" },
      data: {
        status: "EXPIRED",
        lastError: domain.reason,
        verifiedAt: null,
        dnsProvider: null,
        dnsRecordType: null,
        dnsRecordName: null,
        providerRecordId: null,
      },
    });
    if (claimed.count === 0) return null;
    const admins = await tx.membership.findMany({
      where: { organizationId: domain.organizationId, role: { in: ["OWNER", "ADMIN"] } },
      select: { user: { select: { email: true } } },
    });
    await emitDomainExpired(tx, {
      organizationId: domain.organizationId,
      domainId: domain.domainId,
      workspaceId: domain.workspaceId,
      hostname: domain.hostname,
      cause: "lapsed",
      reason: domain.reason,
    });
    const subject = `Custom domain ${domain.hostname} is no longer verified`;
    const { html, text } = layout({
      title: subject,
      paragraphs: [
        `${domain.reason}. ${domain.hostname} no longer routes to the workspace ${domain.workspaceName}; publish the TXT record again and press Verify on the workspace's page.`,
        "You get this email because you administer this organization.",
      ],
      action: { label: "Open the workspace", url: domain.url },
    });
    for (const admin of admins) {
      await sendEmail(tx, {
        to: admin.user.email,
        subject,
        html,
        text,
        template: "domain-lapsed",
      });
    }
    await recordAudit(tx, systemAudit("custom domain verification lapsed"), {
      organizationId: domain.organizationId,
      action: "domain.verification_lapsed",
      targetType: "workspace",
      targetId: domain.workspaceId,
      changes: {
        domainId: { to: domain.domainId },
        hostname: { to: domain.hostname },
        status: { from: "VERIFIED", to: "EXPIRED" },
        lastError: { to: domain.reason },
        ...(domain.deletedRecord ? { record: { from: domain.deletedRecord } } : {}),
      },
    });
    return admins.length;
  });
}
