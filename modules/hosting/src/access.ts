// hosting.syncAccess (cron, every 5 minutes): a hosted workspace follows its organization's
// access. An organization that may only read — for any read-only reason: PAYMENT_OVERDUE (past
// due beyond the grace period, unpaid), SUBSCRIPTION_INACTIVE (canceled, paused, incomplete) or
// TRIAL_EXPIRED; the workspaces are the paid service, and none of these pays for it — has its
// READY workspaces SUSPENDED (the provider stops their use: the local provider's role becomes
// NOLOGIN and its connections are terminated); an organization that may write again has its
// SUSPENDED workspaces resumed to READY. Access is resolved as gating resolves it
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

type From = "READY" | "SUSPENDED";

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
        state: { in: ["READY", "SUSPENDED"] },
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
      const from: From = access.access === "read_only" ? "READY" : "SUSPENDED";
      const workspaces = await prisma.hostingWorkspace.findMany({
        where: { organizationId: organization.id, state: from, activeRunId: null },
        orderBy: { id: "asc" },
        select: { id: true },
      });
      for (const { id } of workspaces) {
        const result = await switchAccess(prisma, options, {
          workspaceId: id,
          organizationId: organization.id,
          from,
          reason: access.readOnlyReason,
        });
        if (result === "changed") outcome[from === "READY" ? "suspended" : "resumed"] += 1;
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
  const to = from === "READY" ? "SUSPENDED" : "READY";
  try {
    return await prisma.$transaction(
      async (tx) => {
        // Still in `from`, no run holds it, and no other sync is on it (SKIP LOCKED).
        const locked = await tx.$queryRaw<{ provider: string }[]>`
          SELECT provider FROM hosting_workspaces
          WHERE id = ${workspaceId} AND organization_id = ${organizationId}
            AND state::text = ${from} AND active_run_id IS NULL
          FOR UPDATE SKIP LOCKED`;
        const row = locked[0];
        if (!row) return "skipped" as const;
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
        await (to === "SUSPENDED" ? provider.suspend(ctx) : provider.resume(ctx));
        await tx.hostingWorkspace.update({ where: { id: workspaceId }, data: { state: to } });
        await recordAudit(tx, systemAudit("hosting access sync"), {
          organizationId,
          action: to === "SUSPENDED" ? "workspace.suspended" : "workspace.resumed",
          targetType: "workspace",
          targetId: workspaceId,
          changes: {
            state: { from, to },
            ...(to === "SUSPENDED" ? { readOnlyReason: { to: change.reason } } : {}),
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
      `workspace ${workspaceId}: ${to === "SUSPENDED" ? "suspend" : "resume"} failed: ${message}`,
    );
    return "failed";
  }
}
