// Managed hosting through the real path, on the local provider: POST /api/v1/workspaces on the
// gateway (key, rate limit, the service: workspace + run + job in one transaction) →
// graphile-worker (the real runner, the run engine, the hosting-provision run kind) → the local
// provider creating a real database and role on the same PostgreSQL server → READY.
//   1. POST → ready, sequential, BENCH_SAMPLES (default 20): p50/p95 (target p50 < 2 s).
//   2. BENCH_ORGS (10) × BENCH_PER_ORG (10) = 100 requests at once: all reach READY, none
//      provisioned twice (one run and one apply attempt per workspace, one database each).
//   Then every workspace is destroyed and the server is checked to hold none of them.
//   pnpm tsx scripts/hosting-bench.ts       (DATABASE_URL optional: embedded PostgreSQL)
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { insertApiKey } from "@plinth/api-keys";
import { systemAudit } from "@plinth/core/audit";
import { createLogger } from "@plinth/core/logger";
import { createDatabase, systemClient } from "@plinth/db";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import { installJobSchema } from "@plinth/jobs";
import { createOrganizationWithOwner } from "@plinth/platform";
import { productRuntime } from "@plinth/product";
import { productRoutes } from "@plinth/product/http";
import { generateKeyEntry } from "@plinth/vault";
import { createGatewayRuntime } from "../apps/gateway/src/runtime.ts";
import { startWorker } from "../apps/worker/src/worker.ts";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const ORGS = Number(process.env.BENCH_ORGS ?? 10);
const PER_ORG = Number(process.env.BENCH_PER_ORG ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const POSTERS = Number(process.env.BENCH_POSTERS ?? 10);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const f = (n: number) => n.toFixed(0);

const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-hosting-"));
const pg = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir, persistent: false });
const url = process.env.DATABASE_URL ?? pg!.urlFor("bench_hosting");
if (pg) await ensureDatabase(pg.serverUrl, "bench_hosting");
// The local provider's server: the tenant database's own.
process.env.HOSTING_LOCAL_DATABASE_URL = url;
// Workspaces' passwords go to the vault.
process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);
await migrate(url);
await installJobSchema(url);
const db = createDatabase(url, { poolMax: 20 });
const system = systemClient(db, "bench: fixtures and progress reads");
const product = productRuntime("managed-hosting");

async function organizationWithKey(i: number) {
  const owner = await system.user.create({
    data: {
      email: `bench-${i}-${Date.now()}@example.test`,
      name: `Bench ${i}`,
      emailVerified: new Date(),
    },
  });
  const organization = await createOrganizationWithOwner(
    db.app,
    product.catalog,
    systemAudit("bench"),
    {
      name: `Bench hosting ${i}`,
      ownerId: owner.id,
      now: new Date(),
    },
  );
  await system.subscription.update({
    where: { organizationId: organization.id },
    data: { planKey: "enterprise", status: "ACTIVE" },
  });
  const { key } = await insertApiKey(system, {
    organizationId: organization.id,
    name: "bench",
    scopes: ["workspaces:read", "workspaces:write"],
    rateLimit: { requests: 1_000_000, windowSeconds: 60 },
  });
  return { organizationId: organization.id, key };
}

const silent = createLogger({ level: "warn" });
const gateway = await createGatewayRuntime({
  database: db,
  databaseUrl: url,
  product,
  routes: productRoutes(product),
  logger: silent,
  ipRateLimit: 10_000_000,
  flushIntervalMs: 200,
});
const worker = await startWorker({
  databaseUrl: url,
  concurrency: CONCURRENCY,
  cron: null,
  product,
  logger: silent,
  pollIntervalMs: 50,
});

async function call(key: string, method: string, route: string, body?: unknown) {
  const response = await gateway.app.request(`/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function request(key: string, name: string) {
  const answer = await call(key, "POST", "/workspaces", {
    name,
    app: "erpnext",
    version: "15.0",
    size: "small",
    region: "eu-central",
  });
  if (answer.status !== 202)
    throw new Error(`POST answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return (answer.body.workspace as { id: string }).id;
}

async function waitFor(key: string, id: string, states: string[]) {
  for (;;) {
    const answer = await call(key, "GET", `/workspaces/${id}`);
    const state = String(answer.body.state);
    if (states.includes(state)) return state;
    if (state === "FAILED") throw new Error(`workspace ${id} failed: ${String(answer.body.error)}`);
    await sleep(5);
  }
}

async function databasesOnServer() {
  const rows = await system.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM pg_database WHERE datname LIKE 'ws\\_%'`;
  return Number(rows[0]?.n ?? 0);
}

try {
  // ─── 1. POST → ready, sequential ───────────────────────────────────────────────────────
  const solo = await organizationWithKey(0);
  const samples: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    const id = await request(solo.key, `solo-${i}`);
    await waitFor(solo.key, id, ["READY"]);
    samples.push(performance.now() - started);
    ids.push(id);
  }
  samples.sort((a, b) => a - b);
  console.log(
    [
      `Hosting bench (local provider, worker concurrency ${CONCURRENCY}, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)})`,
      `POST /api/v1/workspaces → READY: p50 ${f(percentile(samples, 50))} ms, p95 ${f(percentile(samples, 95))} ms, max ${f(samples.at(-1) ?? NaN)} ms (${SAMPLES} sequential)`,
    ].join("\n"),
  );

  // ─── 2. 100 at once across 10 organizations ────────────────────────────────────────────
  const orgs = await Promise.all(
    Array.from({ length: ORGS }, (_, i) => organizationWithKey(i + 1)),
  );
  const burstStarted = performance.now();
  // All 100 are requested before the first is ready; POSTERS in flight at once (each POST is
  // one transaction: more only queue for the gateway's pool, and past Prisma's maxWait fail).
  const queue = orgs.flatMap((org) => Array.from({ length: PER_ORG }, (_, j) => ({ org, j })));
  const burst: { org: (typeof orgs)[number]; id: string }[] = [];
  await Promise.all(
    Array.from({ length: POSTERS }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        burst.push({ org: next.org, id: await request(next.org.key, `burst-${next.j}`) });
      }
    }),
  );
  const accepted = performance.now();
  // Watched from the database (100 API pollers would compete with the runs for the pool).
  const burstIds = burst.map((entry) => entry.id);
  const settled = async () => {
    for (;;) {
      const failed = await system.hostingWorkspace.count({
        where: { id: { in: burstIds }, state: "FAILED" },
      });
      if (failed) throw new Error(`${failed} workspaces failed`);
      const ready = await system.hostingWorkspace.count({
        where: { id: { in: burstIds }, state: "READY" },
      });
      if (ready === burstIds.length) return ready;
      await sleep(20);
    }
  };
  const readyCount = await settled();
  const allReady = performance.now();
  const runs = await system.hostingRun.groupBy({
    by: ["workspaceId"],
    where: { workspaceId: { in: burstIds } },
    _count: { _all: true },
  });
  const applies = await system.hostingRunStep.findMany({
    where: { name: "apply", hostingRun: { workspaceId: { in: burstIds } } },
    select: { attempts: true },
  });
  const twice =
    runs.filter((run) => run._count._all !== 1).length +
    applies.filter((step) => step.attempts !== 1).length +
    (applies.length === burstIds.length ? 0 : 1);
  console.log(
    [
      `${burst.length} requests at once across ${ORGS} organizations: all 202 in ${f(accepted - burstStarted)} ms (${POSTERS} POSTs in flight); ${readyCount}/${burst.length} READY after ${f(allReady - burstStarted)} ms (${(burst.length / ((allReady - burstStarted) / 1000)).toFixed(1)} workspaces/s)`,
      `provisioned twice: ${twice} (runs per workspace: ${[...new Set(runs.map((run) => run._count._all))].join(",")}; apply attempts: ${[...new Set(applies.map((step) => step.attempts))].join(",")}); databases on the server: ${await databasesOnServer()}`,
    ].join("\n"),
  );

  // ─── Teardown through the API: every workspace destroyed, no database left ───────────
  const destroyStarted = performance.now();
  const everyone = [...ids.map((id) => ({ org: solo, id })), ...burst];
  const toDestroy = [...everyone];
  await Promise.all(
    Array.from({ length: POSTERS }, async () => {
      for (let next = toDestroy.shift(); next; next = toDestroy.shift()) {
        const answer = await call(next.org.key, "DELETE", `/workspaces/${next.id}`);
        if (answer.status !== 202) throw new Error(`DELETE answered ${answer.status}`);
      }
    }),
  );
  const allIds = everyone.map((entry) => entry.id);
  while (
    (await system.hostingWorkspace.count({ where: { id: { in: allIds }, state: "DESTROYED" } })) <
    allIds.length
  ) {
    await sleep(20);
  }
  console.log(
    `${everyone.length} destroyed in ${f(performance.now() - destroyStarted)} ms; databases left on the server: ${await databasesOnServer()}`,
  );
} finally {
  await worker.stop();
  await gateway.close();
  await db.disconnect();
  await pg?.stop();
  await rm(dataDir, { recursive: true, force: true });
}
