// Webhook intake throughput: signed Stripe deliveries accepted per second through the handler
// of POST /api/webhooks/stripe (createStripeWebhookHandler: Request → raw body → signature
// verification + zod → one SQL statement: the inbox INSERT and, for a new event, the
// graphile-worker add_job)
// against an embedded PostgreSQL, with ~16 deliveries in flight.
//   pnpm --filter @plinth/billing bench   [BENCH_DELIVERIES=5000 BENCH_CONCURRENCY=16]
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { createDatabase, createPrismaClient, systemClient } from "@plinth/db";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import { installJobSchema } from "@plinth/jobs";
import { createStripeWebhookHandler } from "../src/stripe/webhook-route.ts";
import type { BillingDb } from "../src/stripe/deps.ts";

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DUPLICATE_SHARE = 0.1;
const secret = `whsec_${randomBytes(16).toString("hex")}`;

function subscriptionEvent(customer: string, index: number) {
  return {
    id: `evt_bench_${index}_${randomBytes(6).toString("hex")}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "customer.subscription.updated",
    data: {
      object: {
        id: `sub_bench_${index}`,
        object: "subscription",
        customer,
        status: "active",
        cancel_at_period_end: false,
        items: {
          object: "list",
          data: [
            {
              id: `si_${index}`,
              object: "subscription_item",
              price: { id: "price_x", lookup_key: "plinth_pro_month" },
            },
          ],
        },
        metadata: {},
      },
      previous_attributes: { status: "past_due" },
    },
  };
}

async function run(label: string, system: BillingDb["system"], customers: string[]) {
  // Pre-signed deliveries (signing is Stripe's cost, not ours); ~10% are redeliveries.
  const deliveries: { rawBody: string; signature: string }[] = [];
  for (let i = 0; i < DELIVERIES; i++) {
    const previous = deliveries[i - 1];
    if (previous && i % Math.round(1 / DUPLICATE_SHARE) === 0) {
      deliveries.push(previous);
      continue;
    }
    const rawBody = JSON.stringify(
      subscriptionEvent(customers[i % customers.length] ?? "cus_x", i),
    );
    deliveries.push({
      rawBody,
      signature: Stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret }),
    });
  }
  const handle = createStripeWebhookHandler(() => ({ db: { system }, secret }));
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const delivery = deliveries[next++];
        if (!delivery) return;
        const result = await handle(
          new Request("http://localhost/api/webhooks/stripe", {
            method: "POST",
            body: delivery.rawBody,
            headers: { "content-type": "application/json", "stripe-signature": delivery.signature },
          }),
        );
        await result.arrayBuffer();
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const enqueued = await system.$queryRaw<
    { n: bigint }[]
  >`SELECT count(*) AS n FROM graphile_worker._private_jobs`;
  const rate = DELIVERIES / seconds;
  console.log(
    `${label}: ${DELIVERIES} deliveries in ${seconds.toFixed(2)} s = ${Math.round(rate)} deliveries/s ` +
      `(concurrency ${CONCURRENCY}; statuses ${JSON.stringify(Object.fromEntries(statuses))}; jobs queued ${enqueued[0]?.n ?? 0n})`,
  );
  return rate;
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-pg-"));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  try {
    await ensureDatabase(server.serverUrl, "bench");
    const url = server.urlFor("bench");
    await migrate(url);
    await installJobSchema(url);
    const database = createDatabase(url);
    const db = { system: systemClient(database, "bench: webhook intake, as the web route") };
    const customers: string[] = [];
    for (let i = 0; i < 200; i++) {
      const customer = `cus_bench_${i}`;
      await db.system.organization.create({
        data: { name: `Bench ${i}`, slug: `bench-${i}`, stripeCustomerId: customer },
      });
      customers.push(customer);
    }
    // Warm-up (JIT, connections), not counted.
    await run("warm-up", db.system, customers);
    await db.system.stripeEvent.deleteMany();
    await db.system.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    const production = await run("createDatabase() system client (pool 8)", db.system, customers);
    await db.system.stripeEvent.deleteMany();
    await db.system.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    const wide = createPrismaClient(url, { role: "system", poolMax: CONCURRENCY });
    const widePool = await run(`system client with pool ${CONCURRENCY}`, wide, customers);
    const stored = await db.system.stripeEvent.count();
    const resolved = await db.system.stripeEvent.count({
      where: { organizationId: { not: null } },
    });
    console.log(`inbox rows: ${stored} (organization resolved on ${resolved})`);
    console.log(
      `RESULT webhook deliveries/s: ${Math.round(production)} (pool 8), ${Math.round(widePool)} (pool ${CONCURRENCY})`,
    );
    await wide.$disconnect();
    await database.disconnect();
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
