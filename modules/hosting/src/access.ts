// hosting.syncAccess (cron, every 5 minutes): a hosted workspace follows its organization's
// access. An organization that may only read — for any read-only reason: PAYMENT_OVERDUE (past
// due beyond the grace period, unpaid), SUBSCRIPTION_INACTIVE (canceled, paused, incomplete) or
// TRIAL_EXPIRED; the workspaces are the paid service, and none of these pays for it — has its
// READY and FAILED workspaces SUSPENDED (the provider stops their use: the local provider's role
// becomes NOLOGIN and its connections are terminated — a failed update leaves a database that
// still serves, so FAILED ones go too); an organization that may write again has its SUSPENDED
// workspaces resumed to what they were (`suspendedFrom`: READY, or FAILED — a failed workspace
// is not resurrected as ready; its role gets its LOGIN back, and the retry stays the way out). Access is resolved as gating resolves it
// (resolveAccess of @plinth/billing, the same grace period).
//
// No run: suspend and resume are one idempotent provider call each, done under the workspace's
// row lock (FOR UPDATE SKIP LOCKED, only while no run holds the workspace: activeRunId null),
// and the state change is committed with its audit entry (before/after, the reason) in the same
// transaction. Two syncs at once: the second skips the rows the first holds, and finds nothing
// left to change afterwards. A crash between the provider call and the commit leaves the state
// as it was and the next sync calls the provider again (it converges). A workspace a run holds
// (provisioning, updating, destroying) is left to the next sync. Organizations are visited in
// batches (by id), each workspace in its own short transaction.
import { recordAudit, systemAudit } from "@plinth/core/audit";
import { resolveAccess } from "@plinth/billing/entitlements";
import type { PrismaClient } from "@plinth/db";
import type { HostingProvider } from "./providers/types.ts";
import { ProviderUnsupportedError } from "./providers/types.ts";

export interface SyncAccessOptions {
  /** The adapter of a workspace's provider ("local", "terraform"). */
  provider(key: string): HostingProvider;
  now: Date;
  /** How long a past-due subscription keeps full access (BILLING_PAST_DUE_GRACE_DAYS). */
  pastDueGraceDays: number;
  /** Organizations per batch. */
  batchSize?: number;
  log?: (line: string) => void;
}

export interface SyncAccessOutcome {
  suspended: number;
  resumed: number;
  /** Workspaces whose provider refuses suspend/resume (terraform): left as they are. */
  unsupported: number;
  /** Workspaces whose provider call failed (retried by the next sync). */
  failed: number;
}

type From = "READY" | "FAILED" | "SUSPENDED";
/** What suspension takes from (read-only) and what resume takes from (writable). */
const SUSPENDABLE = ["READY", "FAILED"] as const;

export async function syncWorkspaceAccess(
  prisma: PrismaClient,
  options: SyncAccessOptions,
): Promise<SyncAccessOutcome> {
  const outcome: SyncAccessOutcome = { suspended: 0, resumed: 0, unsupported: 0, failed: 0 };
  const batchSize = options.batchSize ?? 100;
  let after: string | undefined;
  for (;;) {
    const batch = await prisma.hostingWorkspace.findMany({
      where: {
        state: { in: [...SUSPENDABLE, "SUSPENDED"] },
        activeRunId: null,
        ...(after ? { organizationId: { gt: after } } : {}),
      },
      distinct: ["organizationId"],
      orderBy: { organizationId: "asc" },
      take: batchSize,
      select: { organizationId: true },
    });
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.organizationId;
    const organizations = await prisma.organization.findMany({
      where: { id: { in: batch.map((row) => row.organizationId) } },
      select: { id: true, trialEndsAt: true, createdAt: true, subscription: true },
    });
    for (const organization of organizations) {
      const access = resolveAccess({
        organization,
        subscription: organization.subscription,
        now: options.now,
        pastDueGraceDays: options.pastDueGraceDays,
      });
      const suspending = access.access === "read_only";
      const workspaces = await prisma.hostingWorkspace.findMany({
        where: {
          organizationId: organization.id,
          state: suspending ? { in: [...SUSPENDABLE] } : "SUSPENDED",
          activeRunId: null,
        },
        orderBy: { id: "asc" },
        select: { id: true, state: true },
      });
      for (const { id, state } of workspaces) {
        const result = await switchAccess(prisma, options, {
          workspaceId: id,
          organizationId: organization.id,
          from: state as From,
          reason: access.readOnlyReason,
        });
        if (result === "changed") outcome[suspending ? "suspended" : "resumed"] += 1;
        else if (result !== "skipped") outcome[result] += 1;
      }
    }
    if (batch.length < batchSize) break;
  }
  return outcome;
}

async function switchAccess(
  prisma: PrismaClient,
  options: SyncAccessOptions,
  change: { workspaceId: string; organizationId: string; from: From; reason: string | null },
): Promise<"changed" | "skipped" | "unsupported" | "failed"> {
  const { workspaceId, organizationId, from } = change;
  const suspending = from !== "SUSPENDED";
  try {
    return await prisma.$transaction(
      async (tx) => {
        // Still in `from`, no run holds it, and no other sync is on it (SKIP LOCKED).
        const locked = await tx.$queryRaw<{ provider: string; suspended_from: string | null }[]>`
          SELECT provider, suspended_from::text AS suspended_from FROM hosting_workspaces
          WHERE id = ${workspaceId} AND organization_id = ${organizationId}
            AND state::text = ${from} AND active_run_id IS NULL
          FOR UPDATE SKIP LOCKED`;
        const row = locked[0];
        if (!row) return "skipped" as const;
        // Rows suspended before suspendedFrom was recorded were READY ones.
        const to = suspending ? "SUSPENDED" : row.suspended_from === "FAILED" ? "FAILED" : "READY";
        const provider = options.provider(row.provider);
        const lines: string[] = [];
        const ctx = {
          workspaceId,
          organizationId,
          log: (line: string) => {
            lines.push(line);
            return Promise.resolve();
          },
        };
        await (suspending ? provider.suspend(ctx) : provider.resume(ctx));
        await tx.hostingWorkspace.update({
          where: { id: workspaceId },
          data: { state: to, suspendedFrom: suspending ? from : null },
        });
        await recordAudit(tx, systemAudit("hosting access sync"), {
          organizationId,
          action: suspending ? "workspace.suspended" : "workspace.resumed",
          targetType: "workspace",
          targetId: workspaceId,
          changes: {
            state: { from, to },
            ...(suspending ? { readOnlyReason: { to: change.reason } } : {}),
          },
        });
        options.log?.(`workspace ${workspaceId}: ${from} → ${to} (${lines.join("; ")})`);
        return "changed" as const;
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (error instanceof ProviderUnsupportedError) {
      options.log?.(`workspace ${workspaceId}: ${error.message}`);
      return "unsupported";
    }
    const message = error instanceof Error ? error.message : String(error);
    options.log?.(
      `workspace ${workspaceId}: ${suspending ? "suspend" : "resume"} failed: ${message}`,
    );
    return "failed";
  }
}
