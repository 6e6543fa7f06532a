// Time from an accepted `customer.subscription.updated` to the organization's new
// entitlements, with the real worker running (graphile-worker runner, Plinth's handlers):
//   webhook handler of POST /api/webhooks/stripe (signature, inbox row + job in one statement)
//   → worker picks the job (LISTEN/NOTIFY) → processStripeEvent re-reads the customer's
//   subscriptions from Stripe (the fake server on loopback, real SDK) and writes the row
//   → resolveEntitlements on the organization shows the new plan.
//   pnpm --filter @plinth/worker bench:billing   (BENCH_CHANGES=200, DATABASE_URL optional)
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { resolveEntitlements } from "@plinth/billing";
import { syncCatalog } from "@plinth/billing/stripe/catalog-sync";
import { ensureStripeCustomer } from "@plinth/billing/stripe/customers";
import { createStripeWebhookHandler } from "@plinth/billing/stripe/webhook-route";
import { startStripeTestServer } from "@plinth/billing/testing/stripe-server";
import { createDatabase } from "@plinth/db";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import { installJobSchema } from "@plinth/jobs";
import { createLogger } from "@plinth/core/logger";
import { startWorker } from "../src/worker.ts";

const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const ORGS = 20;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-billing-"));
const pg = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir, persistent: false });
const url = process.env.DATABASE_URL ?? pg!.urlFor("bench_billing");
if (pg) await ensureDatabase(pg.serverUrl, "bench_billing");
await migrate(url);
await installJobSchema(url);
const db = createDatabase(url);
const stripeServer = await startStripeTestServer();
const stripe = stripeServer.client();
await syncCatalog(stripe);
const worker = await startWorker({
  databaseUrl: url,
  concurrency: 4,
  cron: null,
  logger: createLogger({ level: "warn" }),
  billing: { stripe, pastDueGraceDays: 7 },
});
const handle = createStripeWebhookHandler(() => ({ db, secret: stripeServer.webhookSecret }));

async function post(event: (typeof stripeServer.events)[number]) {
  const { rawBody, signature } = stripeServer.signed(event);
  const response = await handle(
    new Request("http://localhost/api/webhooks/stripe", {
      method: "POST",
      body: rawBody,
      headers: { "stripe-signature": signature },
    }),
  );
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
}

async function planOf(organizationId: string): Promise<string> {
  const org = await db.system.organization.findUniqueOrThrow({
    where: { id: organizationId },
    include: { subscription: true },
  });
  return resolveEntitlements({
    organization: org,
    subscription: org.subscription,
    now: new Date(),
    pastDueGraceDays: 7,
  }).plan.key;
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

try {
  const price = (lookupKey: string) =>
    String([...stripeServer.prices.values()].find((p) => p.lookup_key === lookupKey)?.id);
  const orgs: { id: string; subscriptionId: string; plan: "pro" | "enterprise" }[] = [];
  for (let i = 0; i < ORGS; i++) {
    const org = await db.system.organization.create({
      data: { name: `Bench ${i}`, slug: `bench-${i}` },
    });
    const customer = await ensureStripeCustomer({ db, stripe }, org.id);
    const { subscriptionId, events } = stripeServer.createSubscription(customer, [
      "plinth_pro_month",
    ]);
    for (const event of events) await post(event);
    orgs.push({ id: org.id, subscriptionId, plan: "pro" });
  }
  for (const org of orgs) await until(async () => (await planOf(org.id)) === "pro");

  const fromPost: number[] = [];
  const fromAccepted: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const org = orgs[i % ORGS]!;
    const target = org.plan === "pro" ? "enterprise" : "pro";
    const item = stripeServer.subscriptions.get(org.subscriptionId)!.items[0]!;
    await stripe.subscriptions.update(org.subscriptionId, {
      items: [{ id: item.id, price: price(`plinth_${target}_month`) }],
      proration_behavior: "none",
    });
    const event = stripeServer.events
      .filter((e) => e.type === "customer.subscription.updated")
      .at(-1)!;
    const t0 = performance.now();
    await post(event);
    const accepted = performance.now();
    await until(async () => (await planOf(org.id)) === target);
    const done = performance.now();
    fromPost.push(done - t0);
    fromAccepted.push(done - accepted);
    org.plan = target;
  }
  fromPost.sort((a, b) => a - b);
  fromAccepted.sort((a, b) => a - b);
  const fmt = (xs: number[]) =>
    `p50 ${percentile(xs, 50).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms, max ${xs.at(-1)?.toFixed(1)} ms`;
  console.log(
    `${CHANGES} plan changes (pro ⇄ enterprise) across ${ORGS} organizations, worker concurrency 4`,
  );
  console.log(`  webhook POST start → new entitlements: ${fmt(fromPost)}`);
  console.log(`  webhook accepted (200) → new entitlements: ${fmt(fromAccepted)}`);
  console.log(
    `RESULT subscription.updated → entitlements: p50 ${percentile(fromPost, 50).toFixed(1)} ms, p99 ${percentile(fromPost, 99).toFixed(1)} ms`,
  );
} finally {
  await worker.stop();
  await stripeServer.close();
  await db.disconnect();
  // Stopping the throw-away cluster terminates connections a library still keeps idle
  // (57P01, "terminating connection due to administrator command"): expected here.
  process.on("uncaughtException", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") throw error;
  });
  if (pg) await pg.stop();
  await rm(dataDir, { recursive: true, force: true });
}
