// Outbound webhooks through the real worker: an emitted event's `webhook.deliver` job is
// picked up, a 500 schedules the next attempt as a job of its own (due by the backoff
// schedule), and when that job comes due the delivery succeeds — signed so that the Standard
// Webhooks library verifies it; the worker's /metrics counts both outcomes.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantTransaction } from "@plinth/db";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { installJobSchema } from "@plinth/jobs";
import { emitWebhookEvent, issueSigningSecret, verifyWebhook } from "@plinth/webhooks";
import { startTestWorker, waitFor, type TestWorker } from "./helpers.ts";

let db: TestDatabase;
let worker: TestWorker | undefined;
let receiver: http.Server;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
const previous = process.env.WEBHOOKS_ALLOW_PRIVATE_NETWORKS;

beforeAll(async () => {
  // The receiver is on loopback (development and tests allow private destinations).
  process.env.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = "true";
  db = await createTestDatabase();
  await installJobSchema(db.url);
  receiver = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(received.length === 1 ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await worker?.stop();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  await db.drop();
  if (previous === undefined) delete process.env.WEBHOOKS_ALLOW_PRIVATE_NETWORKS;
  else process.env.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = previous;
});

describe("webhook.deliver in the worker", () => {
  it("delivers, retries a 500 by a scheduled job, then succeeds", async () => {
    const organizationId = randomUUID();
    await db.system.organization.create({
      data: { id: organizationId, name: "Hooks", slug: "hooks-worker" },
    });
    const port = (receiver.address() as AddressInfo).port;
    const endpoint = await db.system.webhookEndpoint.create({
      data: { organizationId, url: `http://127.0.0.1:${port}/in`, eventTypes: ["webhook.test"] },
      select: { id: true, organizationId: true },
    });
    const secret = await issueSigningSecret(db.system, endpoint);
    const { deliveryIds } = await tenantTransaction(db.app, { organizationId }, (tx) =>
      emitWebhookEvent(tx, { organizationId, type: "webhook.test", data: { hello: "worker" } }),
    );
    const id = deliveryIds[0] ?? "";
    worker = await startTestWorker(db, { metricsPort: 0 });

    const retrying = await waitFor(
      async () => {
        const row = await db.system.webhookDelivery.findUniqueOrThrow({ where: { id } });
        return row.attempts === 1 && row.nextAttemptAt ? row : null;
      },
      { what: "the first attempt" },
    );
    expect(retrying).toMatchObject({ status: "PENDING", responseStatus: 500 });
    const [scheduled] = await db.system.$queryRaw<{ id: bigint; run_at: Date }[]>`
      SELECT id, run_at FROM graphile_worker._private_jobs
      WHERE payload->>'deliveryId' = ${id} AND attempts = 0`;
    expect(scheduled?.run_at).toEqual(retrying.nextAttemptAt);

    // Time passes: the retry comes due now instead of in ~5 s.
    await db.system.$executeRaw`
      UPDATE graphile_worker._private_jobs SET run_at = now() WHERE id = ${scheduled?.id}`;
    const done = await waitFor(
      async () => {
        const row = await db.system.webhookDelivery.findUniqueOrThrow({ where: { id } });
        return row.status === "SUCCEEDED" ? row : null;
      },
      { what: "the second attempt" },
    );
    expect(done).toMatchObject({ attempts: 2, responseStatus: 200, nextAttemptAt: null });
    expect(received).toHaveLength(2);
    // The worker's /metrics counts the outcomes (this process: these two attempts only).
    const metrics = await (await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`)).text();
    expect(metrics).toContain('webhook_deliveries_total{outcome="retrying"} 1');
    expect(metrics).toContain('webhook_deliveries_total{outcome="succeeded"} 1');
    const last = received[1];
    expect(
      verifyWebhook(secret, last?.body ?? "", {
        "webhook-id": String(last?.headers["webhook-id"]),
        "webhook-timestamp": String(last?.headers["webhook-timestamp"]),
        "webhook-signature": String(last?.headers["webhook-signature"]),
      }),
    ).toMatchObject({ type: "webhook.test", data: { hello: "worker" } });
  });
});
