// Workspaces end to end on real PostgreSQL with the local provider: the workspace's database
// and role really exist once it is ready (we connect as the role with the vault's password)
// and really do not once it is destroyed; resize changes the database's connection limit; one
// run at a time per workspace (concurrent changes: one wins, the rest are refused, none runs
// twice); a failing step is recorded with its output and alerted once (admins' email, the
// organization's webhook, the audit trail); a run resumed after a forced stop skips the steps
// already done.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { readSecret } from "@plinth/vault";
import { TRPCError } from "@plinth/trpc/testing";
import { passwordSecretName } from "../src/providers/types.ts";
import { localNames } from "../src/providers/local.ts";
import {
  addMember,
  callerFor,
  createOrganization,
  createUser,
  localProvider,
  runHosting,
  setPlan,
} from "./kit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function orgWithOwner(tag: string, plan = "enterprise") {
  const owner = await createUser(db, `owner-${tag}@hosting.test`);
  const org = await createOrganization(db, owner, `Hosting ${tag}`);
  if (plan !== "trial") await setPlan(db, org.id, plan);
  return { owner, org, caller: callerFor(db, owner) };
}

async function serverHas(workspaceId: string) {
  const { database, role } = localNames(workspaceId);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ database: boolean; role: boolean; limit: number | null }>(
      `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS database,
              EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $2) AS role,
              (SELECT datconnlimit FROM pg_database WHERE datname = $1) AS limit`,
      [database, role],
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

async function connectAsWorkspace(organizationId: string, workspaceId: string) {
  const password = await readSecret(db.system, {
    organizationId,
    name: passwordSecretName(workspaceId),
  });
  const { database, role } = localNames(workspaceId);
  const url = new URL(db.url);
  url.pathname = `/${database}`;
  url.username = role;
  url.password = password!.reveal();
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

const REQUEST = {
  name: "emr",
  app: "bahmni",
  version: "1.0.0",
  size: "small",
  region: "eu-central",
};

describe("workspace lifecycle on the local provider", () => {
  it("requested → ready (the database exists) → resized → destroyed (it does not)", async () => {
    const { org, caller } = await orgWithOwner("life");
    const organizationId = org.id;
    const requested = await caller.workspace.request({ organizationId, ...REQUEST });
    expect(requested.workspace).toMatchObject({ state: "REQUESTED", busy: true, app: "bahmni" });
    const workspaceId = requested.workspace.id;
    expect(await serverHas(workspaceId)).toMatchObject({ database: false, role: false });

    await runHosting(db, { runId: requested.runId, organizationId });
    const ready = await caller.workspace.get({ organizationId, workspaceId });
    expect(ready).toMatchObject({ state: "READY", busy: false, failedStep: null });
    expect(ready.outputs).toMatchObject({
      database: `ws_${workspaceId}`,
      user: `ws_${workspaceId}`,
    });
    const [run] = ready.runs;
    expect(run).toMatchObject({ action: "PROVISION", status: "SUCCEEDED" });
    expect(run!.steps.map((step) => [step.name, step.status])).toEqual([
      ["init", "SUCCEEDED"],
      ["plan", "SUCCEEDED"],
      ["apply", "SUCCEEDED"],
    ]);
    expect(run!.steps[0]!.output).toMatch(/connected to PostgreSQL \d+/);
    expect(run!.steps[1]!.output).toContain(`+ database ws_${workspaceId}`);
    expect(run!.steps[2]!.output).toContain("bootstrap: 3 statements applied");

    // The database really exists: connect as its own role with the vault's password.
    expect(await serverHas(workspaceId)).toMatchObject({ database: true, role: true, limit: 10 });
    const client = await connectAsWorkspace(organizationId, workspaceId);
    const meta = await client.query<{ key: string; value: string }>(
      "SELECT key, value FROM plinth_workspace ORDER BY key",
    );
    expect(Object.fromEntries(meta.rows.map((row) => [row.key, row.value]))).toMatchObject({
      app: "bahmni",
      version: "1.0.0",
      size: "small",
    });
    await client.query("INSERT INTO patient (identifier, name) VALUES ('P-1', 'Ada')");
    await client.end();
    // No answer carries the password.
    const password = await readSecret(db.system, {
      organizationId,
      name: passwordSecretName(workspaceId),
    });
    const list = await caller.workspace.list({ organizationId });
    expect(JSON.stringify([ready, list])).not.toContain(password!.reveal());

    // Resize and upgrade: the connection limit follows the size, data stays.
    const resized = await caller.workspace.update({
      organizationId,
      workspaceId,
      size: "medium",
      version: "0.93",
    });
    expect(resized.workspace.state).toBe("UPDATING");
    await runHosting(db, { runId: resized.runId, organizationId });
    expect(await serverHas(workspaceId)).toMatchObject({ database: true, limit: 25 });
    const after = await caller.workspace.get({ organizationId, workspaceId });
    expect(after).toMatchObject({ state: "READY", size: "medium", version: "0.93" });
    const again = await connectAsWorkspace(organizationId, workspaceId);
    expect((await again.query("SELECT name FROM patient")).rows).toEqual([{ name: "Ada" }]);
    expect(
      (await again.query("SELECT value FROM plinth_workspace WHERE key = 'version'")).rows,
    ).toEqual([{ value: "0.93" }]);
    await again.end();

    // Destroy: the database and the role are gone, and the password with them.
    const destroying = await caller.workspace.destroy({ organizationId, workspaceId });
    expect(destroying.workspace.state).toBe("DESTROYING");
    await runHosting(db, { runId: destroying.runId, organizationId });
    expect(await serverHas(workspaceId)).toMatchObject({ database: false, role: false });
    expect(
      await readSecret(db.system, { organizationId, name: passwordSecretName(workspaceId) }),
    ).toBeNull();
    const destroyed = await caller.workspace.get({ organizationId, workspaceId });
    expect(destroyed).toMatchObject({ state: "DESTROYED" });
    expect(destroyed.runs[0]!.steps.map((step) => step.name)).toEqual(["init", "plan", "destroy"]);
    expect(await caller.workspace.list({ organizationId })).toEqual([]);
    expect(await caller.workspace.list({ organizationId, includeDestroyed: true })).toHaveLength(1);

    // The audit trail: every environment change, with its run id.
    const audit = await db.system.auditLog.findMany({
      where: { organizationId, targetId: workspaceId },
      orderBy: { createdAt: "asc" },
      select: { action: true, changes: true },
    });
    expect(audit.map((entry) => entry.action)).toEqual([
      "workspace.requested",
      "workspace.ready",
      "workspace.update_requested",
      "workspace.ready",
      "workspace.destroy_requested",
      "workspace.destroyed",
    ]);
    expect(JSON.stringify(audit[3]!.changes)).toContain(resized.runId);
  });

  it("refuses what the catalogue or the plan does not have", async () => {
    const { org, caller } = await orgWithOwner("refuse", "standard");
    const organizationId = org.id;
    await expect(
      caller.workspace.request({ organizationId, ...REQUEST, app: "wordpress" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      caller.workspace.request({ organizationId, ...REQUEST, version: "9.9" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    // Large sizes need the feature (standard has none).
    await expect(
      caller.workspace.request({ organizationId, ...REQUEST, size: "large" }),
    ).rejects.toBeInstanceOf(TRPCError);
    // Standard: three workspaces, names unique.
    await caller.workspace.request({ organizationId, ...REQUEST, name: "a" });
    await expect(
      caller.workspace.request({ organizationId, ...REQUEST, name: "a" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await caller.workspace.request({ organizationId, ...REQUEST, name: "b" });
    await caller.workspace.request({ organizationId, ...REQUEST, name: "c" });
    await expect(
      caller.workspace.request({ organizationId, ...REQUEST, name: "d" }),
    ).rejects.toBeInstanceOf(TRPCError);
    expect(await db.system.hostingWorkspace.count({ where: { organizationId } })).toBe(3);
  });
});

describe("one run at a time", () => {
  it("concurrent changes of one workspace: one run starts, the others are refused", async () => {
    const { org, caller } = await orgWithOwner("lock");
    const organizationId = org.id;
    const requested = await caller.workspace.request({ organizationId, ...REQUEST });
    const workspaceId = requested.workspace.id;
    // While provisioning, nothing else may start.
    await expect(caller.workspace.destroy({ organizationId, workspaceId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    await runHosting(db, { runId: requested.runId, organizationId });

    const attempts = await Promise.allSettled([
      caller.workspace.update({ organizationId, workspaceId, size: "medium" }),
      caller.workspace.update({ organizationId, workspaceId, size: "large" }),
      caller.workspace.update({ organizationId, workspaceId, version: "0.93" }),
      caller.workspace.destroy({ organizationId, workspaceId }),
      caller.workspace.destroy({ organizationId, workspaceId }),
    ]);
    const won = attempts.filter((attempt) => attempt.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const attempt of attempts) {
      if (attempt.status === "rejected") {
        expect(attempt.reason).toMatchObject({ code: "PRECONDITION_FAILED" });
      }
    }
    const runs = await db.system.hostingRun.findMany({ where: { workspaceId } });
    expect(runs).toHaveLength(2); // the provision and the one winner
    const winner = (won[0] as PromiseFulfilledResult<{ runId: string }>).value;
    // The winner's run executes; a duplicate delivery of it afterwards does nothing.
    await runHosting(db, { runId: winner.runId, organizationId });
    const applied = await db.system.hostingRunStep.findMany({
      where: { hostingRun: { runId: winner.runId } },
    });
    await runHosting(db, { runId: winner.runId, organizationId });
    expect(
      await db.system.hostingRunStep.findMany({ where: { hostingRun: { runId: winner.runId } } }),
    ).toEqual(applied);
    expect((await caller.workspace.get({ organizationId, workspaceId })).busy).toBe(false);
    const state = (await caller.workspace.get({ organizationId, workspaceId })).state;
    if (state !== "DESTROYED")
      await caller.workspace
        .destroy({ organizationId, workspaceId })
        .then((d) => runHosting(db, { runId: d.runId, organizationId }));
    expect(await serverHas(workspaceId)).toMatchObject({ database: false, role: false });
  });

  it("a run stopped mid-apply resumes at apply, skipping the steps already done", async () => {
    const { org, caller } = await orgWithOwner("resume");
    const organizationId = org.id;
    const requested = await caller.workspace.request({ organizationId, ...REQUEST });
    const local = localProvider(db);
    const stop = new AbortController();
    await expect(
      runHosting(
        db,
        { runId: requested.runId, organizationId },
        {
          ...local,
          apply: () => {
            stop.abort(new Error("worker stopping"));
            return Promise.reject(new Error("worker stopping"));
          },
        },
        stop.signal,
      ),
    ).rejects.toThrow("worker stopping");
    expect((await db.system.run.findUniqueOrThrow({ where: { id: requested.runId } })).status).toBe(
      "RUNNING",
    );
    let initCalls = 0;
    await runHosting(
      db,
      { runId: requested.runId, organizationId },
      {
        ...local,
        init: async (ctx) => {
          initCalls++;
          return local.init(ctx);
        },
      },
    );
    expect(initCalls).toBe(0);
    const ready = await caller.workspace.get({
      organizationId,
      workspaceId: requested.workspace.id,
    });
    expect(ready.state).toBe("READY");
    expect(ready.runs[0]!.steps.map((step) => [step.name, step.attempts])).toEqual([
      ["init", 1],
      ["plan", 1],
      ["apply", 2],
    ]);
    expect(await serverHas(requested.workspace.id)).toMatchObject({ database: true, role: true });
    const destroy = await caller.workspace.destroy({
      organizationId,
      workspaceId: requested.workspace.id,
    });
    await runHosting(db, { runId: destroy.runId, organizationId });
  });
});

describe("a failing run", () => {
  it("records the failing step and its output, and alerts once (email, webhook, audit)", async () => {
    const { org, caller, owner } = await orgWithOwner("fail");
    const organizationId = org.id;
    const admin = await createUser(db, "admin-fail@hosting.test");
    await addMember(db, organizationId, admin, "ADMIN");
    const member = await createUser(db, "member-fail@hosting.test");
    await addMember(db, organizationId, member, "MEMBER");
    const endpoint = await db.system.webhookEndpoint.create({
      data: {
        organizationId,
        url: "https://hooks.example.com/x",
        eventTypes: ["workspace.failed"],
      },
    });
    const requested = await caller.workspace.request({ organizationId, ...REQUEST });
    const local = localProvider(db);
    const failing = {
      ...local,
      apply: async (ctx: Parameters<typeof local.apply>[0]) => {
        await ctx.log("creating the database");
        throw new Error("disk full (simulated)");
      },
    };
    await runHosting(db, { runId: requested.runId, organizationId }, failing);
    const failed = await caller.workspace.get({
      organizationId,
      workspaceId: requested.workspace.id,
    });
    expect(failed).toMatchObject({ state: "FAILED", failedStep: "apply", busy: false });
    expect(failed.error).toContain("disk full");
    expect(failed.runs[0]).toMatchObject({ status: "FAILED", failedStep: "apply" });
    const apply = failed.runs[0]!.steps.find((step) => step.name === "apply")!;
    expect(apply.status).toBe("FAILED");
    expect(apply.output).toContain("creating the database");
    expect(apply.output).toContain("error: disk full (simulated)");

    // A duplicate delivery of the finished run alerts nothing more.
    await runHosting(db, { runId: requested.runId, organizationId }, failing);
    const emails = await db.system.email.findMany({ where: { template: "workspace-failed" } });
    expect(emails.map((email) => email.to).sort()).toEqual([admin.email, owner.email].sort());
    const events = await db.system.webhookEvent.findMany({
      where: { organizationId, type: "workspace.failed" },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ failedStep: "apply", runId: requested.runId });
    expect(await db.system.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);
    expect(
      await db.system.auditLog.count({ where: { organizationId, action: "workspace.run_failed" } }),
    ).toBe(1);

    // A failed workspace may be destroyed (or retried with an update).
    const destroy = await caller.workspace.destroy({
      organizationId,
      workspaceId: requested.workspace.id,
    });
    await runHosting(db, { runId: destroy.runId, organizationId });
    expect(await serverHas(requested.workspace.id)).toMatchObject({ database: false, role: false });
  });
});
