// Runs end to end: created through runs.ts in a tenant transaction (RLS-bound app role),
// executed by a real worker, progress and cancellation observed through getRun.
import { afterAll, beforeAll, expect, it } from "vitest";
import { tenantTransaction } from "@plinth/db";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { createRun, getRun, installJobSchema, requestCancel } from "@plinth/jobs";
import { startTestWorker, waitFor, type TestWorker } from "./helpers.ts";

let db: TestDatabase;
let worker: TestWorker;
let orgId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.url);
  orgId = (await db.system.organization.create({ data: { name: "R", slug: "runs" } })).id;
  worker = await startTestWorker(db, { concurrency: 2 });
});
afterAll(async () => {
  await worker.stop();
  await db.drop();
});

const inTenant = <T>(fn: Parameters<typeof tenantTransaction<T>>[2]) =>
  tenantTransaction(db.app, { organizationId: orgId }, fn);
const view = (runId: string) => inTenant((tx) => getRun(tx, runId));

it("moves a demo run QUEUED → RUNNING → SUCCEEDED with progress and log lines", async () => {
  const run = await inTenant((tx) =>
    createRun(tx, { organizationId: orgId, kind: "demo", input: { steps: 4, stepMs: 150 } }),
  );
  expect(run.status).toBe("QUEUED");
  const progressSeen = new Set<number>();
  const done = await waitFor(
    async () => {
      const current = await view(run.id);
      if (current?.status === "RUNNING") progressSeen.add(current.progress);
      return current?.status === "SUCCEEDED" ? current : null;
    },
    { intervalMs: 20 },
  );
  expect([...progressSeen].some((p) => p > 0 && p < 100)).toBe(true);
  expect(done).toMatchObject({ progress: 100, error: null, result: { steps: 4 } });
  expect(done.startedAt).toBeInstanceOf(Date);
  expect(done.finishedAt).toBeInstanceOf(Date);
  expect(done.logs.map((l) => l.message)).toEqual([
    "Starting 4 steps",
    "Step 1/4 done",
    "Step 2/4 done",
    "Step 3/4 done",
    "Step 4/4 done",
    "Succeeded",
  ]);
});

it("cancels a running run at its next checkpoint", async () => {
  const run = await inTenant((tx) =>
    createRun(tx, { organizationId: orgId, kind: "demo", input: { steps: 100, stepMs: 30 } }),
  );
  await waitFor(async () => ((await view(run.id))?.progress ?? 0) >= 3, { what: "progress" });
  const requested = await inTenant((tx) => requestCancel(tx, run.id));
  expect(requested).toMatchObject({ status: "RUNNING" });
  expect(requested?.cancelRequestedAt).toBeInstanceOf(Date);
  const canceled = await waitFor(async () => {
    const current = await view(run.id);
    return current?.status === "CANCELED" ? current : null;
  });
  expect(canceled.progress).toBeLessThan(100);
  expect(canceled.logs.at(-1)?.message).toBe("Canceled");
  expect(canceled.finishedAt).toBeInstanceOf(Date);
});

it("records a failing run as FAILED with its error, and an unknown kind too", async () => {
  const failing = await inTenant((tx) =>
    createRun(tx, {
      organizationId: orgId,
      kind: "demo",
      input: { steps: 3, stepMs: 10, failAtStep: 2 },
    }),
  );
  const unknown = await inTenant((tx) =>
    createRun(tx, { organizationId: orgId, kind: "nope", input: {} }),
  );
  const badInput = await inTenant((tx) =>
    createRun(tx, { organizationId: orgId, kind: "demo", input: { steps: "many" } }),
  );
  const failed = await waitFor(async () => {
    const runs = await Promise.all([failing, unknown, badInput].map((r) => view(r.id)));
    return runs.every((r) => r?.status === "FAILED") ? runs : null;
  });
  expect(failed[0]).toMatchObject({ error: "Step 2 failed (demo failure)", progress: 33 });
  expect(failed[0]?.logs.at(-1)).toMatchObject({
    level: "error",
    message: "Failed: Step 2 failed (demo failure)",
  });
  expect(failed[1]?.error).toBe('Unknown run kind "nope"');
  expect(failed[2]?.error).toMatch(/^Invalid input: steps: /);
});
