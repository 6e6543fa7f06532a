// Rate-limit check cost, same run: the memory store, the Redis store (one atomic Lua script
// per check, on a throw-away redis-server), and as the baseline a bare Redis round trip
// (PING) on the same connection — what any Redis-backed check costs at least.
//   pnpm --filter @plinth/rate-limit bench   [BENCH_CALLS=20000]
import os from "node:os";
import { Redis } from "ioredis";
import { createMemoryStore, createRateLimiter, createRedisStore } from "../src/index.ts";
import { startTestRedis } from "../src/testing.ts";

const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const POLICY = { name: "api", limit: 1_000_000, windowSeconds: 60 };

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function sequential(label: string, call: (i: number) => Promise<unknown>, calls = CALLS) {
  for (let i = 0; i < 1_000; i++) await call(i);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await call(i);
    times.push(performance.now() - t);
  }
  console.log(
    label.padEnd(44),
    `${(percentile(times, 50) * 1000).toFixed(1)} µs`.padStart(11),
    `${(percentile(times, 99) * 1000).toFixed(1)} µs`.padStart(11),
  );
}

async function concurrent(label: string, call: (i: number) => Promise<unknown>, inFlight = 64) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < CALLS) await call(next++);
    }),
  );
  console.log(`${label}: ${Math.round(CALLS / ((performance.now() - started) / 1000))}/s`);
}

const redisServer = await startTestRedis();
console.log(`\nRate-limit checks, ${os.cpus().length} cores`);
console.log("variant".padEnd(44), "p50".padStart(11), "p99".padStart(11));
const memory = createRateLimiter({ store: createMemoryStore() });
await sequential(
  "memory store, 1,000 keys",
  (i) => memory.consume(`k${i % 1_000}`, POLICY),
  200_000,
);
if (!redisServer) {
  console.log("redis-server not found: Redis rows skipped (apt-get install redis-server)");
} else {
  const redis = new Redis(redisServer.url);
  const limiter = createRateLimiter({ store: createRedisStore({ redis }) });
  await sequential("baseline: Redis PING round trip", () => redis.ping());
  await sequential("Redis store (Lua sliding window), 1,000 keys", (i) =>
    limiter.consume(`k${i % 1_000}`, POLICY),
  );
  await concurrent("baseline: PING, 64 in flight", () => redis.ping());
  await concurrent("Redis store, 64 in flight", (i) => limiter.consume(`k${i % 1_000}`, POLICY));
  redis.disconnect();
  await redisServer.stop();
}
