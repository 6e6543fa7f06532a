// Outbound webhook management through the product's router on a real PostgreSQL and a
// loopback receiver: the signing secret is answered once (create, rotate) and signs what the
// receiver gets; lists never carry it; owners/admins only; only declared event types; the
// test event, the delivery log (status filter, pages) and replay; an audit entry per change.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { TRPCError } from "@plinth/trpc/testing";
import { deliverWebhook, verifyWebhook } from "@plinth/webhooks";
import { addMember, callerFor, createOrganization, createUser, product } from "./kit.ts";

let db: TestDatabase;
let receiver: http.Server;
let url: string;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  receiver = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(received.length === 1 ? 500 : 200).end("thanks");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await db.drop();
});

function verify(secret: string, message: (typeof received)[number]) {
  // The Standard Webhooks library's verify (wrapped by @plinth/webhooks for receivers).
  return verifyWebhook(secret, message.body, {
    "webhook-id": String(message.headers["webhook-id"]),
    "webhook-timestamp": String(message.headers["webhook-timestamp"]),
    "webhook-signature": String(message.headers["webhook-signature"]),
  });
}

describe("webhook management", () => {
  it("manages endpoints, shows the secret once, delivers, replays and audits", async () => {
    const owner = await createUser(db, "owner@hooks.test");
    const org = await createOrganization(db, owner, "Hooks");
    const member = await createUser(db, "member@hooks.test");
    await addMember(db, org.id, member, "MEMBER");
    const caller = callerFor(db, owner);
    const organizationId = org.id;

    const types = await caller.webhook.eventTypes({ organizationId });
    expect(types).toEqual(
      Object.entries(product.webhookEvents).map(([type, declared]) => ({
        type,
        description: declared.description,
        module: declared.module,
      })),
    );
    expect(types.map((entry) => entry.type)).toContain("webhook.test");

    await expect(
      caller.webhook.create({ organizationId, url, eventTypes: ["nobody.declared"] }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(callerFor(db, member).webhook.list({ organizationId })).rejects.toBeInstanceOf(
      TRPCError,
    );

    const created = await caller.webhook.create({
      organizationId,
      url,
      description: "Ops",
      eventTypes: ["webhook.test"],
    });
    expect(created.signingSecret).toMatch(/^whsec_/);
    expect(created.endpoint).toMatchObject({ url, description: "Ops", enabled: true });
    const listed = JSON.stringify(await caller.webhook.list({ organizationId }));
    expect(listed).toContain(created.endpoint.id);
    expect(listed).not.toContain(created.signingSecret);
    expect(listed).not.toContain(created.signingSecret.slice(6, 20));

    // The test event: the first attempt gets a 500 (retrying), a replay succeeds.
    const test = await caller.webhook.sendTest({ organizationId, endpointId: created.endpoint.id });
    expect(test).toMatchObject({ eventType: "webhook.test", status: "pending", attempts: 0 });
    const options = { allowPrivateNetworks: true } as const;
    expect((await deliverWebhook(db.system, test.id, options))?.outcome).toBe("retrying");
    expect(verify(created.signingSecret, received[0] ?? { headers: {}, body: "" })).toMatchObject({
      type: "webhook.test",
      data: { endpointId: created.endpoint.id },
    });
    const replay = await caller.webhook.replay({ organizationId, deliveryId: test.id });
    expect(replay).toMatchObject({ replayOfId: test.id, eventId: test.eventId, status: "pending" });

    // Rotation: a new secret signs from now on; the old one no longer verifies.
    const rotated = await caller.webhook.rotateSecret({
      organizationId,
      endpointId: created.endpoint.id,
    });
    expect(rotated.signingSecret).not.toBe(created.signingSecret);
    expect((await deliverWebhook(db.system, replay.id, options))?.outcome).toBe("succeeded");
    const second = received[1] ?? { headers: {}, body: "" };
    expect(verify(rotated.signingSecret, second)).toMatchObject({ type: "webhook.test" });
    expect(() => verify(created.signingSecret, second)).toThrow();

    // The log: newest first, filtered by status, in pages.
    const all = await caller.webhook.deliveries({ organizationId, limit: 1 });
    expect(all.items.map((item) => item.id)).toEqual([replay.id]);
    expect(all.nextCursor).toBe(replay.id);
    const next = await caller.webhook.deliveries({
      organizationId,
      limit: 1,
      cursor: all.nextCursor,
    });
    expect(next.items.map((item) => item.id)).toEqual([test.id]);
    const succeeded = await caller.webhook.deliveries({ organizationId, status: "succeeded" });
    expect(succeeded.items).toEqual([
      expect.objectContaining({ id: replay.id, responseStatus: 200, responseBody: "thanks" }),
    ]);

    const updated = await caller.webhook.update({
      organizationId,
      endpointId: created.endpoint.id,
      enabled: false,
      eventTypes: ["webhook.test"],
    });
    expect(updated.enabled).toBe(false);
    await caller.webhook.delete({ organizationId, endpointId: created.endpoint.id });
    expect(await caller.webhook.list({ organizationId })).toEqual([]);
    expect(
      await db.system.vaultSecret.count({
        where: { organizationId, name: { startsWith: "webhooks." } },
      }),
    ).toBe(0);

    const audit = await db.system.auditLog.findMany({
      where: { organizationId, action: { startsWith: "webhook" } },
      orderBy: { createdAt: "asc" },
      select: { action: true, changes: true },
    });
    expect(audit.map((entry) => entry.action)).toEqual([
      "webhook_endpoint.created",
      "webhook_endpoint.test_sent",
      "webhook_delivery.replayed",
      "webhook_endpoint.secret_rotated",
      "webhook_endpoint.updated",
      "webhook_endpoint.deleted",
    ]);
    expect(JSON.stringify(audit)).not.toContain(created.signingSecret);
    expect(JSON.stringify(audit)).not.toContain(rotated.signingSecret);
  });
});
