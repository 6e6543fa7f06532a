// The Redis store on a real redis-server: two limiter instances (separate connections, as two
// gateways) share one limit exactly, also under concurrency; the script survives SCRIPT
// FLUSH; a limiter with a memory fallback keeps answering when Redis goes away.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryStore, createRateLimiter, createRedisStore } from "../src/index.ts";
import { redisServerBinary, startTestRedis, type TestRedis } from "../src/testing.ts";

const hasRedis = redisServerBinary() !== null;
if (!hasRedis) {
  console.warn(
    "SKIPPED: Redis rate-limit tests — no redis-server on the PATH (Debian: apt-get install redis-server; `npm test` installs it when run as root)",
  );
}

// A day-long window: its edge (UTC midnight) cannot free a slot during a test (see the docs).
const POLICY = { name: "api", limit: 50, windowSeconds: 86_400 };

describe.skipIf(!hasRedis)("sliding window (Redis)", () => {
  let server: TestRedis;
  const clients: Redis[] = [];
  const connect = () => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 1, lazyConnect: false });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = (await startTestRedis())!;
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await server?.stop();
  });

  it("two instances on one Redis share one limit, sequentially and concurrently", async () => {
    const a = createRateLimiter({ store: createRedisStore({ redis: connect() }) });
    const b = createRateLimiter({ store: createRedisStore({ redis: connect() }) });
    let allowed = 0;
    for (let i = 0; i < 40; i++) {
      if ((await (i % 2 ? a : b).consume("seq", POLICY)).allowed) allowed++;
    }
    expect(allowed).toBe(40);
    const rest = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).consume("seq", POLICY)),
    );
    expect(rest.filter((result) => result.allowed)).toHaveLength(10);

    const concurrent = await Promise.all(
      Array.from({ length: 400 }, (_, i) => (i % 2 ? a : b).consume("concurrent", POLICY)),
    );
    expect(concurrent.filter((result) => result.allowed)).toHaveLength(50);
    const last = await a.consume("concurrent", POLICY);
    expect(last).toMatchObject({ allowed: false, remaining: 0 });
    expect(last.retryAfterSeconds).toBeGreaterThan(0);
    // The RateLimit `t` of a refusal is its Retry-After, never above the window.
    expect(last.resetSeconds).toBe(last.retryAfterSeconds);
    expect(last.retryAfterSeconds).toBeLessThanOrEqual(POLICY.windowSeconds);
  });

  it("loads its script again after SCRIPT FLUSH (a Redis restart)", async () => {
    const redis = connect();
    const limiter = createRateLimiter({ store: createRedisStore({ redis, prefix: "flush" }) });
    expect((await limiter.consume("k", POLICY)).remaining).toBe(49);
    await redis.script("FLUSH");
    expect((await limiter.consume("k", POLICY)).remaining).toBe(48);
  });

  it("answers from the memory fallback while Redis is unreachable, and reports it", async () => {
    const own = (await startTestRedis())!;
    const redis = new Redis(own.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false });
    clients.push(redis);
    redis.on("error", () => undefined); // the loss is what this test is about
    const errors: unknown[] = [];
    const limiter = createRateLimiter({
      store: createRedisStore({ redis }),
      fallback: createMemoryStore(),
      onStoreError: (error) => errors.push(error),
    });
    expect((await limiter.consume("k", POLICY)).remaining).toBe(49);
    await own.stop();
    const during = await limiter.consume("k", POLICY);
    expect(during.allowed).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    const bare = createRateLimiter({ store: createRedisStore({ redis }) });
    await expect(bare.consume("k", POLICY)).rejects.toThrow();
  });
});
