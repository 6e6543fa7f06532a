// Two gateway processes on one PostgreSQL (and one redis-server): a key's rate limit is shared
// (within +2%), a revocation reaches both within 1 s, a hard quota is never exceeded, and a
// SIGTERM mid-load loses and doubles no usage event (rows and counters = answered requests).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@plinth/db/testing";
import { recordUsage } from "@plinth/billing/usage";
import { startTestRedis, type TestRedis } from "@plinth/rate-limit/testing";
import { createOrganization, issueKey, startDatabase } from "./kit.ts";
import { startGatewayProcess, type GatewayProcess } from "./processes.ts";

let db: TestDatabase;
let redis: TestRedis | null;
let gateways: GatewayProcess[] = [];

beforeAll(async () => {
  db = await startDatabase();
  redis = await startTestRedis();
  if (!redis) console.warn("redis-server not found: the two-instance tests are skipped");
  const env = {
    DATABASE_URL: db.url,
    GATEWAY_ORGANIZATION_CACHE_MS: "0",
    ...(redis ? { REDIS_URL: redis.url } : {}),
  };
  gateways = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
}, 120_000);
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await redis?.stop();
  await db?.drop();
});

const get = (gateway: GatewayProcess, key: string, path = "/api/v1/projects") =>
  fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

describe("two gateway instances", () => {
  it("share one key's rate limit through Redis (within +2%)", async ({ skip }) => {
    if (!redis) return skip();
    const { organization } = await createOrganization(db, "enterprise");
    const { key } = await issueKey(db, organization.id, {
      rateLimit: { requests: 100, windowSeconds: 60 },
    });
    const answers = await Promise.all(
      Array.from({ length: 240 }, (_, i) => get(gateways[i % 2]!, key)),
    );
    const allowed = answers.filter((answer) => answer.status === 200).length;
    const statuses = [...new Set(answers.map((answer) => answer.status))].sort();
    if (statuses.some((status) => status >= 500)) {
      const failed = answers.find((answer) => answer.status >= 500)!;
      throw new Error(`unexpected ${failed.status}: ${await failed.text()}`);
    }
    expect(statuses).toEqual([200, 429]);
    expect(allowed).toBeGreaterThanOrEqual(100);
    expect(allowed).toBeLessThanOrEqual(102);
  });

  it("stop accepting a revoked key within 1 s on both", async () => {
    const { organization } = await createOrganization(db, "enterprise");
    const { key, id } = await issueKey(db, organization.id);
    for (const gateway of gateways) expect((await get(gateway, key)).status).toBe(200);
    const revokedAt = Date.now();
    await db.system.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
    const seen = await Promise.all(
      gateways.map(async (gateway) => {
        while (Date.now() - revokedAt < 5_000) {
          if ((await get(gateway, key)).status === 401) return Date.now() - revokedAt;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return Infinity;
      }),
    );
    for (const ms of seen) expect(ms).toBeLessThanOrEqual(1_000);
  });

  it("never exceed a hard quota, whichever instance answers", async () => {
    const { organization } = await createOrganization(db, "pro");
    const { key } = await issueKey(db, organization.id, {
      rateLimit: { requests: 10_000, windowSeconds: 60 },
    });
    await recordUsage(db.system, {
      organizationId: organization.id,
      meter: "api.requests",
      quantity: 99_990,
    });
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => get(gateways[i % 2]!, key)),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(10);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(50);
    const counter = await db.system.usageCounter.findMany({
      where: { organizationId: organization.id, meter: "api.requests" },
    });
    expect(counter.map((row) => Number(row.quantity))).toEqual([100_000]);
  });
});

describe("SIGTERM", () => {
  it("drains the metering queue: events and counters equal the answered requests", async () => {
    const gateway = await startGatewayProcess({ DATABASE_URL: db.url });
    const { organization } = await createOrganization(db, "payg");
    const { key, id } = await issueKey(db, organization.id, {
      rateLimit: { requests: 100_000, windowSeconds: 60 },
    });
    let answered = 0;
    let stopping = false;
    const load = Array.from({ length: 8 }, async () => {
      while (!stopping) {
        try {
          const answer = await get(gateway, key);
          if (answer.status === 200) answered++;
          await answer.arrayBuffer();
        } catch {
          return; // the server stopped accepting
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const exit = gateway.stop("SIGTERM");
    stopping = true;
    await Promise.all(load);
    expect(await exit).toBe(0);
    expect(answered).toBeGreaterThan(5);
    const events = await db.system.usageEvent.count({ where: { apiKeyId: id } });
    const counter = await db.system.usageCounter.findMany({
      where: { organizationId: organization.id, meter: "api.requests" },
    });
    expect(events).toBe(answered);
    expect(counter.reduce((sum, row) => sum + Number(row.quantity), 0)).toBe(answered);
  });
});
