// API-key verification cost, same run, same keys, on an embedded PostgreSQL (or DATABASE_URL):
//   cache hit   ApiKeyVerifier.verify on a cached key (parse + checksum + SHA-256 + Map)
//   baseline    the same verification reading the key from the database every time
//   revocation  time from the revoking UPDATE's commit until two verifiers — each with its own
//               LISTEN connection, as two gateway instances have — both refuse the key
//   pnpm --filter @plinth/api-keys bench   [BENCH_CALLS=200000 BENCH_REVOCATIONS=50]
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPrismaClient } from "@plinth/db";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import { createNotificationListener } from "@plinth/db/notifications";
import {
  ApiKeyVerifier,
  createApiKeyRuntime,
  findApiKeyByHash,
  hashApiKey,
  insertApiKey,
  isUsable,
  parseApiKey,
} from "../src/index.ts";

const CALLS = Number(process.env.BENCH_CALLS ?? 200_000);
const DB_CALLS = Number(process.env.BENCH_DB_CALLS ?? 2_000);
const REVOCATIONS = Number(process.env.BENCH_REVOCATIONS ?? 50);
const KEYS = 1_000;

const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-keys-"));
const server = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir, persistent: false });
const url = process.env.DATABASE_URL ?? server!.urlFor("bench_keys");
if (server) await ensureDatabase(server.serverUrl, "bench_keys");
await migrate(url);
const db = createPrismaClient(url, { role: "system", poolMax: 8 });

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const us = (ms: number) => `${(ms * 1000).toFixed(2)} µs`;

try {
  const org = await db.organization.create({
    data: { name: "Bench", slug: `bench-${randomBytes(3).toString("hex")}` },
  });
  const keys: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    keys.push((await insertApiKey(db, { organizationId: org.id, name: `k${i}` })).key);
  }

  const verifier = new ApiKeyVerifier({ load: (hash) => findApiKeyByHash(db, hash) });
  for (const key of keys) await verifier.verify(key); // warm the cache
  const hits: number[] = [];
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    const answer = await verifier.verify(keys[i % KEYS]);
    hits.push(performance.now() - t);
    if (!answer.ok) throw new Error("a cached key was refused");
  }
  const hitMean = (performance.now() - started) / CALLS;

  const parseOnly: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const t = performance.now();
    hashApiKey(parseApiKey(keys[i % KEYS])!.key);
    parseOnly.push(performance.now() - t);
  }

  const direct: number[] = [];
  for (let i = 0; i < DB_CALLS; i++) {
    const t = performance.now();
    const parsed = parseApiKey(keys[i % KEYS]);
    const record = parsed ? await findApiKeyByHash(db, hashApiKey(parsed.key)) : null;
    if (!record || !isUsable(record, Date.now())) throw new Error("a key was refused");
    direct.push(performance.now() - t);
  }

  console.log(`\nAPI-key verification, ${os.cpus().length} cores, ${KEYS} keys`);
  console.log("variant".padEnd(52), "p50".padStart(10), "p99".padStart(10), "mean".padStart(10));
  const row = (name: string, values: number[], mean?: number) =>
    console.log(
      name.padEnd(52),
      us(percentile(values, 50)).padStart(10),
      us(percentile(values, 99)).padStart(10),
      us(mean ?? values.reduce((a, b) => a + b, 0) / values.length).padStart(10),
    );
  row(`verifier, cache hit (${CALLS} calls)`, hits, hitMean);
  row("  of which parse + checksum + SHA-256", parseOnly);
  row(`baseline: database read per call (${DB_CALLS} calls)`, direct);

  // Revocation across two "instances": two runtimes, two LISTEN connections.
  const instances = [0, 1].map(() => {
    const listener = createNotificationListener({ connectionString: url });
    const runtime = createApiKeyRuntime({
      db,
      listener,
      freshMs: 600_000,
      staleMs: 600_000,
      lastUsedIntervalMs: false,
    });
    return { listener, runtime };
  });
  await Promise.all(instances.map((instance) => instance.listener.ready()));
  const propagation: number[] = [];
  for (let i = 0; i < REVOCATIONS; i++) {
    const issued = await insertApiKey(db, { organizationId: org.id, name: `revoke-${i}` });
    for (const { runtime } of instances) await runtime.verifier.verify(issued.key);
    await db.apiKey.update({ where: { id: issued.record.id }, data: { revokedAt: new Date() } });
    const committed = performance.now();
    const pending = new Set(instances.map((instance) => instance.runtime.verifier));
    while (pending.size > 0) {
      for (const verifier of pending)
        if (!(await verifier.verify(issued.key)).ok) pending.delete(verifier);
      if (pending.size > 0) await new Promise((resolve) => setImmediate(resolve));
      if (performance.now() - committed > 5_000) throw new Error("revocation not heard in 5 s");
    }
    propagation.push(performance.now() - committed);
  }
  console.log(
    `revocation → refused by both of 2 instances (${REVOCATIONS} keys): p50 ${percentile(propagation, 50).toFixed(2)} ms, p99 ${percentile(propagation, 99).toFixed(2)} ms, max ${Math.max(...propagation).toFixed(2)} ms`,
  );
  for (const { listener, runtime } of instances) {
    await runtime.close();
    await listener.close();
  }
} finally {
  await db.$disconnect();
  if (server) {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
