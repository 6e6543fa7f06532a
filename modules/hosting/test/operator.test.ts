// The operator console's hosting dashboard on real PostgreSQL: workspaces and runs seeded in two
// organizations (with known times) give exactly the expected counts by state, app and provider,
// runs per day, success rates and p50/p95 durations (runs outside the 30 days, canceled and
// running ones not counted); the failed runs list names workspace, organization, step and a
// clean error (no credentials); only platform admins may call any of it; retry starts a new run
// of the failed operation under the workspace's lock, audited with the operator as actor, and a
// retried provision really provisions; retrying a workspace that is not FAILED is a typed 412.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import type { HostingRunAction, HostingWorkspaceState, RunStatus } from "@plinth/db";
import { TRPCError } from "@plinth/trpc/testing";
import { HOSTING_RUN_KIND } from "../src/jobs.ts";
import {
  callerFor,
  createOrganization,
  createUser,
  localProvider,
  runHosting,
  setPlan,
} from "./kit.ts";

let db: TestDatabase;
let admin: Awaited<ReturnType<typeof createUser>>;
let alice: Awaited<ReturnType<typeof createUser>>;
let orgA: { id: string; name: string };
let orgB: { id: string; name: string };
const ids: Record<string, string> = {};

const DAY = 86_400_000;
const now = new Date();
const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
/** A moment on the UTC day `daysAgo` before today (today: its first second, so it is past). */
const onDay = (daysAgo: number) =>
  new Date(todayStart - daysAgo * DAY + (daysAgo ? 3_600_000 : 1_000));
const dayKey = (daysAgo: number) => new Date(todayStart - daysAgo * DAY).toISOString().slice(0, 10);

async function workspace(
  key: string,
  organizationId: string,
  fields: { app: string; state: HostingWorkspaceState; provider?: string; version?: string },
) {
  const created = await db.system.hostingWorkspace.create({
    data: {
      organizationId,
      name: key,
      app: fields.app,
      version:
        fields.version ??
        (fields.app === "erpnext" ? "15.0" : fields.app === "odoo" ? "18.0" : "1.0.0"),
      size: "small",
      region: "eu-central",
      provider: fields.provider ?? "local",
      state: fields.state,
    },
  });
  ids[key] = created.id;
  return created;
}

/** A hosting run (and its core run) that finished `seconds` after it was requested. */
async function run(
  key: string,
  action: HostingRunAction,
  status: RunStatus,
  finishedAt: Date | null,
  seconds: number,
  extra: { failedStep?: string; error?: string } = {},
) {
  const ws = await db.system.hostingWorkspace.findUniqueOrThrow({ where: { id: ids[key]! } });
  const createdAt = new Date((finishedAt ?? new Date()).getTime() - seconds * 1000);
  const core = await db.system.run.create({
    data: {
      organizationId: ws.organizationId,
      kind: HOSTING_RUN_KIND,
      status,
      createdAt,
      startedAt: createdAt,
      finishedAt,
      error: extra.error ?? null,
    },
  });
  const hostingRun = await db.system.hostingRun.create({
    data: {
      organizationId: ws.organizationId,
      workspaceId: ws.id,
      runId: core.id,
      action,
      target: { version: ws.version, size: ws.size },
      failedStep: extra.failedStep ?? null,
      createdAt,
      finishedAt,
    },
  });
  return { runId: core.id, hostingRunId: hostingRun.id };
}

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await createUser(db, "ops@hosting-ops.test", { platformRole: "SUPER_ADMIN" });
  alice = await createUser(db, "alice@hosting-ops.test");
  const bob = await createUser(db, "bob@hosting-ops.test");
  orgA = await createOrganization(db, alice, "Clinic A");
  orgB = await createOrganization(db, bob, "Factory B");
  await setPlan(db, orgA.id, "enterprise");
  await setPlan(db, orgB.id, "enterprise");

  // Organization A: two ready, one failed provision (terraform) whose error carries a URL.
  await workspace("emr", orgA.id, { app: "bahmni", state: "READY" });
  await run("emr", "PROVISION", "SUCCEEDED", onDay(0), 60);
  await workspace("books", orgA.id, { app: "erpnext", state: "READY" });
  await run("books", "PROVISION", "SUCCEEDED", onDay(0), 120);
  await workspace("crm", orgA.id, { app: "odoo", state: "FAILED", provider: "terraform" });
  await run("crm", "PROVISION", "FAILED", onDay(0), 30, {
    failedStep: "apply",
    error: "apply failed: cannot reach postgres://admin:hunter2@db.internal:5432/x\nstack trace",
  });
  // Organization B: ready (provisioned today, updated two days ago), destroyed, failed update,
  // provisioning now; a run from 40 days ago and a canceled one do not count.
  await workspace("erp", orgB.id, { app: "erpnext", state: "READY" });
  await run("erp", "UPDATE", "SUCCEEDED", onDay(2), 40);
  await run("erp", "PROVISION", "SUCCEEDED", onDay(0), 180);
  await workspace("old", orgB.id, { app: "bahmni", state: "DESTROYED" });
  await run("old", "PROVISION", "SUCCEEDED", onDay(2), 20);
  await run("old", "DESTROY", "SUCCEEDED", onDay(2), 10);
  await workspace("ledger", orgB.id, { app: "erpnext", state: "FAILED" });
  await run("ledger", "PROVISION", "SUCCEEDED", onDay(40), 50);
  await run("ledger", "UPDATE", "CANCELED", new Date(onDay(1).getTime() - 600_000), 5);
  await run("ledger", "UPDATE", "FAILED", onDay(1), 15, {
    failedStep: "plan",
    error: "plan failed: connection limit exceeded",
  });
  await workspace("shop", orgB.id, { app: "odoo", state: "PROVISIONING" });
  const running = await run("shop", "PROVISION", "RUNNING", null, 0);
  await db.system.hostingWorkspace.update({
    where: { id: ids.shop! },
    data: { activeRunId: running.hostingRunId },
  });
});
afterAll(() => db.drop());

describe("the hosting dashboard's numbers", () => {
  it("counts workspaces by state, app and provider across organizations", async () => {
    const overview = await callerFor(db, admin).hostingOps.overview();
    expect(overview.live).toBe(6);
    expect(Object.fromEntries(overview.byState.map((row) => [row.state, row.count]))).toEqual({
      REQUESTED: 0,
      PROVISIONING: 1,
      READY: 3,
      UPDATING: 0,
      SUSPENDED: 0,
      FAILED: 2,
      DESTROYING: 0,
      DESTROYED: 1,
    });
    expect(overview.byApp).toEqual([
      { app: "erpnext", name: "ERPNext", count: 3 },
      { app: "odoo", name: "Odoo", count: 2 },
      { app: "bahmni", name: "Bahmni", count: 1 },
    ]);
    expect(overview.byProvider).toEqual([
      { provider: "local", count: 5 },
      { provider: "terraform", count: 1 },
    ]);
  });

  it("gives runs per day over 30 days with success rate and p50/p95 of succeeded runs", async () => {
    const stats = await callerFor(db, admin).hostingOps.provisioning();
    expect(stats.days).toHaveLength(30);
    expect(stats.days[0]!.day).toBe(dayKey(29));
    expect(stats.days.at(-1)!.day).toBe(dayKey(0));
    const byDay = new Map(stats.days.map((day) => [day.day, day]));
    // Today: 60, 120, 180 s succeeded, one failed. percentile_cont: p95 = 120 + 0.9 × 60.
    expect(byDay.get(dayKey(0))).toEqual({
      day: dayKey(0),
      succeeded: 3,
      failed: 1,
      successRate: 0.75,
      p50Seconds: 120,
      p95Seconds: 174,
    });
    // Yesterday: only the failed update (the canceled one is neither).
    expect(byDay.get(dayKey(1))).toEqual({
      day: dayKey(1),
      succeeded: 0,
      failed: 1,
      successRate: 0,
      p50Seconds: null,
      p95Seconds: null,
    });
    // Two days ago: 10, 20, 40 s. p95 = 20 + 0.9 × 20.
    expect(byDay.get(dayKey(2))).toEqual({
      day: dayKey(2),
      succeeded: 3,
      failed: 0,
      successRate: 1,
      p50Seconds: 20,
      p95Seconds: 38,
    });
    const quiet = stats.days.filter((day) => ![0, 1, 2].map(dayKey).includes(day.day));
    expect(quiet).toHaveLength(27);
    for (const day of quiet) {
      expect(day).toMatchObject({ succeeded: 0, failed: 0, successRate: null, p50Seconds: null });
    }
    expect(stats.totals).toEqual({ succeeded: 6, failed: 2, successRate: 0.75 });
  });

  it("lists the failed runs, newest first, with organization, step and a clean error", async () => {
    const failed = await callerFor(db, admin).hostingOps.failedRuns({});
    expect(failed.map((row) => row.workspace.name)).toEqual(["crm", "ledger"]);
    expect(failed[0]).toMatchObject({
      action: "PROVISION",
      failedStep: "apply",
      failedAt: onDay(0),
      error: "apply failed: cannot reach postgres://[redacted]@db.internal:5432/x",
      workspace: { id: ids.crm, name: "crm", app: "odoo", state: "FAILED" },
      organization: { id: orgA.id, name: "Clinic A" },
      retryable: true,
    });
    expect(failed[1]).toMatchObject({
      action: "UPDATE",
      failedStep: "plan",
      error: "plan failed: connection limit exceeded",
      organization: { id: orgB.id, name: "Factory B" },
      retryable: true,
    });
    expect(JSON.stringify(failed)).not.toContain("hunter2");
    expect(Object.keys(failed[0]!).sort()).toEqual(
      [
        "id",
        "runId",
        "action",
        "failedStep",
        "createdAt",
        "failedAt",
        "error",
        "workspace",
        "organization",
        "retryable",
      ].sort(),
    );
  });
});

describe("access", () => {
  const calls = {
    overview: (caller: ReturnType<typeof callerFor>) => caller.hostingOps.overview(),
    provisioning: (caller: ReturnType<typeof callerFor>) => caller.hostingOps.provisioning(),
    failedRuns: (caller: ReturnType<typeof callerFor>) => caller.hostingOps.failedRuns({}),
    retry: (caller: ReturnType<typeof callerFor>) =>
      caller.hostingOps.retry({ workspaceId: ids.crm! }),
  };

  it.each(Object.keys(calls) as (keyof typeof calls)[])(
    "hostingOps.%s refuses a member (FORBIDDEN) and an anonymous caller (UNAUTHORIZED)",
    async (name) => {
      await expect(calls[name](callerFor(db, alice))).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(calls[name](callerFor(db, null))).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    },
  );

  it("nothing changed for the refused retries", async () => {
    expect(await db.system.hostingRun.count({ where: { workspaceId: ids.crm! } })).toBe(1);
  });
});

describe("retry", () => {
  it("starts a new run of the failed operation, holds the lock and is audited", async () => {
    const ops = callerFor(db, admin);
    const before = await db.system.hostingRun.findFirstOrThrow({
      where: { workspaceId: ids.ledger! },
      orderBy: { createdAt: "desc" },
    });
    const retried = await ops.hostingOps.retry({ workspaceId: ids.ledger! });
    expect(retried).toMatchObject({
      workspaceId: ids.ledger,
      organizationId: orgB.id,
      action: "UPDATE",
    });
    const hostingRun = await db.system.hostingRun.findUniqueOrThrow({
      where: { runId: retried.runId },
      include: { run: true },
    });
    expect(hostingRun).toMatchObject({
      organizationId: orgB.id,
      workspaceId: ids.ledger,
      action: "UPDATE",
      target: before.target,
      createdById: admin.id,
      run: { kind: HOSTING_RUN_KIND, status: "QUEUED", createdById: admin.id },
    });
    expect(
      await db.system.hostingWorkspace.findUniqueOrThrow({ where: { id: ids.ledger! } }),
    ).toMatchObject({ state: "UPDATING", activeRunId: hostingRun.id });
    const audit = await db.system.auditLog.findMany({
      where: { action: "workspace.retry_requested" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      organizationId: orgB.id,
      actorType: "USER",
      actorId: admin.id,
      targetType: "workspace",
      targetId: ids.ledger,
      changes: {
        state: { from: "FAILED", to: "UPDATING" },
        action: { to: "UPDATE" },
        failedStep: { from: "plan" },
        retriedRunId: { from: before.runId },
        runId: { to: retried.runId },
      },
    });
    // The old failed run is listed still, no longer retryable (a run holds the workspace).
    const failed = await ops.hostingOps.failedRuns({});
    expect(failed.find((row) => row.runId === before.runId)).toMatchObject({ retryable: false });

    // The run holds the workspace: a second retry is refused, typed, and starts nothing.
    await expect(ops.hostingOps.retry({ workspaceId: ids.ledger! })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    expect(await db.system.hostingRun.count({ where: { workspaceId: ids.ledger! } })).toBe(4);
  });

  it("refuses a workspace that is not FAILED (412, typed) and an unknown one (404)", async () => {
    const ops = callerFor(db, admin);
    const refusal = await ops.hostingOps.retry({ workspaceId: ids.emr! }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(TRPCError);
    expect(refusal).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((refusal as TRPCError).message).toContain("ready");
    await expect(ops.hostingOps.retry({ workspaceId: ids.old! })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    await expect(
      ops.hostingOps.retry({ workspaceId: "cxxxxxxxxxxxxxxxxxxxxxxxx" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.system.hostingRun.count({ where: { workspaceId: ids.emr! } })).toBe(1);
  });

  it("a retried provision really provisions (the local provider), READY afterwards", async () => {
    const caller = callerFor(db, alice);
    const organizationId = orgA.id;
    const requested = await caller.workspace.request({
      organizationId,
      name: "retried",
      app: "odoo",
      version: "18.0",
      size: "small",
      region: "eu-central",
    });
    const local = localProvider(db);
    await runHosting(
      db,
      { runId: requested.runId, organizationId },
      {
        ...local,
        apply: () => Promise.reject(new Error("server starting (simulated, permanent)")),
        isTransient: () => false,
      },
    );
    const workspaceId = requested.workspace.id;
    expect(
      await db.system.hostingWorkspace.findUniqueOrThrow({ where: { id: workspaceId } }),
    ).toMatchObject({ state: "FAILED", failedStep: "apply" });
    const retried = await callerFor(db, admin).hostingOps.retry({ workspaceId });
    expect(retried.action).toBe("PROVISION");
    expect(
      await db.system.hostingWorkspace.findUniqueOrThrow({ where: { id: workspaceId } }),
    ).toMatchObject({ state: "REQUESTED" });
    await runHosting(db, { runId: retried.runId, organizationId });
    const ready = await caller.workspace.get({ organizationId, workspaceId });
    expect(ready).toMatchObject({ state: "READY", busy: false, failedStep: null, error: null });
    expect(ready.readyAt).toBeInstanceOf(Date);
    expect(ready.runs.map((r) => r.status)).toEqual(["SUCCEEDED", "FAILED"]);
    // Clean up the database and role the provision created.
    const destroy = await caller.workspace.destroy({ organizationId, workspaceId });
    await runHosting(db, { runId: destroy.runId, organizationId });
  });
});
