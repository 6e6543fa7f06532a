// Outbound webhooks end to end on a real PostgreSQL and a loopback receiver (node:http): the
// outbox commits with its transaction or not at all, deliveries are signed so that the
// Standard Webhooks library's own verify accepts them, failures (500, a timeout) are retried
// on the backoff schedule through new graphile-worker jobs, 410 turns the endpoint off, a
// replay resends the same message, and the SSRF guard refuses private destinations.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantTransaction } from "@plinth/db";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { JITTER, MAX_ATTEMPTS, RETRY_DELAYS_MS, nextAttemptAt } from "../src/backoff.ts";
import { deliverWebhook } from "../src/deliver.ts";
import { UnknownWebhookEventError, emitWebhookEvent, replayDelivery } from "../src/emit.ts";
import { declareWebhookEventTypes } from "../src/events.ts";
import { RESPONSE_BODY_LIMIT } from "../src/http.ts";
import { webhookDeliveries } from "../src/metrics.ts";
import { issueSigningSecret, readSigningSecret } from "../src/secrets.ts";
import { isPublicAddress } from "@plinth/core/ssrf";

declareWebhookEventTypes("webhooks-test", ["thing.happened"]);

type Reply = { status: number; body?: string } | "hang";
interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let db: TestDatabase;
let orgA: string;
let orgB: string;
let receiver: http.Server;
let base: string;
const received: Received[] = [];
const scripts = new Map<string, Reply[]>();

function serve(request: http.IncomingMessage, response: http.ServerResponse) {
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (chunk: string) => (body += chunk));
  request.on("end", () => {
    const path = request.url ?? "/";
    received.push({ path, headers: request.headers, body });
    const reply = scripts.get(path)?.shift() ?? { status: 200, body: "ok" };
    if (reply === "hang") return; // never answers: the sender's timeout ends it
    response.writeHead(reply.status, { "content-type": "text/plain" });
    response.end(reply.body ?? "");
  });
}

async function organization(name: string) {
  const id = randomUUID();
  await db.system.organization.create({ data: { id, name, slug: `${name}-${id.slice(0, 8)}` } });
  return id;
}

async function endpoint(
  organizationId: string,
  url: string,
  eventTypes: string[] = ["thing.happened"],
) {
  const row = await db.system.webhookEndpoint.create({
    data: { organizationId, url, eventTypes },
    select: { id: true, organizationId: true },
  });
  const secret = await issueSigningSecret(db.system, row);
  return { ...row, secret };
}

/** Emits in a tenant transaction of `organizationId` (the app client, under RLS). */
function emit(organizationId: string, data: Record<string, unknown> = { n: 1 }) {
  return tenantTransaction(db.app, { organizationId }, (tx) =>
    emitWebhookEvent(tx, { organizationId, type: "thing.happened", data }),
  );
}

async function jobsFor(deliveryId: string) {
  return db.system.$queryRaw<{ run_at: Date; task_identifier: string }[]>`
    SELECT j.run_at, t.identifier AS task_identifier FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE j.payload->>'deliveryId' = ${deliveryId} ORDER BY j.id`;
}

const loopback = { allowPrivateNetworks: true, random: () => 0.5 } as const;

beforeAll(async () => {
  db = await createTestDatabase();
  orgA = await organization("a");
  orgB = await organization("b");
  receiver = http.createServer(serve);
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await db.drop();
});

describe("the outbox", () => {
  it("stores the event, a delivery per subscribed endpoint and its job in the caller's transaction", async () => {
    const org = await organization("outbox");
    const subscribed = await endpoint(org, `${base}/outbox`);
    await endpoint(org, `${base}/other`, ["webhook.test"]);
    const emitted = await emit(org, { order: 42 });
    expect(emitted.eventId).not.toBeNull();
    expect(emitted.deliveryIds).toHaveLength(1);
    const [deliveryId] = emitted.deliveryIds;
    const delivery = await db.system.webhookDelivery.findUniqueOrThrow({
      where: { id: deliveryId ?? "" },
    });
    expect(delivery).toMatchObject({ endpointId: subscribed.id, status: "PENDING", attempts: 0 });
    expect((await jobsFor(delivery.id)).map((job) => job.task_identifier)).toEqual([
      "webhook.deliver",
    ]);
  });

  it("keeps nothing when the transaction rolls back", async () => {
    await endpoint(orgA, `${base}/rollback`);
    const before = await Promise.all([
      db.system.webhookEvent.count(),
      db.system.webhookDelivery.count(),
      db.system.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker._private_jobs`,
    ]);
    let emittedIds: string[] = [];
    await expect(
      tenantTransaction(db.app, { organizationId: orgA }, async (tx) => {
        const emitted = await emitWebhookEvent(tx, {
          organizationId: orgA,
          type: "thing.happened",
          data: { doomed: true },
        });
        emittedIds = emitted.deliveryIds;
        throw new Error("the change that caused it failed");
      }),
    ).rejects.toThrow("the change that caused it failed");
    expect(emittedIds.length).toBeGreaterThan(0);
    const after = await Promise.all([
      db.system.webhookEvent.count(),
      db.system.webhookDelivery.count(),
      db.system.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker._private_jobs`,
    ]);
    expect(after).toEqual(before);
  });

  it("refuses a type nobody declared and data that is not JSON", async () => {
    await expect(
      tenantTransaction(db.app, { organizationId: orgA }, (tx) =>
        emitWebhookEvent(tx, { organizationId: orgA, type: "nobody.declared", data: {} }),
      ),
    ).rejects.toBeInstanceOf(UnknownWebhookEventError);
    await expect(
      tenantTransaction(db.app, { organizationId: orgA }, (tx) =>
        emitWebhookEvent(tx, {
          organizationId: orgA,
          type: "thing.happened",
          data: { when: new Date() },
        }),
      ),
    ).rejects.toThrow();
    expect(() => declareWebhookEventTypes("another-module", ["thing.happened"])).toThrow(
      /declared by both/,
    );
  });

  it("is tenant-owned: row-level security hides another organization's rows and refuses its writes", async () => {
    await endpoint(orgB, `${base}/b`);
    const seenFromA = await tenantTransaction(db.app, { organizationId: orgA }, (tx) =>
      Promise.all([
        tx.webhookEndpoint.findMany({ where: { organizationId: orgB } }),
        tx.webhookDelivery.findMany({ where: { organizationId: orgB } }),
        tx.webhookEvent.findMany({ where: { organizationId: orgB } }),
      ]),
    );
    expect(seenFromA).toEqual([[], [], []]);
    // Emitting for B inside A's transaction finds no endpoint of B (nothing to write).
    const crossed = await tenantTransaction(db.app, { organizationId: orgA }, (tx) =>
      emitWebhookEvent(tx, { organizationId: orgB, type: "thing.happened", data: {} }),
    );
    expect(crossed).toEqual({ eventId: null, deliveryIds: [] });
    await expect(
      tenantTransaction(db.app, { organizationId: orgA }, (tx) =>
        tx.webhookEvent.create({
          data: { organizationId: orgB, type: "thing.happened", data: {} },
        }),
      ),
    ).rejects.toThrow();
  });
});

describe("delivery", () => {
  it("signs by Standard Webhooks: the library's verify accepts it, a changed body fails", async () => {
    const org = await organization("d");
    const target = await endpoint(org, `${base}/signed`);
    scripts.set("/signed", [{ status: 200, body: "x".repeat(RESPONSE_BODY_LIMIT * 3) }]);
    const { deliveryIds, eventId } = await emit(org, { invoice: "in_1", total: 1200 });
    const attempt = await deliverWebhook(db.system, deliveryIds[0] ?? "", loopback);
    expect(attempt).toMatchObject({ attempt: 1, outcome: "succeeded", responseStatus: 200 });
    const request = received.find((entry) => entry.path === "/signed");
    if (!request) throw new Error("the receiver got nothing");
    const headers = {
      "webhook-id": String(request.headers["webhook-id"]),
      "webhook-timestamp": String(request.headers["webhook-timestamp"]),
      "webhook-signature": String(request.headers["webhook-signature"]),
    };
    expect(headers["webhook-id"]).toBe(eventId);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(target.secret).verify(request.body, headers)).toEqual({
      type: "thing.happened",
      timestamp: expect.any(String) as string,
      data: { invoice: "in_1", total: 1200 },
    });
    expect(() =>
      new Webhook(target.secret).verify(request.body.replace("1200", "9999"), headers),
    ).toThrow(WebhookVerificationError);
    const row = await db.system.webhookDelivery.findUniqueOrThrow({
      where: { id: deliveryIds[0] ?? "" },
    });
    expect(row).toMatchObject({
      status: "SUCCEEDED",
      attempts: 1,
      responseStatus: 200,
      error: null,
    });
    expect(row.responseBody).toHaveLength(RESPONSE_BODY_LIMIT);
    expect(row.durationMs).not.toBeNull();
    // Delivered once: the worker's job (already enqueued) finds nothing more to do.
    expect(await deliverWebhook(db.system, row.id, loopback)).toBeNull();
  });

  it("retries a 500 and a timeout on the backoff schedule, then succeeds", async () => {
    const org = await organization("d");
    await endpoint(org, `${base}/flaky`);
    scripts.set("/flaky", [{ status: 500, body: "boom" }, "hang", { status: 204 }]);
    const { deliveryIds } = await emit(org);
    const id = deliveryIds[0] ?? "";
    const t0 = new Date("2026-12-02T10:00:00Z");

    const first = await deliverWebhook(db.system, id, { ...loopback, now: () => t0 });
    expect(first).toMatchObject({ attempt: 1, outcome: "retrying", responseStatus: 500 });
    expect(first?.nextAttemptAt).toEqual(new Date(t0.getTime() + RETRY_DELAYS_MS[0]));
    expect(await db.system.webhookDelivery.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "PENDING",
      attempts: 1,
      responseStatus: 500,
      responseBody: "boom",
      error: "The endpoint answered 500",
    });
    // The next attempt is a job of its own, due when the schedule says.
    expect((await jobsFor(id)).map((job) => job.run_at)).toContainEqual(first?.nextAttemptAt);

    const t1 = new Date(t0.getTime() + 5_000);
    const second = await deliverWebhook(db.system, id, {
      ...loopback,
      now: () => t1,
      timeoutMs: 300,
    });
    expect(second).toMatchObject({ attempt: 2, outcome: "retrying", responseStatus: null });
    expect(second?.nextAttemptAt).toEqual(new Date(t1.getTime() + RETRY_DELAYS_MS[1]));
    expect((await db.system.webhookDelivery.findUniqueOrThrow({ where: { id } })).error).toBe(
      "Timed out after 300 ms",
    );

    const third = await deliverWebhook(db.system, id, loopback);
    expect(third).toMatchObject({ attempt: 3, outcome: "succeeded", responseStatus: 204 });
    const attempts = received.filter((entry) => entry.path === "/flaky");
    expect(attempts).toHaveLength(3);
    // One message: the same webhook-id on every attempt, each freshly signed.
    expect(new Set(attempts.map((entry) => entry.headers["webhook-id"])).size).toBe(1);
    expect(await db.system.webhookDelivery.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "SUCCEEDED",
      attempts: 3,
      nextAttemptAt: null,
    });
  });

  it("gives up after the last attempt (FAILED, nothing scheduled)", async () => {
    const org = await organization("d");
    await endpoint(org, `${base}/down`);
    scripts.set("/down", [{ status: 503 }]);
    const { deliveryIds } = await emit(org);
    const id = deliveryIds[0] ?? "";
    await db.system.webhookDelivery.update({ where: { id }, data: { attempts: MAX_ATTEMPTS - 1 } });
    const jobsBefore = (await jobsFor(id)).length;
    const last = await deliverWebhook(db.system, id, loopback);
    expect(last).toMatchObject({ attempt: MAX_ATTEMPTS, outcome: "failed", nextAttemptAt: null });
    expect(await db.system.webhookDelivery.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "FAILED",
      responseStatus: 503,
    });
    expect(await jobsFor(id)).toHaveLength(jobsBefore);
  });

  it("schedules with ±20% jitter over about a day", () => {
    const now = new Date("2026-12-02T00:00:00Z");
    RETRY_DELAYS_MS.forEach((delay, index) => {
      const low = nextAttemptAt(index + 1, now, () => 0)?.getTime();
      const high = nextAttemptAt(index + 1, now, () => 1)?.getTime();
      expect(low).toBe(now.getTime() + Math.round(delay * (1 - JITTER)));
      expect(high).toBe(now.getTime() + Math.round(delay * (1 + JITTER)));
    });
    expect(nextAttemptAt(MAX_ATTEMPTS, now)).toBeNull();
    const total = RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeGreaterThan(20 * 3_600_000);
    expect(total).toBeLessThan(26 * 3_600_000);
  });

  it("410 Gone disables the endpoint; it gets no further deliveries", async () => {
    const org = await organization("d");
    const gone = await endpoint(org, `${base}/gone`);
    scripts.set("/gone", [{ status: 410, body: "no such hook" }]);
    const { deliveryIds } = await emit(org);
    const attempt = await deliverWebhook(db.system, deliveryIds.find(Boolean) ?? "", loopback);
    expect(attempt).toMatchObject({
      outcome: "disabled",
      responseStatus: 410,
      nextAttemptAt: null,
    });
    expect(
      await db.system.webhookEndpoint.findUniqueOrThrow({
        where: { id: gone.id },
        select: { enabled: true, disabledReason: true },
      }),
    ).toEqual({ enabled: false, disabledReason: "The endpoint answered 410 Gone" });
    const next = await emit(org);
    const targets = await db.system.webhookDelivery.findMany({
      where: { id: { in: next.deliveryIds } },
      select: { endpointId: true },
    });
    expect(targets.map((row) => row.endpointId)).not.toContain(gone.id);
  });

  it("replays a delivery as a new one carrying the same message", async () => {
    const org = await organization("d");
    await endpoint(org, `${base}/replay`);
    scripts.set("/replay", [{ status: 400 }, { status: 200 }]);
    const { deliveryIds } = await emit(org, { replayed: true });
    const id = deliveryIds[0] ?? "";
    await db.system.webhookDelivery.update({ where: { id }, data: { attempts: MAX_ATTEMPTS - 1 } });
    expect((await deliverWebhook(db.system, id, loopback))?.outcome).toBe("failed");
    const original = await db.system.webhookDelivery.findUniqueOrThrow({ where: { id } });
    const replayId = await tenantTransaction(db.app, { organizationId: org }, (tx) =>
      replayDelivery(tx, original),
    );
    expect(await jobsFor(replayId)).toHaveLength(1);
    expect((await deliverWebhook(db.system, replayId, loopback))?.outcome).toBe("succeeded");
    const replay = await db.system.webhookDelivery.findUniqueOrThrow({ where: { id: replayId } });
    expect(replay).toMatchObject({
      replayOfId: id,
      eventId: original.eventId,
      status: "SUCCEEDED",
      attempts: 1,
    });
    const sent = received.filter((entry) => entry.path === "/replay");
    expect(sent.map((entry) => entry.headers["webhook-id"])).toEqual([
      original.eventId,
      original.eventId,
    ]);
  });

  it("counts outcomes in the metrics counter", async () => {
    const values = (await webhookDeliveries.get()).values;
    const count = (outcome: string) =>
      values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
    expect(count("succeeded")).toBeGreaterThanOrEqual(3);
    expect(count("retrying")).toBeGreaterThanOrEqual(2);
    expect(count("disabled")).toBe(1);
  });
});

describe("the SSRF guard", () => {
  it("knows public from private, loopback, link-local and mapped addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fc00::1",
      "::ffff:127.0.0.1",
      "[::1]",
      "not-an-ip",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it("refuses loopback destinations, by literal and by name resolved at connect, without retrying", async () => {
    const port = (receiver.address() as AddressInfo).port;
    const urls = [
      `http://127.0.0.1:${port}/ssrf-literal`,
      `http://localhost:${port}/ssrf-name`,
      `http://[::1]:${port}/ssrf-v6`,
      `http://169.254.169.254/latest/meta-data`,
    ];
    for (const url of urls) await endpoint(orgB, url, ["webhook.test"]);
    const emitted = await tenantTransaction(db.app, { organizationId: orgB }, (tx) =>
      emitWebhookEvent(tx, { organizationId: orgB, type: "webhook.test", data: {} }),
    );
    expect(emitted.deliveryIds).toHaveLength(urls.length);
    for (const id of emitted.deliveryIds) {
      const attempt = await deliverWebhook(db.system, id, { allowPrivateNetworks: false });
      expect(attempt).toMatchObject({ outcome: "refused", nextAttemptAt: null });
      const row = await db.system.webhookDelivery.findUniqueOrThrow({ where: { id } });
      expect(row.status).toBe("FAILED");
      expect(row.error).toMatch(/^Refused: .* is a private, loopback or link-local address/);
    }
    expect(received.filter((entry) => entry.path.startsWith("/ssrf"))).toEqual([]);
  });
});

describe("the signing secret", () => {
  it("is kept encrypted in the vault, never in the endpoint row", async () => {
    const target = await endpoint(orgA, `${base}/secret`);
    expect(target.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(await readSigningSecret(db.system, target)).toBe(target.secret);
    const [rows] = await db.system.$queryRaw<{ endpoint: string; vault: string }[]>`
      SELECT (SELECT to_jsonb(e)::text FROM webhook_endpoints e WHERE e.id = ${target.id}) AS endpoint,
             (SELECT to_jsonb(v)::text FROM vault_secrets v
               WHERE v.name = ${`webhooks.endpoint.${target.id}`}) AS vault`;
    const key = target.secret.slice("whsec_".length);
    expect(rows?.endpoint).not.toContain(key);
    expect(rows?.vault).toBeTruthy();
    expect(rows?.vault).not.toContain(key);
  });
});
