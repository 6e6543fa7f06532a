// The worker end to end on real PostgreSQL: exactly-once execution of committed jobs,
// permanent failure of unknown/invalid jobs, retries with backoff, manual retry, graceful
// shutdown and /healthz.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@plinth/db";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { sendEmail } from "@plinth/email";
import { enqueue, enqueueSystem, installJobSchema, listFailedJobs, retryJob } from "@plinth/jobs";
import { registerJob } from "../src/handlers/index.ts";
import { healthReport, startHealthServer } from "../src/health.ts";
import { testJobs } from "./fixtures/jobs.ts";
import { deferred, queueRows, startTestWorker, waitFor, type TestWorker } from "./helpers.ts";

let db: TestDatabase;
let worker: TestWorker | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.url);
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await db.system.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
});
afterAll(() => db.drop());

describe("transactional enqueue with a real worker", () => {
  it("runs a committed job exactly once and never the rolled-back one", async () => {
    const calls: string[] = [];
    worker = await startTestWorker(db, {
      extraJobs: [
        registerJob(testJobs.count, ({ marker }) => {
          calls.push(marker);
          return Promise.resolve();
        }),
      ],
    });
    await expect(
      db.system.$transaction(async (tx) => {
        await enqueue(tx, testJobs.count, { marker: "rolled-back" });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    await db.system.$transaction((tx) => enqueue(tx, testJobs.count, { marker: "committed" }));

    await waitFor(async () => calls.length === 1 && (await queueRows(db.system)).length === 0, {
      what: "job done",
    });
    // Give a second (wrong) execution every chance to happen: another worker pass.
    await db.system.$transaction((tx) => enqueue(tx, testJobs.count, { marker: "sentinel" }));
    await waitFor(() => calls.includes("sentinel"), { what: "sentinel" });
    expect(calls).toEqual(["committed", "sentinel"]);
    const log = worker.logs.find(
      (entry) => entry.msg === "job succeeded" && entry.job === "test.count",
    );
    expect(log).toMatchObject({ level: "info", attempt: 1, maxAttempts: 3 });
    expect(typeof log?.jobId).toBe("string");
  });

  it("gives each job its own logger: job name, id and attempt bound, secrets redacted", async () => {
    worker = await startTestWorker(db, {
      extraJobs: [
        registerJob(testJobs.count, ({ marker }, ctx) => {
          ctx.log.info({ marker, token: "job-secret-token" }, "handler says hi");
          return Promise.resolve();
        }),
      ],
    });
    await enqueueSystem(db.system, testJobs.count, { marker: "logged" });
    const line = await waitFor(
      () => worker?.logs.find((entry) => entry.msg === "handler says hi"),
      { what: "the handler's log line" },
    );
    expect(line).toMatchObject({
      level: "info",
      job: "test.count",
      jobId: expect.any(String) as unknown,
      attempt: 1,
      marker: "logged",
      token: "[redacted]",
    });
    expect(JSON.stringify(worker.logs)).not.toContain("job-secret-token");
  });

  it("delivers an email enqueued by sendEmail through the dev mailbox", async () => {
    worker = await startTestWorker(db);
    const { id } = await sendEmail(db.system, {
      to: "o@example.com",
      subject: "Hi",
      html: "<p>Hi</p>",
      text: "Hi",
      template: "t",
    });
    const email = await waitFor(async () => {
      const row = await db.system.email.findUniqueOrThrow({ where: { id } });
      return row.status === "SENT" ? row : null;
    });
    expect(email).toMatchObject({ transport: "dev-mailbox", error: null });
  });
});

describe("jobs that can never succeed", () => {
  it("fails a bad payload and an unknown job name permanently, without reaching a handler", async () => {
    const handled: unknown[] = [];
    worker = await startTestWorker(db, {
      handlers: {
        "email.send": (payload) => {
          handled.push(payload);
          return Promise.resolve();
        },
      },
    });
    // Inserted directly, bypassing enqueue's validation (as a buggy or older producer would).
    await db.system
      .$queryRaw`SELECT graphile_worker.add_job('email.send', '{"emailId": 42}'::json)`;
    await db.system.$queryRaw`SELECT graphile_worker.add_job('no.such.job', '{}'::json)`;

    const failed = await waitFor(
      async () => {
        const list = await listFailedJobs(db.system);
        return list.length === 2 ? list : null;
      },
      { what: "two failed jobs" },
    );
    const bad = failed.find((job) => job.name === "email.send");
    const unknown = failed.find((job) => job.name === "no.such.job");
    expect(bad).toMatchObject({ attempts: 1, maxAttempts: 1 });
    expect(bad?.lastError).toMatch(/Invalid payload for job "email\.send": emailId: /);
    expect(unknown).toMatchObject({ attempts: 25, maxAttempts: 25 });
    expect(unknown?.lastError).toMatch(/no handler is registered for job "no\.such\.job"/);
    expect(handled).toEqual([]);
    expect(
      worker.logs.some(
        (entry) => entry.msg === "job failed permanently" && entry.job === "email.send",
      ),
    ).toBe(true);
  });
});

describe("retries", () => {
  it("retries with exponential backoff, keeps the permanent failure, and a manual retry runs it", async () => {
    let fail = true;
    const attempts: number[] = [];
    worker = await startTestWorker(db, {
      extraJobs: [
        registerJob(testJobs.flaky, (_payload, ctx) => {
          attempts.push(ctx.job.attempt);
          return fail
            ? Promise.reject(new Error(`flaky attempt ${ctx.job.attempt}`))
            : Promise.resolve();
        }),
      ],
    });
    const { id } = await enqueueSystem(db.system, testJobs.flaky, { marker: "f" });
    const row = async () => (await queueRows(db.system)).find((r) => String(r.id) === id);

    for (const attempt of [1, 2]) {
      const failedRow = await waitFor(
        async () => {
          const r = await row();
          return r && r.attempts === attempt && r.locked_at === null && r.last_error ? r : null;
        },
        { what: `attempt ${attempt} to fail` },
      );
      // graphile-worker's backoff: run_at moves exp(attempts) seconds into the future.
      const delaySeconds = (failedRow.run_at.getTime() - failedRow.now.getTime()) / 1000;
      expect(delaySeconds).toBeGreaterThan(Math.exp(attempt) - 1);
      expect(delaySeconds).toBeLessThanOrEqual(Math.exp(attempt) + 0.5);
      expect(failedRow.last_error).toBe(`flaky attempt ${attempt}`);
      // Skip the wait (keeps the test fast): make the retry due now.
      await db.system
        .$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE id = ${BigInt(id)}`;
    }

    const failed = await waitFor(
      async () => (await listFailedJobs(db.system)).find((job) => job.id === id),
      {
        what: "permanent failure",
      },
    );
    expect(failed).toMatchObject({
      name: "test.flaky",
      attempts: 3,
      maxAttempts: 3,
      lastError: "flaky attempt 3",
    });
    expect(attempts).toEqual([1, 2, 3]);

    fail = false;
    expect(await retryJob(db.system, id)).toBe(true);
    await waitFor(async () => !(await row()), { what: "retried job to complete" });
    expect(attempts).toEqual([1, 2, 3, 1]);
  });
});

describe("graceful shutdown", () => {
  it("finishes the in-flight job and takes no new ones", async () => {
    const started = deferred();
    const release = deferred();
    let finished = false;
    const calls: string[] = [];
    worker = await startTestWorker(db, {
      concurrency: 1,
      extraJobs: [
        registerJob(testJobs.slow, async ({ marker }) => {
          calls.push(marker);
          started.resolve();
          await release.promise;
          finished = true;
        }),
      ],
    });
    await enqueueSystem(db.system, testJobs.slow, { marker: "in-flight" });
    await started.promise;

    const stopping = worker.stop("test");
    await enqueueSystem(db.system, testJobs.slow, { marker: "after-stop" });
    // The stop waits for the running job.
    const early = await Promise.race([
      stopping.then(() => "stopped"),
      new Promise((r) => setTimeout(() => r("waiting"), 300)),
    ]);
    expect(early).toBe("waiting");
    release.resolve();
    await stopping;
    worker = undefined;

    expect(finished).toBe(true);
    expect(calls).toEqual(["in-flight"]);
    const rows = await queueRows(db.system);
    expect(rows.map((r) => (r.payload as { marker: string }).marker)).toEqual(["after-stop"]);
    expect(rows[0]?.attempts).toBe(0);
  });
});

describe("throughput settings", () => {
  it("with the local queue and batched completions every job runs once; a graceful stop hands back the jobs it held", async () => {
    const calls: string[] = [];
    worker = await startTestWorker(db, {
      concurrency: 2,
      localQueueSize: 4,
      completeJobBatchDelayMs: 20,
      extraJobs: [
        registerJob(testJobs.count, ({ marker }) => {
          calls.push(marker);
          return Promise.resolve();
        }),
      ],
    });
    // The core jobs of named queues lose their one-at-a-time guarantee (graphile-worker #621).
    const warning = worker.logs.find((entry) => entry.msg.startsWith("local queue on"));
    expect(warning).toMatchObject({ level: "warn", localQueueSize: 4 });
    expect(warning?.jobs).toEqual(expect.arrayContaining(["billing.reconcile"]));
    const markers = Array.from({ length: 10 }, (_, i) => `job-${i}`);
    for (const marker of markers) await enqueueSystem(db.system, testJobs.count, { marker });
    await waitFor(async () => calls.length >= 10 && (await queueRows(db.system)).length === 0, {
      what: "all jobs done",
    });
    expect([...calls].sort()).toEqual([...markers].sort());
    await worker.stop();

    // One slot, four jobs: the first runs, the local queue holds (locks) the others; stopping
    // returns them unlocked and unattempted, for any worker to take.
    const started = deferred();
    const release = deferred();
    worker = await startTestWorker(db, {
      concurrency: 1,
      localQueueSize: 4,
      extraJobs: [
        registerJob(testJobs.slow, async () => {
          started.resolve();
          await release.promise;
        }),
      ],
    });
    for (const marker of ["a", "b", "c", "d"])
      await enqueueSystem(db.system, testJobs.slow, { marker });
    await started.promise;
    await waitFor(
      async () =>
        (await queueRows(db.system, "test.slow")).filter((row) => row.locked_at !== null).length ===
        4,
      { what: "the waiting jobs locked in the local queue" },
    );
    const stopping = worker.stop("test");
    release.resolve();
    await stopping;
    worker = undefined;
    const left = await queueRows(db.system, "test.slow");
    expect(left).toHaveLength(3);
    for (const row of left) expect(row).toMatchObject({ locked_at: null, attempts: 0 });
  });
});

describe("/healthz", () => {
  it("reports database, queue depth and oldest waiting job age", async () => {
    // A job this worker has no handler for (e.g. added by newer code during a rolling deploy),
    // due 90 s ago: it waits, so it counts in the depth and the age. The long grace period
    // keeps the unknown-job sweeper from failing it.
    worker = await startTestWorker(db, { healthPort: 0, unknownJobGraceMs: 3_600_000 });
    await db.system
      .$queryRaw`SELECT graphile_worker.add_job('future.job', '{}'::json, run_at => now() - interval '90 seconds')`;
    const res = await fetch(`http://127.0.0.1:${worker.healthPort}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      database: string;
      queue: { depth: number; oldestWaitingSeconds: number };
    };
    expect(body.database).toBe("reachable");
    expect(body.queue.depth).toBe(1);
    expect(body.queue.oldestWaitingSeconds).toBeGreaterThanOrEqual(89);
  });

  it("answers 503 when the database is unreachable", async () => {
    const unreachable = createPrismaClient("postgresql://nobody:x@127.0.0.1:1/none", {
      role: "system",
    });
    const server = await startHealthServer(0, () =>
      healthReport(unreachable, { running: true, concurrency: 1 }),
    );
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "unavailable", database: "unreachable" });
    } finally {
      await server.close();
      await unreachable.$disconnect();
    }
  });
});
