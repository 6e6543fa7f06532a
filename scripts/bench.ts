// `npm run bench`: latency of project.list over HTTP on the built web app (apps/web/server.ts
// in production mode), for a signed-in user, with the full stack (Next, session, membership,
// entitlements, RLS, tRPC), and of the same query bare: served by this harness's own tiny
// node:http server through the same Prisma client setup (createDatabase: adapter-pg, same
// pool settings), answering the same superjson body — so the app carries no benchmark route.
// Prints p50/p99 in ms. Then sign-up latency for a new vs an already registered address (the
// answers must not tell them apart, timing included). Then signed Stripe webhook deliveries accepted per second by
// POST /api/webhooks/stripe over HTTP (inbox write + job). Last, the main pages' first-load
// JavaScript and LCP in Chromium (scripts/page-weight.ts, also runnable alone). Other
// benchmarks: `pnpm --filter @plinth/worker bench`, `pnpm --filter @plinth/billing bench`.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createDatabase, systemClient } from "@plinth/db";
import { startEmbeddedPostgres, ensureDatabase } from "@plinth/db/embedded";
import { REPO_ROOT } from "@plinth/db/local-database";
import { migrate } from "@plinth/db/migrate";
import { installJobSchema } from "@plinth/jobs";
import Stripe from "stripe";
import superjson from "superjson";
import { demoAccounts, seed } from "../prisma/seed.ts";
import { pageWeightSection } from "./page-weight.ts";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const WEBHOOK_DELIVERIES = Number(process.env.BENCH_WEBHOOKS ?? 3000);
const WEBHOOK_CONCURRENCY = 16;
/** Deliveries sent first and not counted: the route's module loads and JIT-compiles on first use. */
const WEBHOOK_WARMUP = 300;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString("hex")}`;
const WARMUP = 200;
const SIGN_UP_PAIRS = Number(process.env.BENCH_SIGN_UPS ?? 40);
const PORT = 3100;

const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-pg-"));
const server = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir, persistent: false });
const databaseUrl = process.env.DATABASE_URL ?? server!.urlFor("plinth_bench");
if (server) await ensureDatabase(server.serverUrl, "plinth_bench");
await migrate(databaseUrl);
await installJobSchema(databaseUrl);
await seed(databaseUrl);

// A database session for the Pro demo owner: the cookie NextAuth would set after sign-in.
const database = createDatabase(databaseUrl);
const db = { system: systemClient(database, "bench: fixtures") };
const proOwner = demoAccounts().find((account) => account.planKey === "pro");
if (!proOwner) throw new Error("the bench needs the demo's Pro organization (PLINTH_PRODUCT=all)");
const owner = await db.system.user.findUniqueOrThrow({
  where: { email: proOwner.email },
  include: { memberships: true },
});
const organizationId = owner.memberships[0]!.organizationId;
const customerId = `cus_bench_${randomBytes(4).toString("hex")}`;
await db.system.organization.update({
  where: { id: organizationId },
  data: { stripeCustomerId: customerId },
});
const sessionToken = randomBytes(32).toString("hex");
await db.system.session.create({
  data: { sessionToken, userId: owner.id, expires: new Date(Date.now() + 86_400_000) },
});
await database.disconnect();

// Always build: a stale .next would measure yesterday's code. BENCH_SKIP_BUILD=1 reuses it.
if (
  process.env.BENCH_SKIP_BUILD !== "1" ||
  !existsSync(path.join(REPO_ROOT, "apps/web/.next/BUILD_ID"))
) {
  await run("pnpm", ["--filter", "@plinth/web", "build"]);
}
// What `pnpm --filter @plinth/web start` runs, started directly: pnpm would not pass SIGTERM on
// to it.
const webDir = path.join(REPO_ROOT, "apps/web");
const web = spawn(process.execPath, ["server.mjs"], {
  cwd: webDir,
  env: {
    ...process.env,
    PORT: String(PORT),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: "bench-secret",
    AUTH_URL: `http://localhost:${PORT}`,
    AUTH_TRUST_HOST: "true",
    // The harness plays a trusted proxy, so each sign-up can come from its own client IP
    // (X-Forwarded-For) instead of all of them hitting the per-IP sign-up limit.
    TRUSTED_PROXIES: "127.0.0.1",
    NODE_ENV: "production",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  },
  stdio: ["ignore", "ignore", "inherit"],
});
const bare = await startBareServer(databaseUrl);

try {
  await waitFor(`http://localhost:${PORT}/api/health`);
  const cookie = `authjs.session-token=${sessionToken}`;
  const input = encodeURIComponent(
    JSON.stringify(superjson.serialize({ organizationId, status: "ACTIVE" })),
  );
  const full = `http://localhost:${PORT}/api/trpc/project.list?input=${input}`;
  const bareUrl = `${bare.url}/project-list?organizationId=${organizationId}`;
  const check = await fetch(full, { headers: { cookie } });
  if (!check.ok) throw new Error(`project.list answered ${check.status}: ${await check.text()}`);
  // Interleaved (full, bare, full, bare, …) so background load on the machine hits both alike.
  const [fullStats, bareStats] = await measurePair([full, bareUrl], cookie);
  const rows = [
    ["project.list (session + membership + entitlements + RLS)", fullStats],
    ["same query, bare (harness node:http + same Prisma setup)", bareStats],
  ] as const;
  console.log(
    `\nproject.list over HTTP, ${REQUESTS} interleaved request pairs after ${WARMUP} warm-up, apps/web/server.ts (production), ${os.cpus().length} cores`,
  );
  console.log(
    "variant".padEnd(60),
    "p50 ms".padStart(8),
    "p99 ms".padStart(8),
    "mean ms".padStart(8),
  );
  for (const [name, stats] of rows) {
    console.log(
      name.padEnd(60),
      stats.p50.toFixed(2).padStart(8),
      stats.p99.toFixed(2).padStart(8),
      stats.mean.toFixed(2).padStart(8),
    );
  }
  console.log(
    `stack overhead at p50: ${(rows[0][1].p50 - rows[1][1].p50).toFixed(2)} ms (target ≤ 2 ms)`,
  );

  const signUps = await measureSignUps(`http://127.0.0.1:${PORT}`, owner.email);
  console.log(
    `\naccount.signUp over HTTP, ${SIGN_UP_PAIRS} interleaved pairs (argon2id hash in both): ` +
      `new address p50 ${signUps.fresh.p50.toFixed(1)} ms / p99 ${signUps.fresh.p99.toFixed(1)}; ` +
      `registered address p50 ${signUps.registered.p50.toFixed(1)} ms / p99 ${signUps.registered.p99.toFixed(1)}; ` +
      `same status and body: ${signUps.sameAnswer}`,
  );

  const webhooks = await measureWebhooks(`http://localhost:${PORT}/api/webhooks/stripe`);
  console.log(
    `\nPOST /api/webhooks/stripe over HTTP: ${WEBHOOK_DELIVERIES} signed deliveries (10% redeliveries), ${WEBHOOK_CONCURRENCY} in flight: ` +
      `${webhooks.perSecond.toFixed(0)} accepted/s (target ≥ 500/s; after ${WEBHOOK_WARMUP} warm-up deliveries); statuses ${JSON.stringify(webhooks.statuses)}` +
      (webhooks.serverCpuMs !== null
        ? `; web server CPU ${webhooks.serverCpuMs.toFixed(2)} ms per delivery`
        : ""),
  );

  await pageWeightSection(`http://localhost:${PORT}`, databaseUrl);
} finally {
  web.kill("SIGTERM");
  await bare.stop();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
}

/** Sign-ups for fresh addresses and for a registered one, interleaved, each from its own IP. */
async function measureSignUps(baseUrl: string, registeredEmail: string) {
  const samples: { fresh: number[]; registered: number[] } = { fresh: [], registered: [] };
  const answers = new Set<string>();
  const warmup = 5;
  for (let i = 0; i < warmup + SIGN_UP_PAIRS; i++) {
    for (const kind of ["fresh", "registered"] as const) {
      const email =
        kind === "fresh"
          ? `bench-${i}-${randomBytes(3).toString("hex")}@example.com`
          : registeredEmail;
      const started = performance.now();
      const response = await fetch(`${baseUrl}/api/trpc/account.signUp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "sec-fetch-site": "same-origin",
          "x-forwarded-for": `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
        },
        body: JSON.stringify({ json: { name: "Bench", email, password: "bench password 1234" } }),
      });
      const body = await response.text();
      if (i >= warmup) samples[kind].push(performance.now() - started);
      answers.add(`${response.status} ${body}`);
    }
  }
  if (answers.size !== 1) throw new Error(`sign-up answers differ: ${[...answers].join(" | ")}`);
  return { fresh: stats(samples.fresh), registered: stats(samples.registered), sameAnswer: true };
}

/**
 * The baseline: project.list's query (the same where, order and select as
 * modules/projects/src/service.ts) on the system client of a createDatabase() — no session, no
 * tenancy, no Next — answered over HTTP in tRPC's superjson envelope.
 */
async function startBareServer(url: string) {
  const bareDatabase = createDatabase(url);
  const bare = systemClient(bareDatabase, "bench: the bare baseline query");
  const server = createServer((request, response) => {
    const organizationId =
      new URL(request.url ?? "/", "http://bench.invalid").searchParams.get("organizationId") ?? "";
    bare.project
      .findMany({
        where: { organizationId, status: "ACTIVE" },
        orderBy: { createdAt: "desc" },
        select: { id: true, name: true, status: true, createdAt: true, archivedAt: true },
      })
      .then(
        (projects) => {
          response
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ result: { data: superjson.serialize(projects) } }));
        },
        (error: unknown) => {
          response.writeHead(500).end(String(error));
        },
      );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bareDatabase.disconnect();
    },
  };
}

/** Signed Stripe deliveries (pre-signed: signing is Stripe's cost), each stored once in the inbox with its job. */
async function measureWebhooks(url: string) {
  await sendWebhooks(url, signedDeliveries(WEBHOOK_WARMUP, "warmup"));
  const deliveries = signedDeliveries(WEBHOOK_DELIVERIES, "bench");
  const cpuBefore = processTreeCpuMs(web.pid);
  const started = performance.now();
  const statuses = await sendWebhooks(url, deliveries);
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = processTreeCpuMs(web.pid);
  const serverCpuMs =
    cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / deliveries.length : null;
  return { perSecond: deliveries.length / seconds, serverCpuMs, statuses };
}

/**
 * CPU time (user + system, ms) used so far by a process and its descendants (Linux /proc; null
 * elsewhere). Throughput on a shared 2-core machine moves with the neighbours' load; the web
 * server's CPU per request does not, so the bench prints both.
 */
function processTreeCpuMs(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    let ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (clock ticks of 10 ms)
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, "utf8")
        .split(" ")
        .filter(Boolean)) {
        ticks += (processTreeCpuMs(Number(child)) ?? 0) / 10;
      }
    }
    return ticks * 10;
  } catch {
    return null;
  }
}

function signedDeliveries(count: number, tag: string) {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const previous = bodies[i - 1];
    if (previous && i % 10 === 0) {
      bodies.push(previous); // a redelivery: 200, not stored or processed again
      continue;
    }
    bodies.push(
      JSON.stringify({
        id: `evt_${tag}_${i}_${randomBytes(4).toString("hex")}`,
        object: "event",
        api_version: Stripe.API_VERSION,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: "customer.subscription.updated",
        data: {
          object: {
            id: "sub_bench",
            object: "subscription",
            customer: customerId,
            status: "active",
            metadata: {},
          },
        },
      }),
    );
  }
  return bodies.map((body) => ({
    body,
    signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET }),
  }));
}

async function sendWebhooks(url: string, deliveries: { body: string; signature: string }[]) {
  const statuses: Record<number, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: WEBHOOK_CONCURRENCY }, async () => {
      for (let i = next++; i < deliveries.length; i = next++) {
        const delivery = deliveries[i]!;
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "stripe-signature": delivery.signature },
          body: delivery.body,
        });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    }),
  );
  if (Object.keys(statuses).some((status) => status !== "200"))
    throw new Error(`webhook deliveries failed: ${JSON.stringify(statuses)}`);
  return statuses;
}

async function measurePair(urls: [string, string], cookie: string) {
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    for (const [index, url] of urls.entries()) {
      const started = performance.now();
      const response = await fetch(url, { headers: { cookie } });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      if (i >= WARMUP) samples[index]!.push(performance.now() - started);
    }
  }
  return samples.map(stats) as [Stats, Stats];
}

type Stats = { p50: number; p99: number; mean: number };
function stats(samples: number[]): Stats {
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

async function waitFor(url: string) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up`);
}

function run(command: string, args: string[]) {
  return new Promise<void>((resolve, reject) => {
    spawn(command, args, { cwd: REPO_ROOT, stdio: "inherit" }).on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}`)),
    );
  });
}
