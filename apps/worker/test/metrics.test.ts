// The worker's /metrics (Prometheus text, on its own loopback port): finished jobs by task and
// outcome (success, retry, failure) with a duration histogram, and the queue's depth and
// running count read from graphile-worker's tables at scrape time; other paths 404.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { enqueueSystem, installJobSchema } from "@plinth/jobs";
import { registerJob } from "../src/handlers/index.ts";
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
  // The first test's failing job waits for its retry: each test starts with an empty queue.
  await db.system.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
});
afterAll(() => db.drop());

const scrape = async (port: number | null) => {
  const answer = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toContain("text/plain");
  return answer.text();
};
const value = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("worker /metrics", () => {
  it("counts jobs by task and outcome, with durations", async () => {
    worker = await startTestWorker(db, {
      metricsPort: 0,
      extraJobs: [
        registerJob(testJobs.count, () => Promise.resolve()),
        registerJob(testJobs.flaky, () => Promise.reject(new Error("always fails"))),
      ],
    });
    expect(worker.metricsPort).toBeGreaterThan(0);
    for (const marker of ["a", "b", "c"])
      await enqueueSystem(db.system, testJobs.count, { marker });
    await enqueueSystem(db.system, testJobs.flaky, { marker: "x" });
    const text = await waitFor(
      async () => {
        const current = await scrape(worker!.metricsPort);
        return value(current, 'worker_jobs_total{task="test.count",outcome="success"}') === 3 &&
          value(current, 'worker_jobs_total{task="test.flaky",outcome="retry"}') === 1
          ? current
          : null;
      },
      { what: "job counters" },
    );
    expect(
      value(text, 'worker_job_duration_seconds_count{task="test.count",outcome="success"}'),
    ).toBe(3);
    expect(
      value(
        text,
        'worker_job_duration_seconds_bucket{le="+Inf",task="test.flaky",outcome="retry"}',
      ),
    ).toBe(1);
    expect(value(text, "worker_queue_stats_up")).toBe(1);
    expect(text).toContain("process_cpu_seconds_total");
    expect((await fetch(`http://127.0.0.1:${worker.metricsPort}/other`)).status).toBe(404);
  });

  it("reports the queue: depth waiting, running", async () => {
    const release = deferred();
    worker = await startTestWorker(db, {
      metricsPort: 0,
      concurrency: 1,
      extraJobs: [registerJob(testJobs.slow, () => release.promise)],
    });
    for (const marker of ["1", "2", "3"]) await enqueueSystem(db.system, testJobs.slow, { marker });
    const text = await waitFor(
      async () => {
        const current = await scrape(worker!.metricsPort);
        return value(current, "worker_queue_running") === 1 ? current : null;
      },
      { what: "one running job" },
    );
    expect(value(text, "worker_queue_depth")).toBe(2);
    release.resolve();
    await waitFor(async () => (await queueRows(db.system)).length === 0, { what: "queue drained" });
    expect(value(await scrape(worker.metricsPort), "worker_queue_depth")).toBe(0);
  });
});
