// Transactional enqueue against real PostgreSQL: validation, atomicity with the caller's
// transaction, the RLS-bound app role, and the operator helpers. (Execution by a real worker
// is covered in apps/worker/test.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { tenantTransaction } from "@plinth/db";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import {
  InvalidJobPayloadError,
  addJobCall,
  createRun,
  defineJob,
  enqueueSystem,
  getRun,
  installJobSchema,
  jobs,
  listFailedJobs,
  queueStats,
  requestCancel,
  retryJob,
} from "../src/index.ts";

let db: TestDatabase;
let orgA: string;
let orgB: string;

interface JobRow {
  id: bigint;
  task_identifier: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  run_at: Date;
}

const jobRows = () =>
  db.system.$queryRaw<JobRow[]>`
    SELECT j.id, t.identifier AS task_identifier, j.payload, j.attempts, j.max_attempts, j.last_error, j.run_at
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    ORDER BY j.id`;

beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.url);
  const [a, b] = await Promise.all([
    db.system.organization.create({ data: { name: "A", slug: "a" } }),
    db.system.organization.create({ data: { name: "B", slug: "b" } }),
  ]);
  orgA = a.id;
  orgB = b.id;
});
afterAll(() => db.drop());

describe("defineJob / enqueue", () => {
  it("refuses an invalid payload with an error naming the job and the issues", async () => {
    const before = (await jobRows()).length;
    const error = await enqueueSystem(db.system, jobs.emailSend, { emailId: 42 } as never).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidJobPayloadError);
    expect((error as InvalidJobPayloadError).jobName).toBe("email.send");
    expect((error as InvalidJobPayloadError).message).toMatch(
      /Invalid payload for job "email\.send": emailId: /,
    );
    expect((error as InvalidJobPayloadError).issues[0]?.path).toEqual(["emailId"]);
    expect((await jobRows()).length).toBe(before);
  });

  it("rejects malformed job names at definition time", () => {
    expect(() => defineJob({ name: "Bad Name", payload: z.object({}) })).toThrow(
      /Invalid job name/,
    );
  });

  it("passes options through to graphile-worker and stores the parsed payload", async () => {
    const job = defineJob({
      name: "test.options",
      payload: z.object({ n: z.number(), tag: z.string().default("x") }),
      maxAttempts: 7,
      priority: 3,
      queue: "serial",
      jobKey: (p) => `opt:${p.n}`,
    });
    const runAt = new Date(Date.now() + 60_000);
    const { id } = await enqueueSystem(db.system, job, { n: 1 }, { runAt });
    const [row] = await db.system.$queryRaw<
      {
        payload: unknown;
        max_attempts: number;
        priority: number;
        key: string;
        queue_name: string;
        run_at: Date;
      }[]
    >`SELECT j.payload, j.max_attempts, j.priority, j.key, q.queue_name, j.run_at
      FROM graphile_worker._private_jobs j JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
      WHERE j.id = ${BigInt(id)}`;
    expect(row).toMatchObject({
      payload: { n: 1, tag: "x" },
      max_attempts: 7,
      priority: 3,
      key: "opt:1",
      queue_name: "serial",
    });
    expect(row?.run_at.getTime()).toBe(runAt.getTime());
  });

  it("addJobCall validates before any SQL and embeds in a larger statement (a job per inserted row only)", async () => {
    expect(() => addJobCall(jobs.emailSend, { emailId: 42 } as never)).toThrow(
      InvalidJobPayloadError,
    );
    const before = (await jobRows()).length;
    const scheduled = (emailId: string) => db.system.$queryRaw<{ id: bigint }[]>`
      WITH fresh AS (SELECT ${emailId}::text AS id WHERE ${emailId}::text <> 'skip')
      SELECT (${addJobCall(jobs.emailSend, { emailId })}).id AS id FROM fresh`;
    expect(await scheduled("skip")).toEqual([]);
    const [row] = await scheduled("e-embedded");
    const after = await jobRows();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({
      id: row?.id,
      task_identifier: "email.send",
      payload: { emailId: "e-embedded" },
    });
  });

  it("a rolled-back transaction leaves neither the row nor the job", async () => {
    const before = (await jobRows()).length;
    await expect(
      tenantTransaction(db.app, { organizationId: orgA }, async (tx) => {
        await createRun(tx, { organizationId: orgA, kind: "demo", input: { steps: 1 } });
        throw new Error("boom after enqueue");
      }),
    ).rejects.toThrow("boom after enqueue");
    expect(await db.system.run.count()).toBe(0);
    expect((await jobRows()).length).toBe(before);
  });

  it("a committed transaction (as the RLS-bound app role) stores the row and exactly one job", async () => {
    const before = await jobRows();
    const run = await tenantTransaction(db.app, { organizationId: orgA }, (tx) =>
      createRun(tx, { organizationId: orgA, kind: "demo", input: { steps: 2 } }),
    );
    const after = await jobRows();
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)).toMatchObject({
      task_identifier: "run.execute",
      payload: { runId: run.id, organizationId: orgA },
      max_attempts: 5,
    });
  });

  it("the app role can enqueue but cannot read or change the queue", async () => {
    await expect(
      tenantTransaction(
        db.app,
        { organizationId: orgA },
        (tx) => tx.$queryRaw`SELECT * FROM graphile_worker._private_jobs`,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      tenantTransaction(
        db.app,
        { organizationId: orgA },
        (tx) => tx.$queryRaw`SELECT graphile_worker.complete_jobs(ARRAY[1::bigint])`,
      ),
    ).rejects.toThrow(/permission denied/);
  });
});

describe("operator helpers", () => {
  it("lists permanently failed jobs and retries one", async () => {
    const { id } = await enqueueSystem(db.system, jobs.emailSend, { emailId: "e1" });
    await db.system
      .$queryRaw`SELECT graphile_worker.permanently_fail_jobs(ARRAY[${BigInt(id)}::bigint], 'SMTP down')`;
    const failed = await listFailedJobs(db.system);
    expect(failed.find((job) => job.id === id)).toMatchObject({
      name: "email.send",
      lastError: "SMTP down",
      attempts: 10,
    });
    expect((await queueStats(db.system)).failed).toBeGreaterThanOrEqual(1);

    expect(await retryJob(db.system, id)).toBe(true);
    expect((await listFailedJobs(db.system)).some((job) => job.id === id)).toBe(false);
    const row = (await jobRows()).find((job) => String(job.id) === id);
    expect(row?.attempts).toBe(0);
    expect(await retryJob(db.system, "999999")).toBe(false);
  });
});

describe("runs", () => {
  it("cancels a queued run at once, hides runs of other tenants, returns logs", async () => {
    const run = await tenantTransaction(db.app, { organizationId: orgA }, (tx) =>
      createRun(tx, { organizationId: orgA, kind: "demo", input: {} }),
    );
    expect(
      await tenantTransaction(db.app, { organizationId: orgB }, (tx) => getRun(tx, run.id)),
    ).toBeNull();
    expect(
      await tenantTransaction(db.app, { organizationId: orgB }, (tx) => requestCancel(tx, run.id)),
    ).toBeNull();

    const canceled = await tenantTransaction(db.app, { organizationId: orgA }, (tx) =>
      requestCancel(tx, run.id),
    );
    expect(canceled).toMatchObject({ status: "CANCELED" });
    expect(canceled?.finishedAt).toBeInstanceOf(Date);

    await db.system.runLog.createMany({
      data: [1, 2, 3].map((i) => ({ runId: run.id, organizationId: orgA, message: `line ${i}` })),
    });
    const view = await tenantTransaction(db.app, { organizationId: orgA }, (tx) =>
      getRun(tx, run.id, { logLimit: 2 }),
    );
    expect(view?.logs.map((log) => log.message)).toEqual(["line 2", "line 3"]);
  });

  it("refuses a malformed run kind", async () => {
    await expect(
      tenantTransaction(db.app, { organizationId: orgA }, (tx) =>
        createRun(tx, { organizationId: orgA, kind: "Not A Kind" }),
      ),
    ).rejects.toThrow(/kind/);
  });
});
