// `pnpm tsx scripts/bench-phases.ts`: where project.list's time goes, in process (no HTTP, no
// Next): each phase of the request path measured on its own, interleaved round by round so
// background load hits every phase alike. Complements `npm run bench` (the same call over
// HTTP on the built web app); numbers and conclusions in docs/benchmarks.md.
//   bare          the query alone (system client, same where/order/select)
//   membership    findMembershipContext: the one SECURITY DEFINER call that proves the tenant
//   rls query     the query in the tenant transaction (BEGIN + set_config ×2 in one round
//                 trip, query, COMMIT not waited for: packages/db/src/tenant-begin.ts)
//   rls 4 trips   the same through the previous path, in the same run: Prisma's batch
//                 transaction [set_config, query] (BEGIN, set_config, query, COMMIT)
//   bind          bindOrganization: membership + entitlements + the tenant client
//   caller        the tRPC caller: context, procedure chain, bind, query, output
//   bind cached   bindOrganization through the web app's organization-context cache (what
//                 binding reads kept until a NOTIFY says it changed: no round trip)
//   caller cached the tRPC caller with that cache (what apps/web runs)
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createLogger } from "@plinth/core/logger";
import { createDatabase, findMembershipContext, systemClient, tenantDb } from "@plinth/db";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import { installJobSchema } from "@plinth/jobs";
import { createNotificationListener } from "@plinth/db/notifications";
import {
  bindOrganization,
  createRequestScope,
  listeningOrganizationContextCache,
} from "@plinth/platform";
import { activeProduct } from "@plinth/product";
import { appRouter } from "@plinth/product/trpc";
import { createCallerFactory, createContext } from "@plinth/trpc";
import { demoAccounts, seed } from "../prisma/seed.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);
const WARMUP = 200;

const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-phases-"));
const server = await startEmbeddedPostgres({ dataDir, persistent: false });
const databaseUrl = server.urlFor("plinth_bench_phases");
await ensureDatabase(server.serverUrl, "plinth_bench_phases");
await migrate(databaseUrl);
await installJobSchema(databaseUrl);
await seed(databaseUrl);

const database = createDatabase(databaseUrl);
const system = systemClient(database, "bench: fixtures and the bare baseline");
const product = activeProduct();
const logger = createLogger({ level: "silent" });
const billing = { stripe: null, appUrl: "http://bench.test", pastDueGraceDays: 7 };
const proOwner = demoAccounts().find((account) => account.planKey === "pro");
if (!proOwner) throw new Error("the bench needs the demo's Pro organization (PLINTH_PRODUCT=all)");
const owner = await system.user.findUniqueOrThrow({
  where: { email: proOwner.email },
  include: { memberships: true },
});
const organizationId = owner.memberships[0]!.organizationId;
const user = {
  id: owner.id,
  email: owner.email,
  name: owner.name,
  platformRole: owner.platformRole,
  status: owner.status,
  emailVerified: owner.emailVerified,
};
const query = {
  where: { status: "ACTIVE" as const },
  orderBy: { createdAt: "desc" as const },
  select: { id: true, name: true, status: true, createdAt: true, archivedAt: true },
};
const createCaller = createCallerFactory(appRouter());
const listener = createNotificationListener({ connectionString: databaseUrl });
const organizationContexts = listeningOrganizationContextCache(listener);
await listener.ready();
const scopeOf = (cached = false) =>
  createRequestScope({
    database,
    product,
    actor: { kind: "user", user, sessionToken: null },
    requestId: "bench",
    ip: null,
    userAgent: null,
    logger,
    billing,
    ...(cached ? { organizationContexts: organizationContexts.cache } : {}),
  });

const phases: Record<string, () => Promise<unknown>> = {
  bare: () => system.project.findMany({ ...query, where: { ...query.where, organizationId } }),
  membership: () => findMembershipContext(database.app, organizationId, user.id),
  "rls query": () =>
    tenantDb(database.app, { organizationId, userId: user.id }).client.project.findMany(query),
  "rls 4 trips": () =>
    database.app
      .$transaction([
        database.app
          .$executeRaw`SELECT set_config('app.organization_id', ${organizationId}, true), set_config('app.user_id', ${user.id}, true)`,
        database.app.project.findMany({ ...query, where: { ...query.where, organizationId } }),
      ])
      .then(([, rows]) => rows),
  bind: () => bindOrganization(scopeOf(), organizationId, { write: false }),
  caller: () =>
    createCaller(
      createContext({ database, product, user, requestId: "bench", logger, billing }),
    ).project.list({ organizationId, status: "ACTIVE" }),
  "bind cached": () => bindOrganization(scopeOf(true), organizationId, { write: false }),
  "caller cached": () =>
    createCaller(
      createContext({
        database,
        product,
        user,
        requestId: "bench",
        logger,
        billing,
        organizationContexts: organizationContexts.cache,
      }),
    ).project.list({ organizationId, status: "ACTIVE" }),
};

// BENCH_ONLY=caller (a comma list): just those phases, e.g. under `node --cpu-prof`.
const only = process.env.BENCH_ONLY?.split(",");
if (only) for (const name of Object.keys(phases)) if (!only.includes(name)) delete phases[name];
const samples = Object.fromEntries(Object.keys(phases).map((name) => [name, [] as number[]]));
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  for (const [name, phase] of Object.entries(phases)) {
    const start = performance.now();
    await phase();
    if (round >= WARMUP) samples[name]!.push(performance.now() - start);
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
console.log(
  `\nproject.list in process, ${ROUNDS} interleaved rounds after ${WARMUP} warm-up, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
);
console.log("phase".padEnd(14), "p50 ms".padStart(8), "p99 ms".padStart(8));
const p50 = (name: string) =>
  percentile(
    [...samples[name]!].sort((a, b) => a - b),
    0.5,
  );
for (const name of Object.keys(phases)) {
  const sorted = [...samples[name]!].sort((a, b) => a - b);
  console.log(
    name.padEnd(14),
    percentile(sorted, 0.5).toFixed(3).padStart(8),
    percentile(sorted, 0.99).toFixed(3).padStart(8),
  );
}
if (!only)
  console.log(
    `caller overhead over bare at p50: ${(p50("caller") - p50("bare")).toFixed(3)} ms ` +
      `(bind ${p50("bind").toFixed(3)}, of which membership ${p50("membership").toFixed(3)}; ` +
      `RLS transaction over bare ${(p50("rls query") - p50("bare")).toFixed(3)})\n` +
      `with the organization-context cache (apps/web): ${(p50("caller cached") - p50("bare")).toFixed(3)} ms ` +
      `(bind ${p50("bind cached").toFixed(3)})`,
  );

organizationContexts.close();
await listener.close();
await database.disconnect();
await server.stop();
await rm(dataDir, { recursive: true, force: true });
