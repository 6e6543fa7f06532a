// The real entry point as a process: env parsing, /healthz, /metrics on loopback, JSON logs,
// SIGTERM → exit 0.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { parseWorkerEnv } from "../src/env.ts";
import { waitFor } from "./helpers.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

it("validates its environment", () => {
  expect(() => parseWorkerEnv({})).toThrow(/DATABASE_URL/);
  expect(parseWorkerEnv({ DATABASE_URL: "postgresql://x/y" })).toMatchObject({
    WORKER_CONCURRENCY: 5,
    WORKER_HEALTH_PORT: 3001,
    WORKER_METRICS_PORT: 9464,
    WORKER_METRICS_HOST: "127.0.0.1",
    WORKER_SHUTDOWN_TIMEOUT_MS: 30_000,
  });
  expect(() =>
    parseWorkerEnv({ DATABASE_URL: "postgresql://x/y", WORKER_CONCURRENCY: "0" }),
  ).toThrow(/WORKER_CONCURRENCY/);
});

it("serves /healthz, logs JSON and exits 0 on SIGTERM", async () => {
  const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      // A free port, chosen by the OS; the "worker started" line says which.
      WORKER_HEALTH_PORT: "0",
      WORKER_METRICS_PORT: "0",
      WORKER_CONCURRENCY: "2",
      SMTP_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    const started = await waitFor(
      () =>
        stdout
          .split("\n")
          .filter((line) => line.includes('"msg":"worker started"'))
          .map((line) => JSON.parse(line) as { healthPort: number; metricsPort: number })[0],
      { timeoutMs: 15_000, what: "worker start" },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nstdout: ${stdout}\nstderr: ${stderr}`);
    });
    const res = await fetch(`http://127.0.0.1:${started.healthPort}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      database: "reachable",
      queue: { depth: 0, oldestWaitingSeconds: 0 },
    });
    const metrics = await fetch(`http://127.0.0.1:${started.metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("worker_queue_depth 0");
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { msg: string; level: string });
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(["worker started", "worker stopping", "worker stopped"]),
    );
  } finally {
    child.kill("SIGKILL");
  }
});
