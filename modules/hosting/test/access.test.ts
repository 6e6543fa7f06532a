// hosting.syncAccess on real PostgreSQL with the local provider: a READY workspace's role can
// connect; its organization's payment goes overdue — within the grace period nothing happens,
// past it the sync suspends the workspace (SUSPENDED, the role may not log in, its open
// connection is terminated, an audit entry with before/after and the reason) while another
// organization's workspace is untouched; two syncs at once suspend it once; changes are refused
// READ_ONLY meanwhile (update and destroy); paid again → the sync resumes it (READY, the same
// password connects); further syncs change nothing. The terraform provider refuses typed and
// its workspace stays READY. A FAILED workspace is suspended as well and resumes to FAILED.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@plinth/core/errors";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { TRPCError } from "@plinth/trpc/testing";
import { readSecret } from "@plinth/vault";
import { syncWorkspaceAccess, type SyncAccessOutcome } from "../src/access.ts";
import { worker } from "../src/worker.ts";
import { localNames } from "../src/providers/local.ts";
import { createTerraformProvider } from "../src/providers/terraform.ts";
import { passwordSecretName, ProviderUnsupportedError } from "../src/providers/types.ts";
import type { HostingProvider } from "../src/providers/types.ts";
import {
  callerFor,
  createOrganization,
  createUser,
  localProvider,
  runHosting,
  setPlan,
  silentLogger,
  workerServices,
} from "./kit.ts";

const DAY = 86_400_000;
let db: TestDatabase;
let terraformRoot: string;
let terraform: HostingProvider;
beforeAll(async () => {
  db = await createTestDatabase();
  // The worker's own providers (the cron handler's test) work on the test database's server.
  process.env.HOSTING_LOCAL_DATABASE_URL = db.url;
  terraformRoot = await mkdtemp(join(tmpdir(), "hosting-access-"));
  terraform = createTerraformProvider({ root: terraformRoot, backendUrl: () => db.url });
});
afterAll(async () => {
  await db.drop();
  await rm(terraformRoot, { recursive: true, force: true });
});

const sync = (now = new Date()) =>
  syncWorkspaceAccess(db.system, {
    provider: (key) => (key === "terraform" ? terraform : localProvider(db)),
    now,
    pastDueGraceDays: 7,
    batchSize: 1, // several batches with two organizations
  });
const nothing: SyncAccessOutcome = { suspended: 0, resumed: 0, unsupported: 0, failed: 0 };

async function readyWorkspace(tag: string) {
  const owner = await createUser(db, `owner-${tag}@access.test`);
  const org = await createOrganization(db, owner, `Access ${tag}`);
  await setPlan(db, org.id, "enterprise");
  const caller = callerFor(db, owner);
  const requested = await caller.workspace.request({
    organizationId: org.id,
    name: `ws-${tag}`,
    app: "bahmni",
    version: "1.0.0",
    size: "small",
    region: "eu-central",
  });
  await runHosting(db, { runId: requested.runId, organizationId: org.id });
  const workspaceId = requested.workspace.id;
  expect(await stateOf(workspaceId)).toBe("READY");
  return { org, caller, workspaceId };
}

async function stateOf(workspaceId: string) {
  return (await db.system.hostingWorkspace.findUniqueOrThrow({ where: { id: workspaceId } })).state;
}

async function connectAs(organizationId: string, workspaceId: string) {
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
  client.on("error", () => undefined); // a terminated session reports here too
  await client.connect();
  return client;
}

async function canConnect(organizationId: string, workspaceId: string) {
  const client = await connectAs(organizationId, workspaceId);
  const { rows } = await client.query<{ one: number }>("SELECT 1 AS one");
  await client.end();
  return rows[0]?.one === 1;
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.cause instanceof AppError ? error.cause.data : null;
}

const audits = (workspaceId: string) =>
  db.system.auditLog.findMany({
    where: { targetId: workspaceId, action: { in: ["workspace.suspended", "workspace.resumed"] } },
    orderBy: { createdAt: "asc" },
    select: { action: true, actorType: true, changes: true },
  });

describe("hosting.syncAccess", () => {
  it("suspends when payment is overdue past grace and resumes when paid, once each", async () => {
    const a = await readyWorkspace("overdue");
    const b = await readyWorkspace("paying");
    expect(await canConnect(a.org.id, a.workspaceId)).toBe(true);
    expect(await sync()).toEqual(nothing); // both pay: nothing to do

    // Past due within the grace period: full access, nothing changes.
    await db.system.subscription.update({
      where: { organizationId: a.org.id },
      data: { status: "PAST_DUE", pastDueSince: new Date(Date.now() - 3 * DAY) },
    });
    expect(await sync()).toEqual(nothing);
    expect(await stateOf(a.workspaceId)).toBe("READY");

    // Past the grace period: read-only. An open session of the role, then two syncs at once.
    await db.system.subscription.update({
      where: { organizationId: a.org.id },
      data: { pastDueSince: new Date(Date.now() - 10 * DAY) },
    });
    const open = await connectAs(a.org.id, a.workspaceId);
    const [first, second] = await Promise.all([sync(), sync()]);
    expect(first.suspended + second.suspended).toBe(1);
    expect(first.failed + second.failed).toBe(0);
    expect(await stateOf(a.workspaceId)).toBe("SUSPENDED");
    await expect(open.query("SELECT 1")).rejects.toThrow();
    await expect(canConnect(a.org.id, a.workspaceId)).rejects.toThrow(/not permitted to log in/);
    expect(await audits(a.workspaceId)).toEqual([
      {
        action: "workspace.suspended",
        actorType: "SYSTEM",
        changes: {
          state: { from: "READY", to: "SUSPENDED" },
          readOnlyReason: { to: "PAYMENT_OVERDUE" },
        },
      },
    ]);
    // The other organization is untouched.
    expect(await stateOf(b.workspaceId)).toBe("READY");
    expect(await canConnect(b.org.id, b.workspaceId)).toBe(true);
    expect(await audits(b.workspaceId)).toEqual([]);

    // Meanwhile changes are refused READ_ONLY (destroy too: it is a write).
    const organizationId = a.org.id;
    const workspaceId = a.workspaceId;
    expect(
      await refusal(a.caller.workspace.update({ organizationId, workspaceId, size: "medium" })),
    ).toMatchObject({ code: "READ_ONLY", reason: "PAYMENT_OVERDUE" });
    expect(
      await refusal(a.caller.workspace.destroy({ organizationId, workspaceId })),
    ).toMatchObject({ code: "READ_ONLY", reason: "PAYMENT_OVERDUE" });
    // Reads still work and show the state.
    expect(await a.caller.workspace.get({ organizationId, workspaceId })).toMatchObject({
      state: "SUSPENDED",
      busy: false,
    });

    // Syncing again changes nothing.
    expect(await sync()).toEqual(nothing);
    expect(await audits(a.workspaceId)).toHaveLength(1);

    // Paid: active again → resumed, the same password connects.
    await db.system.subscription.update({
      where: { organizationId: a.org.id },
      data: { status: "ACTIVE", pastDueSince: null },
    });
    const resumed = await Promise.all([sync(), sync()]);
    expect(resumed.reduce((sum, outcome) => sum + outcome.resumed, 0)).toBe(1);
    expect(await stateOf(a.workspaceId)).toBe("READY");
    expect(await canConnect(a.org.id, a.workspaceId)).toBe(true);
    expect((await audits(a.workspaceId)).map((entry) => [entry.action, entry.changes])).toEqual([
      [
        "workspace.suspended",
        { state: { from: "READY", to: "SUSPENDED" }, readOnlyReason: { to: "PAYMENT_OVERDUE" } },
      ],
      ["workspace.resumed", { state: { from: "SUSPENDED", to: "READY" } }],
    ]);
    expect(await sync()).toEqual(nothing);
    expect(await audits(a.workspaceId)).toHaveLength(2);
    expect(await audits(b.workspaceId)).toEqual([]);
  });

  it("suspends for an inactive subscription too, and leaves a workspace a run holds alone", async () => {
    const c = await readyWorkspace("canceled");
    await db.system.subscription.update({
      where: { organizationId: c.org.id },
      data: { status: "CANCELED" },
    });
    // A run holds the workspace (an update in progress): not touched until it ends.
    const run = await db.system.hostingRun.findFirstOrThrow({
      where: { workspaceId: c.workspaceId },
    });
    await db.system.hostingWorkspace.update({
      where: { id: c.workspaceId },
      data: { activeRunId: run.id },
    });
    expect(await sync()).toEqual(nothing);
    await db.system.hostingWorkspace.update({
      where: { id: c.workspaceId },
      data: { activeRunId: null },
    });
    expect(await sync()).toMatchObject({ suspended: 1 });
    expect(await audits(c.workspaceId)).toMatchObject([
      { changes: { readOnlyReason: { to: "SUBSCRIPTION_INACTIVE" } } },
    ]);
    await expect(canConnect(c.org.id, c.workspaceId)).rejects.toThrow(/not permitted to log in/);
  });

  it("a FAILED workspace is suspended too, and resumes to FAILED (not resurrected as READY)", async () => {
    const f = await readyWorkspace("failed");
    const r = await readyWorkspace("ready-too");
    const organizationId = f.org.id;
    // Its update fails at apply: FAILED, yet its database still serves (the role logs in).
    const update = await f.caller.workspace.update({
      organizationId,
      workspaceId: f.workspaceId,
      size: "medium",
    });
    const local = localProvider(db);
    const failing: HostingProvider = {
      ...local,
      apply: () => Promise.reject(new Error("quota exceeded (simulated)")),
    };
    await runHosting(db, { runId: update.runId, organizationId }, failing);
    expect(await stateOf(f.workspaceId)).toBe("FAILED");
    expect(await canConnect(organizationId, f.workspaceId)).toBe(true);

    await db.system.subscription.update({
      where: { organizationId },
      data: { status: "CANCELED" },
    });
    expect(await sync()).toEqual({ ...nothing, suspended: 1 });
    expect(await stateOf(f.workspaceId)).toBe("SUSPENDED");
    await expect(canConnect(organizationId, f.workspaceId)).rejects.toThrow(
      /not permitted to log in/,
    );
    expect(await stateOf(r.workspaceId)).toBe("READY"); // another organization: untouched
    // Read-only: the tenant's retry is refused meanwhile (a write).
    expect(
      await refusal(f.caller.workspace.retry({ organizationId, workspaceId: f.workspaceId })),
    ).toMatchObject({ code: "READ_ONLY" });

    await db.system.subscription.update({
      where: { organizationId },
      data: { status: "ACTIVE" },
    });
    expect(await sync()).toEqual({ ...nothing, resumed: 1 });
    const after = await db.system.hostingWorkspace.findUniqueOrThrow({
      where: { id: f.workspaceId },
    });
    expect(after).toMatchObject({ state: "FAILED", suspendedFrom: null, failedStep: "apply" });
    expect(await canConnect(organizationId, f.workspaceId)).toBe(true);
    expect((await audits(f.workspaceId)).map((entry) => entry.changes)).toEqual([
      {
        state: { from: "FAILED", to: "SUSPENDED" },
        readOnlyReason: { to: "SUBSCRIPTION_INACTIVE" },
      },
      { state: { from: "SUSPENDED", to: "FAILED" } },
    ]);
    expect(await sync()).toEqual(nothing); // FAILED of a writable organization: left alone
  });

  it("the terraform provider refuses typed: its workspace stays READY, counted unsupported", async () => {
    await expect(
      terraform.suspend({ workspaceId: "x", organizationId: "y", log: () => Promise.resolve() }),
    ).rejects.toBeInstanceOf(ProviderUnsupportedError);
    const owner = await createUser(db, "owner-tf@access.test");
    const org = await createOrganization(db, owner, "Access tf");
    await setPlan(db, org.id, "enterprise");
    const workspace = await db.system.hostingWorkspace.create({
      data: {
        organizationId: org.id,
        name: "tf",
        app: "bahmni",
        version: "1.0.0",
        size: "small",
        region: "eu-central",
        provider: "terraform",
        state: "READY",
      },
    });
    await db.system.subscription.update({
      where: { organizationId: org.id },
      data: { status: "UNPAID" },
    });
    expect(await sync()).toEqual({ ...nothing, unsupported: 1 });
    expect(await stateOf(workspace.id)).toBe("READY");
    expect(await audits(workspace.id)).toEqual([]);
  });

  it("the cron job hosting.syncAccess runs the sync with the worker's providers", async () => {
    const d = await readyWorkspace("cron");
    await db.system.subscription.update({
      where: { organizationId: d.org.id },
      data: { status: "UNPAID" },
    });
    const job = worker.jobs.find((entry) => entry.definition.name === "hosting.syncAccess");
    await job!.prepare({ _cron: { ts: new Date().toISOString() } })({
      prisma: db.system,
      log: silentLogger,
      job: {
        id: "1",
        name: "hosting.syncAccess",
        attempt: 1,
        maxAttempts: 3,
        isFinalAttempt: false,
      },
      signal: new AbortController().signal,
      appUrl: "http://localhost:3000",
      ...workerServices,
    });
    expect(await stateOf(d.workspaceId)).toBe("SUSPENDED");
    await expect(canConnect(d.org.id, d.workspaceId)).rejects.toThrow(/not permitted to log in/);
  });
});
