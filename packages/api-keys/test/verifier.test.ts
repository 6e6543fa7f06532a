// The verifier and its runtime on a real PostgreSQL: hash-only storage, one refusal for every
// bad key, the cache (fresh, stale-while-refresh, bounded negative cache), invalidation by the
// api_keys NOTIFY trigger (and a cleared cache after the listener reconnects), rotation with a
// grace window, and the last-used batcher.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotificationListener, type NotificationListener } from "@plinth/db/notifications";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { startPgFaultProxy } from "@plinth/db/testing-proxy";
import { generateApiKey, hashApiKey } from "../src/format.ts";
import { createLastUsedBatcher } from "../src/last-used.ts";
import { createApiKeyRuntime } from "../src/runtime.ts";
import { findApiKeyByHash, insertApiKey, rotateApiKey } from "../src/store.ts";
import { ApiKeyVerifier } from "../src/verifier.ts";

let db: TestDatabase;
let organizationId: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const org = await db.system.organization.create({
    data: { name: "Keys", slug: `keys-${randomBytes(4).toString("hex")}` },
  });
  organizationId = org.id;
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await db.drop();
});

const issue = (input: Partial<Parameters<typeof insertApiKey>[1]> = {}) =>
  insertApiKey(db.system, { organizationId, name: "ci", scopes: ["projects:read"], ...input });

/** A loader that counts its database reads. */
function countingLoader() {
  const counter = {
    reads: 0,
    load: async (hash: string) => {
      counter.reads++;
      return findApiKeyByHash(db.system, hash);
    },
  };
  return counter;
}

function listen(connectionString = db.url): NotificationListener {
  const listener = createNotificationListener({
    connectionString,
    minBackoffMs: 20,
    maxBackoffMs: 200,
    heartbeatIntervalMs: 100,
    heartbeatTimeoutMs: 200,
  });
  closers.push(() => listener.close());
  return listener;
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("key storage", () => {
  it("stores the SHA-256 only: the full key appears nowhere in the row", async () => {
    const issued = await issue({ name: "storage" });
    const [row] = await db.system.$queryRaw<{ row: string }[]>`
      SELECT to_jsonb(k)::text AS row FROM api_keys k WHERE id = ${issued.record.id}`;
    expect(row?.row).toContain(hashApiKey(issued.key));
    expect(row?.row).not.toContain(issued.key);
    expect(row?.row).not.toContain(issued.key.slice(13, -4));
    expect(issued.record.prefix).toBe(issued.key.slice(0, 13));
    expect(issued.record.lastFour).toBe(issued.key.slice(-4));
    expect(await findApiKeyByHash(db.system, hashApiKey(issued.key))).toMatchObject({
      id: issued.record.id,
      organizationId,
      scopes: ["projects:read"],
    });
  });
});

describe("verifier", () => {
  it("answers unknown, revoked, expired and malformed keys with one identical refusal", async () => {
    const loader = countingLoader();
    const verifier = new ApiKeyVerifier({ load: loader.load });
    const revoked = await issue({ name: "revoked" });
    await db.system.apiKey.update({
      where: { id: revoked.record.id },
      data: { revokedAt: new Date() },
    });
    const expired = await issue({ name: "expired", expiresAt: new Date(Date.now() - 1_000) });
    const unknown = generateApiKey().key;
    const good = await issue({ name: "good" });

    const answers = await Promise.all(
      [unknown, revoked.key, expired.key, "plk_live_short", null].map((key) =>
        verifier.verify(key),
      ),
    );
    for (const answer of answers) expect(answer).toStrictEqual({ ok: false });
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(await verifier.verify(good.key)).toEqual({
      ok: true,
      key: {
        id: good.record.id,
        organizationId,
        name: "good",
        environment: "live",
        scopes: ["projects:read"],
        rateLimit: null,
      },
    });
  });

  it("refuses a mistyped key without reading the database", async () => {
    const loader = countingLoader();
    const verifier = new ApiKeyVerifier({ load: loader.load });
    const { key } = await issue({ name: "typo" });
    const typo = `${key.slice(0, 20)}${key[20] === "a" ? "b" : "a"}${key.slice(21)}`;
    expect(await verifier.verify(typo)).toStrictEqual({ ok: false });
    expect(await verifier.verify(key.slice(0, -1))).toStrictEqual({ ok: false });
    expect(loader.reads).toBe(0);
  });

  it("serves a known key from the cache, and loads it once for concurrent first requests", async () => {
    const loader = countingLoader();
    const verifier = new ApiKeyVerifier({ load: loader.load });
    const { key } = await issue({ name: "cached" });
    const first = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(key)));
    expect(first.every((answer) => answer.ok)).toBe(true);
    expect(loader.reads).toBe(1);
    for (let i = 0; i < 100; i++) expect((await verifier.verify(key)).ok).toBe(true);
    expect(loader.reads).toBe(1);
    expect(verifier.stats.hits).toBe(100);
  });

  it("serves a stale entry while one background reload runs, only while invalidations are heard", async () => {
    let now = 1_000_000;
    let live = true;
    const loader = countingLoader();
    const verifier = new ApiKeyVerifier({
      load: loader.load,
      freshMs: 10_000,
      staleMs: 60_000,
      now: () => now,
      invalidationsLive: () => live,
    });
    const { key, record } = await issue({ name: "stale" });
    expect((await verifier.verify(key)).ok).toBe(true);
    await db.system.apiKey.update({ where: { id: record.id }, data: { revokedAt: new Date() } });

    now += 15_000; // stale: answered from the cache, one reload in the background
    const stale = await Promise.all([verifier.verify(key), verifier.verify(key)]);
    expect(stale.map((answer) => answer.ok)).toEqual([true, true]);
    await waitFor(() => verifier.stats.loads === 2, "the background reload");
    expect(loader.reads).toBe(2);
    await waitFor(async () => !(await verifier.verify(key)).ok, "the reloaded (revoked) record");

    // Without a live listener a stale entry is reloaded before answering.
    const other = await issue({ name: "stale-offline" });
    expect((await verifier.verify(other.key)).ok).toBe(true);
    await db.system.apiKey.update({
      where: { id: other.record.id },
      data: { revokedAt: new Date() },
    });
    live = false;
    now += 15_000;
    expect(await verifier.verify(other.key)).toStrictEqual({ ok: false });
  });

  it("remembers unknown keys for a short time, within a size bound", async () => {
    let now = 0;
    const loader = countingLoader();
    const verifier = new ApiKeyVerifier({
      load: loader.load,
      negativeTtlMs: 5_000,
      maxNegativeEntries: 3,
      now: () => now,
    });
    const unknown = generateApiKey().key;
    await verifier.verify(unknown);
    await verifier.verify(unknown);
    expect(loader.reads).toBe(1);
    expect(verifier.stats.negativeHits).toBe(1);
    now += 5_000; // expired: read again
    await verifier.verify(unknown);
    expect(loader.reads).toBe(2);

    for (let i = 0; i < 10; i++) await verifier.verify(generateApiKey().key);
    expect(verifier.size.unknown).toBe(3);
  });

  it("stops accepting a cached key the moment it expires", async () => {
    let now = Date.now();
    const verifier = new ApiKeyVerifier({
      load: (hash) => findApiKeyByHash(db.system, hash),
      now: () => now,
    });
    const { key } = await issue({ name: "expiring", expiresAt: new Date(now + 1_000) });
    expect((await verifier.verify(key)).ok).toBe(true);
    now += 1_000;
    expect(await verifier.verify(key)).toStrictEqual({ ok: false });
  });

  it("keeps a rotated key working for its grace window, beside the new one", async () => {
    let now = Date.now();
    const verifier = new ApiKeyVerifier({
      load: (hash) => findApiKeyByHash(db.system, hash),
      now: () => now,
    });
    const old = await issue({ name: "rotating", scopes: ["projects:read", "usage:read"] });
    const rotated = await db.system.$transaction((tx) =>
      rotateApiKey(tx, { organizationId, id: old.record.id, graceSeconds: 3_600 }, new Date(now)),
    );
    expect(rotated).not.toBeNull();
    expect(rotated!.previous.graceEndsAt.getTime()).toBe(now + 3_600_000);
    expect(rotated!.record.scopes).toEqual(["projects:read", "usage:read"]);
    expect((await verifier.verify(old.key)).ok).toBe(true);
    expect((await verifier.verify(rotated!.key)).ok).toBe(true);
    // A key is rotated once: the second rotation finds nothing to rotate.
    const again = await db.system.$transaction((tx) =>
      rotateApiKey(tx, { organizationId, id: old.record.id, graceSeconds: 60 }),
    );
    expect(again).toBeNull();

    now += 3_600_000;
    expect(await verifier.verify(old.key)).toStrictEqual({ ok: false });
    expect((await verifier.verify(rotated!.key)).ok).toBe(true);
  });
});

describe("invalidation over LISTEN/NOTIFY", () => {
  it("a revoked key is refused within 1 s, with no cache expiry involved", async () => {
    const listener = listen();
    const runtime = createApiKeyRuntime({
      db: db.system,
      listener,
      freshMs: 600_000,
      staleMs: 600_000,
      lastUsedIntervalMs: false,
    });
    closers.push(() => runtime.close());
    await listener.ready();
    const { key, record } = await issue({ name: "revoke-me" });
    expect((await runtime.verifier.verify(key)).ok).toBe(true);

    const revokedAt = Date.now();
    await db.system.apiKey.update({ where: { id: record.id }, data: { revokedAt: new Date() } });
    await waitFor(
      async () => !(await runtime.verifier.verify(key)).ok,
      "the revocation to reach the verifier",
      1_000,
    );
    console.info(`revocation heard after ${Date.now() - revokedAt} ms`);
    expect(runtime.verifier.stats.invalidations).toBeGreaterThanOrEqual(1);
  });

  it("last-use writes do not invalidate (the trigger ignores last_used_at)", async () => {
    const listener = listen();
    const runtime = createApiKeyRuntime({ db: db.system, listener, lastUsedIntervalMs: false });
    closers.push(() => runtime.close());
    await listener.ready();
    const { key, record } = await issue({ name: "last-used-quiet" });
    expect((await runtime.verifier.verify(key)).ok).toBe(true);
    await db.system.apiKey.update({ where: { id: record.id }, data: { lastUsedAt: new Date() } });
    // A marker change on another key proves notifications are flowing before we look.
    const marker = await issue({ name: "marker" });
    await runtime.verifier.verify(marker.key);
    const before = runtime.verifier.stats.invalidations;
    await db.system.apiKey.update({ where: { id: marker.record.id }, data: { name: "marker 2" } });
    await waitFor(() => runtime.verifier.stats.invalidations > before, "the marker's notification");
    expect(runtime.verifier.stats.invalidations).toBe(before + 1);
    expect(runtime.verifier.size.known).toBe(1);
  });

  it("after the listener loses its connection, stale entries are not trusted and the cache is cleared on reconnect", async () => {
    const proxy = await startPgFaultProxy(db.url);
    closers.push(() => proxy.close());
    const listener = listen(proxy.url);
    const loader = countingLoader();
    let now = Date.now();
    const runtime = createApiKeyRuntime({
      db: db.system,
      listener,
      freshMs: 1_000,
      staleMs: 600_000,
      lastUsedIntervalMs: false,
      now: () => now,
    });
    closers.push(() => runtime.close());
    // The runtime's own loader is findApiKeyByHash; a second verifier sharing the listener
    // counts reads.
    const counted = new ApiKeyVerifier({
      load: loader.load,
      invalidationsLive: () => listener.connected,
      now: () => now,
    });
    const offReconnect = listener.onReconnect(() => counted.clear());
    closers.push(() => Promise.resolve(offReconnect()));
    await listener.ready();

    const { key, record } = await issue({ name: "partition" });
    expect((await runtime.verifier.verify(key)).ok).toBe(true);
    expect((await counted.verify(key)).ok).toBe(true);

    // The link freezes: the revocation's NOTIFY is lost.
    proxy.freeze();
    await db.system.apiKey.update({ where: { id: record.id }, data: { revokedAt: new Date() } });
    await waitFor(() => !listener.connected, "the heartbeat to notice");
    // Stale and unheard: reloaded before answering, so the revocation shows.
    now += 2_000;
    expect(await runtime.verifier.verify(key)).toStrictEqual({ ok: false });

    const second = await issue({ name: "partition-2" });
    expect((await counted.verify(second.key)).ok).toBe(true);
    expect(counted.size.known).toBe(2);
    proxy.closeAll();
    proxy.thaw();
    await waitFor(() => listener.connected && listener.reconnects === 1, "the reconnect");
    expect(counted.size).toEqual({ known: 0, unknown: 0 });
    expect(runtime.verifier.size).toEqual({ known: 0, unknown: 0 });
  });
});

describe("last-used batcher", () => {
  it("writes the latest time per key in one statement, keeps times through a failed write, and flushes on close", async () => {
    const keys = await Promise.all([1, 2, 3].map((i) => issue({ name: `used-${i}` })));
    const batcher = createLastUsedBatcher({ db: db.system, intervalMs: 600_000 });
    const base = Date.UTC(2026, 11, 1, 12);
    for (const [i, issued] of keys.entries()) {
      batcher.touch(issued.record.id, base + i * 1_000);
      batcher.touch(issued.record.id, base + i * 1_000 - 500); // older: ignored
    }
    expect(batcher.pending).toBe(3);

    // A real failure: the table is briefly unreachable under its name.
    await db.system.$executeRawUnsafe(`ALTER TABLE api_keys RENAME TO api_keys_away`);
    await expect(batcher.flush()).rejects.toThrow();
    await db.system.$executeRawUnsafe(`ALTER TABLE api_keys_away RENAME TO api_keys`);
    expect(batcher.pending).toBe(3);

    expect(await batcher.flush()).toBe(3);
    expect(batcher.pending).toBe(0);
    const rows = await db.system.apiKey.findMany({
      where: { id: { in: keys.map((issued) => issued.record.id) } },
      select: { id: true, lastUsedAt: true },
    });
    for (const [i, issued] of keys.entries()) {
      expect(rows.find((row) => row.id === issued.record.id)?.lastUsedAt?.getTime()).toBe(
        base + i * 1_000,
      );
    }

    // An older time (another gateway wrote a newer one) does not move it back.
    batcher.touch(keys[0]!.record.id, base - 60_000);
    batcher.touch(keys[1]!.record.id, base + 60_000);
    await batcher.close();
    const after = await db.system.apiKey.findMany({
      where: { id: { in: [keys[0]!.record.id, keys[1]!.record.id] } },
      select: { id: true, lastUsedAt: true },
      orderBy: { name: "asc" },
    });
    expect(after.map((row) => row.lastUsedAt?.getTime())).toEqual([base, base + 60_000]);
  });

  it("is fed by the runtime's verifier", async () => {
    const runtime = createApiKeyRuntime({ db: db.system, lastUsedIntervalMs: 600_000 });
    const { key, record } = await issue({ name: "runtime-used" });
    await runtime.verifier.verify(key);
    await runtime.verifier.verify(key);
    expect(runtime.lastUsed?.pending).toBe(1);
    await runtime.close();
    const row = await db.system.apiKey.findUniqueOrThrow({ where: { id: record.id } });
    expect(row.lastUsedAt).not.toBeNull();
  });
});
