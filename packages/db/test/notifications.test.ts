// The LISTEN/NOTIFY listener on a real PostgreSQL: delivery, reconnect after the server
// drops the connection (onReconnect runs: caches clear themselves), a frozen link replaced
// by the heartbeat, and close().
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotificationListener, type NotificationListener } from "@plinth/db/notifications";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { startPgFaultProxy } from "@plinth/db/testing-proxy";

let db: TestDatabase;
const listeners: NotificationListener[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(listeners.map((listener) => listener.close()));
  await db.drop();
});

function listen(options: Partial<Parameters<typeof createNotificationListener>[0]> = {}) {
  const listener = createNotificationListener({
    connectionString: db.url,
    minBackoffMs: 20,
    maxBackoffMs: 200,
    ...options,
  });
  listeners.push(listener);
  return listener;
}

const notify = (channel: string, payload: string) =>
  db.system.$executeRaw`SELECT pg_notify(${channel}, ${payload})`;

async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("notification listener", () => {
  it("delivers payloads to the channel's subscribers only, until unsubscribed", async () => {
    const listener = listen();
    const seen: string[] = [];
    const other: string[] = [];
    const unsubscribe = listener.subscribe("test_keys", (payload) => seen.push(payload));
    listener.subscribe("test_other", (payload) => other.push(payload));
    await listener.ready();
    await notify("test_keys", "k1");
    await notify("test_other", "o1");
    await waitFor(() => seen.length === 1 && other.length === 1, "both notifications");
    expect(seen).toEqual(["k1"]);
    expect(other).toEqual(["o1"]);

    unsubscribe();
    await notify("test_keys", "k2");
    await notify("test_other", "o2");
    await waitFor(() => other.length === 2, "the second notification");
    expect(seen).toEqual(["k1"]);
  });

  it("reconnects after the server terminates its connection, and says so", async () => {
    const listener = listen({ applicationName: "listener-reconnect-test" });
    const seen: string[] = [];
    let reconnected = 0;
    listener.subscribe("test_reconnect", (payload) => seen.push(payload));
    listener.onReconnect(() => reconnected++);
    await listener.ready();

    const [terminated] = await db.system.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS count
      FROM pg_stat_activity WHERE application_name = 'listener-reconnect-test'`;
    expect(terminated?.count).toBe(1n);
    await waitFor(() => reconnected === 1 && listener.connected, "the reconnect");
    expect(listener.reconnects).toBe(1);

    await notify("test_reconnect", "after");
    await waitFor(() => seen.length === 1, "a notification after the reconnect");
    expect(seen).toEqual(["after"]);
  });

  it("replaces a connection that stopped answering (heartbeat), then hears again", async () => {
    const proxy = await startPgFaultProxy(db.url);
    try {
      const listener = listen({
        connectionString: proxy.url,
        heartbeatIntervalMs: 50,
        heartbeatTimeoutMs: 100,
      });
      const seen: string[] = [];
      listener.subscribe("test_frozen", (payload) => seen.push(payload));
      await listener.ready();

      proxy.freeze();
      await notify("test_frozen", "lost");
      await waitFor(() => !listener.connected, "the heartbeat to give up");
      proxy.closeAll();
      proxy.thaw();
      await waitFor(() => listener.connected && listener.reconnects === 1, "the reconnect");
      await notify("test_frozen", "heard");
      await waitFor(() => seen.includes("heard"), "a notification on the new connection");
      expect(seen).not.toContain("lost");
    } finally {
      await proxy.close();
    }
  });

  it("stops for good on close()", async () => {
    const listener = listen({ applicationName: "listener-close-test" });
    listener.subscribe("test_close", () => undefined);
    await listener.ready();
    await listener.close();
    expect(listener.connected).toBe(false);
    // The server ends the backend shortly after the client closed: poll for it to go.
    const open = async () => {
      const [row] = await db.system.$queryRaw<{ count: bigint }[]>`
        SELECT count(*) AS count FROM pg_stat_activity WHERE application_name = 'listener-close-test'`;
      return row?.count;
    };
    for (const deadline = Date.now() + 5_000; (await open()) !== 0n && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await open()).toBe(0n);
    await new Promise((resolve) => setTimeout(resolve, 300)); // and no reconnect after that
    expect(await open()).toBe(0n);
  });

  it("refuses a channel name that is not a plain identifier", () => {
    const listener = listen();
    expect(() => listener.subscribe('x"; DROP TABLE users; --', () => undefined)).toThrow(
      /Invalid notification channel/,
    );
  });
});
