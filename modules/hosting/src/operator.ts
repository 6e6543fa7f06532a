// The operator console's hosting dashboard (platform admins only: platformAdminProcedure):
// workspaces by state, app and provider; runs per day over the last 30 days (succeeded,
// failed, success rate, p50/p95 duration); the recent failed runs; and the retry of a failed
// workspace's operation (./service.ts's rerunFailedWorkspace: the same lock as every change),
// audited with the operator as actor. Every organization's rows, so through the system client.
import { notFound } from "@plinth/core/errors";
import type { HostingWorkspaceState, PrismaClient } from "@plinth/db";
import { enqueue } from "@plinth/jobs";
import type { UserScope } from "@plinth/platform";
import { findApp } from "./catalogue.ts";
import { HOSTING_RUN_KIND, hostingJobs } from "./jobs.ts";
import { rerunFailedWorkspace } from "./service.ts";

const opsDb = (scope: UserScope): PrismaClient =>
  scope.asSystem("hosting operator dashboard: platform admin, across tenants");

/** Every state, in lifecycle order (a card per state, zero included). */
const STATES = [
  "REQUESTED",
  "PROVISIONING",
  "READY",
  "UPDATING",
  "SUSPENDED",
  "FAILED",
  "DESTROYING",
  "DESTROYED",
] as const satisfies readonly HostingWorkspaceState[];

export const DASHBOARD_DAYS = 30;
const DAY_MS = 86_400_000;

export interface HostingOverview {
  /** Workspaces not destroyed. */
  live: number;
  byState: { state: HostingWorkspaceState; count: number }[];
  /** Workspaces not destroyed, per app of the catalogue (most first). */
  byApp: { app: string; name: string; count: number }[];
  /** Workspaces not destroyed, per provider (most first). */
  byProvider: { provider: string; count: number }[];
}

export async function hostingOverview(scope: UserScope): Promise<HostingOverview> {
  const db = opsDb(scope);
  const live = { state: { not: "DESTROYED" } } as const;
  const [states, apps, providers] = await Promise.all([
    db.hostingWorkspace.groupBy({ by: ["state"], _count: { _all: true } }),
    db.hostingWorkspace.groupBy({ by: ["app"], where: live, _count: { _all: true } }),
    db.hostingWorkspace.groupBy({ by: ["provider"], where: live, _count: { _all: true } }),
  ]);
  const byState = STATES.map((state) => ({
    state,
    count: states.find((group) => group.state === state)?._count._all ?? 0,
  }));
  return {
    live: byState.reduce((sum, row) => sum + (row.state === "DESTROYED" ? 0 : row.count), 0),
    byState,
    byApp: apps
      .map((group) => ({
        app: group.app,
        name: findApp(group.app)?.name ?? group.app,
        count: group._count._all,
      }))
      .sort((a, b) => b.count - a.count || a.app.localeCompare(b.app)),
    byProvider: providers
      .map((group) => ({ provider: group.provider, count: group._count._all }))
      .sort((a, b) => b.count - a.count || a.provider.localeCompare(b.provider)),
  };
}

export interface ProvisioningDay {
  /** "2026-11-02" (UTC). */
  day: string;
  succeeded: number;
  failed: number;
  /** succeeded / (succeeded + failed); null on a day without a finished run. */
  successRate: number | null;
  /** Request to outcome of the day's succeeded runs, in seconds; null without one. */
  p50Seconds: number | null;
  p95Seconds: number | null;
}

export interface ProvisioningStats {
  /** The last 30 UTC days, oldest first, today included. */
  days: ProvisioningDay[];
  totals: { succeeded: number; failed: number; successRate: number | null };
}

const rate = (succeeded: number, failed: number) =>
  succeeded + failed === 0 ? null : succeeded / (succeeded + failed);

/**
 * The hosting runs (every action: provision, update, destroy) that finished on each of the
 * last 30 days, by the day they finished; canceled runs are neither.
 */
export async function provisioningStats(scope: UserScope): Promise<ProvisioningStats> {
  const db = opsDb(scope);
  const now = scope.clock.now();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (DASHBOARD_DAYS - 1) * DAY_MS);
  // Timestamps are stored as UTC wall-clock values (timestamp without time zone).
  const rows = await db.$queryRaw<
    {
      day: string;
      succeeded: number;
      failed: number;
      p50: number | null;
      p95: number | null;
    }[]
  >`
    SELECT to_char(finished_at, 'YYYY-MM-DD') AS day,
           count(*) FILTER (WHERE status = 'SUCCEEDED')::int AS succeeded,
           count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
           percentile_cont(0.5) WITHIN GROUP (
             ORDER BY extract(epoch FROM finished_at - created_at)::float8
           ) FILTER (WHERE status = 'SUCCEEDED') AS p50,
           percentile_cont(0.95) WITHIN GROUP (
             ORDER BY extract(epoch FROM finished_at - created_at)::float8
           ) FILTER (WHERE status = 'SUCCEEDED') AS p95
    FROM runs
    WHERE kind = ${HOSTING_RUN_KIND}
      AND status IN ('SUCCEEDED', 'FAILED')
      AND finished_at >= (${since.toISOString()}::timestamptz AT TIME ZONE 'UTC')
    GROUP BY 1`;
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const round = (seconds: number | null) =>
    seconds === null ? null : Math.round(seconds * 10) / 10;
  const days = Array.from({ length: DASHBOARD_DAYS }, (_, index): ProvisioningDay => {
    const day = new Date(since.getTime() + index * DAY_MS).toISOString().slice(0, 10);
    const row = byDay.get(day);
    const succeeded = row?.succeeded ?? 0;
    const failed = row?.failed ?? 0;
    return {
      day,
      succeeded,
      failed,
      successRate: rate(succeeded, failed),
      p50Seconds: round(row?.p50 ?? null),
      p95Seconds: round(row?.p95 ?? null),
    };
  });
  const succeeded = days.reduce((sum, day) => sum + day.succeeded, 0);
  const failed = days.reduce((sum, day) => sum + day.failed, 0);
  return { days, totals: { succeeded, failed, successRate: rate(succeeded, failed) } };
}

/**
 * An error's first line, short, with any credentials of a URL in it masked: what the table
 * shows of a provider's message (the full output stays on the tenant's run page).
 */
export function errorSummary(error: string | null): string | null {
  if (!error) return null;
  const line = error.split("\n", 1)[0] ?? "";
  return line.replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, "//[redacted]@").slice(0, 300);
}

/** The newest failed runs across organizations; `retryable` when it is the workspace's latest. */
export async function failedRuns(scope: UserScope, input: { limit: number }) {
  const db = opsDb(scope);
  const rows = await db.hostingRun.findMany({
    where: { run: { status: "FAILED" } },
    orderBy: [{ run: { finishedAt: "desc" } }, { createdAt: "desc" }],
    take: input.limit,
    select: {
      id: true,
      runId: true,
      action: true,
      failedStep: true,
      createdAt: true,
      run: { select: { finishedAt: true, error: true } },
      workspace: {
        select: {
          id: true,
          name: true,
          app: true,
          state: true,
          activeRunId: true,
          organization: { select: { id: true, name: true, slug: true } },
        },
      },
    },
  });
  const latest = await db.hostingRun.findMany({
    where: { workspaceId: { in: [...new Set(rows.map((row) => row.workspace.id))] } },
    distinct: ["workspaceId"],
    orderBy: [{ workspaceId: "asc" }, { createdAt: "desc" }],
    select: { id: true },
  });
  const latestIds = new Set(latest.map((row) => row.id));
  return rows.map(({ run, workspace, ...row }) => {
    const { activeRunId, organization, ...shown } = workspace;
    return {
      ...row,
      failedAt: run.finishedAt ?? row.createdAt,
      error: errorSummary(run.error),
      workspace: shown,
      organization,
      retryable: shown.state === "FAILED" && activeRunId === null && latestIds.has(row.id),
    };
  });
}

/**
 * Retries a FAILED workspace's last operation for its organization; INVALID_STATE (412) when
 * the workspace is not FAILED or a run holds it, NOT_FOUND when there is no such workspace.
 */
export async function retryWorkspace(scope: UserScope, input: { workspaceId: string }) {
  return opsDb(scope).$transaction(async (tx) => {
    const workspace = await tx.hostingWorkspace.findUnique({
      where: { id: input.workspaceId },
      select: { organizationId: true },
    });
    if (!workspace) throw notFound("Workspace");
    const { organizationId } = workspace;
    // Audited on the organization's own trail: its members see that the operator retried.
    const retried = await rerunFailedWorkspace(tx, scope, {
      organizationId,
      workspaceId: input.workspaceId,
      createdById: scope.actor.user.id,
    });
    // A retried provision counts again: the worker sets the organization's items after the
    // commit (the operator's scope is not the organization's billing caller).
    if (retried.countsAgain) await enqueue(tx, hostingJobs.syncItems, { organizationId });
    return {
      workspaceId: retried.workspaceId,
      organizationId,
      action: retried.action,
      runId: retried.runId,
    };
  });
}
