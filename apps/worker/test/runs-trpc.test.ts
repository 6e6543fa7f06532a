// Run progress and cancellation end to end through tRPC: the run router (as a signed-in
// member, under RLS) starts a run, a real worker executes it, run.get shows it move, and
// run.cancel stops it at the handler's next checkpoint.
import { afterAll, beforeAll, expect, it } from "vitest";
import { systemAudit } from "@plinth/core/audit";
import { createOrganizationWithOwner } from "@plinth/platform";
import { activeProduct } from "@plinth/product";
import { appRouter } from "@plinth/product/trpc";
import { createCallerFactory, createContext } from "@plinth/trpc";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { startTestWorker, waitFor, type TestWorker } from "./helpers.ts";

let db: TestDatabase;
let worker: TestWorker;
let organizationId: string;
const product = activeProduct();
const createCaller = createCallerFactory(appRouter());
let api: ReturnType<typeof createCaller>;

beforeAll(async () => {
  db = await createTestDatabase();
  const user = await db.system.user.create({ data: { email: "runner@x.test", name: "Runner" } });
  const session = {
    id: user.id,
    email: user.email,
    name: user.name,
    platformRole: user.platformRole,
    status: user.status,
  };
  organizationId = (
    await createOrganizationWithOwner(db.app, product.catalog, systemAudit("test", "t"), {
      name: "Runs Co",
      ownerId: user.id,
      now: new Date(),
    })
  ).id;
  api = createCaller(createContext({ database: db, product, user: session }));
  worker = await startTestWorker(db, { concurrency: 2 });
});
afterAll(async () => {
  await worker.stop();
  await db.drop();
});

it("run.start → worker → run.get shows progress and ends SUCCEEDED", async () => {
  const run = await api.run.start({ organizationId, kind: "demo", steps: 3 });
  expect(run.status).toBe("QUEUED");
  const done = await waitFor(
    async () => {
      const current = await api.run.get({ organizationId, runId: run.id });
      return current.status === "SUCCEEDED" ? current : null;
    },
    { timeoutMs: 20_000 },
  );
  expect(done.progress).toBe(100);
  expect(done.logs.at(-1)?.message).toBe("Succeeded");
  expect((await api.run.list({ organizationId })).map((r) => r.id)).toContain(run.id);
});

it("run.cancel stops a running run at its next checkpoint", async () => {
  const run = await api.run.start({ organizationId, kind: "demo", steps: 50 });
  await waitFor(
    async () => (await api.run.get({ organizationId, runId: run.id })).status === "RUNNING",
    { timeoutMs: 20_000 },
  );
  const requested = await api.run.cancel({ organizationId, runId: run.id });
  expect(requested.cancelRequestedAt).toBeInstanceOf(Date);
  const canceled = await waitFor(
    async () => {
      const current = await api.run.get({ organizationId, runId: run.id });
      return current.status === "CANCELED" ? current : null;
    },
    { timeoutMs: 20_000 },
  );
  expect(canceled.progress).toBeLessThan(100);
});
