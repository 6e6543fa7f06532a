// Endpoint-priced invoice lines end to end: a buyer calls priced catalog endpoints through the
// real gateway (loopback upstream, real PostgreSQL), the rollup job folds the events, and the
// organization's upcoming invoice lists one line per endpoint (calls, units, cost = per-call
// price + units × per-unit price, rounded once per line half up to the cent) — on the local
// provider, and on Stripe (the real SDK against the local Stripe test server) as pending
// invoice items of the subscription that Stripe's own invoice preview carries, kept in step
// (updated, not duplicated) as usage grows. Hybrid's included units come off as a credit.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyEntry } from "@plinth/vault";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

const { createCatalogExtension } = await import("@plinth/api-catalog/gateway");
const { sealSecret } = await import("@plinth/api-catalog/secret");
const { rollupUsage } = await import("@plinth/metering");
const { syncCatalog } = await import("@plinth/billing/stripe/catalog-sync");
const { ensureStripeCustomer } = await import("@plinth/billing/stripe/customers");
const { lookupKeysFor } = await import("@plinth/billing/stripe/prices");
const { syncStripeCustomer } = await import("@plinth/billing/stripe/sync");
const { reportUsage } = await import("@plinth/billing/stripe/usage");
const { reportUsageJob } = await import("@plinth/billing/stripe/jobs");
const { productUsageLines } = await import("@plinth/platform/billing");
const { microCentsToCents } = await import("@plinth/billing/usage-lines");
const { startStripeTestServer } = await import("@plinth/billing/testing/stripe-server");
const { createAppRouter } = await import("@plinth/trpc");
const { createTestKit, LOCAL_BILLING, silentLogger } = await import("@plinth/trpc/testing");
const kit = await import("./kit.ts");
const { createGatewayRuntime } = await import("../src/runtime.ts");
const { productRoutes } = await import("@plinth/product/http");

type TestDatabase = Awaited<ReturnType<typeof kit.startDatabase>>;
type GatewayRuntime = Awaited<ReturnType<typeof createGatewayRuntime>>;
type StripeServer = Awaited<ReturnType<typeof startStripeTestServer>>;

const trpc = createTestKit(kit.product, createAppRouter(kit.product, {}));

let db: TestDatabase;
let gateway: GatewayRuntime;
let upstream: Server;
let stripeServer: StripeServer;

// Prices chosen so that rounding matters: 333 333 µ¢ a call (0.333333 ¢), 13 500 µ¢ a token.
const PER_CALL = 333_333n;
const TOKEN_CALL = 10_000n;
const PER_TOKEN = 13_500n;
const TOKENS = 37;

function startUpstream(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      if ((request.url ?? "").startsWith("/base/complete")) {
        response.writeHead(200, {
          "content-type": "application/json",
          "x-usage-units": `${TOKENS}`,
        });
        return response.end("{}");
      }
      if ((request.url ?? "").startsWith("/base/fail")) {
        response.writeHead(502, { "content-type": "application/json" });
        return response.end("{}");
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: true }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  [db, stripeServer] = await Promise.all([kit.startDatabase(), startStripeTestServer()]);
  upstream = await startUpstream();
  const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/base`;
  const product = await db.system.apiProduct.create({
    data: { slug: "maps", name: "Maps", upstreamBaseUrl: base },
    select: { id: true },
  });
  await db.system.apiProduct.update({
    where: { id: product.id },
    data: sealSecret(product.id, "upstream-secret-invoice-0001"),
  });
  await db.system.apiEndpoint.createMany({
    data: [
      {
        productId: product.id,
        method: "GET",
        path: "/geocode/{q}",
        upstreamPath: "/geocode/{q}",
        summary: "Geocode",
        pricePerCallMicroCents: PER_CALL,
      },
      {
        productId: product.id,
        method: "POST",
        path: "/complete",
        upstreamPath: "/complete",
        summary: "Complete",
        pricePerCallMicroCents: TOKEN_CALL,
        pricePerUnitMicroCents: PER_TOKEN,
        unitsRule: "HEADER",
        unitsHeader: "x-usage-units",
      },
      {
        productId: product.id,
        method: "GET",
        path: "/free",
        upstreamPath: "/free",
        summary: "Free",
      },
      {
        productId: product.id,
        method: "GET",
        path: "/fail",
        upstreamPath: "/fail",
        summary: "Fails",
        pricePerCallMicroCents: PER_CALL,
      },
    ],
  });
  await syncCatalog(stripeServer.client(), kit.product.catalog);
  gateway = await createGatewayRuntime({
    database: db,
    databaseUrl: db.url,
    product: kit.product,
    routes: productRoutes(kit.product),
    extensions: [createCatalogExtension()],
    logger: silentLogger,
    billing: LOCAL_BILLING,
    flushIntervalMs: 20,
    ipRateLimit: 1_000,
    organizationCacheMs: 0,
  });
});

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  await Promise.all([db?.drop(), stripeServer?.close()]);
});

const DAY = 86_400_000;

/** A buyer on `plan` whose period started yesterday, with a key. */
async function buyer(plan: string) {
  const { owner, organization } = await kit.createOrganization(db, plan);
  const now = Date.now();
  await db.system.subscription.update({
    where: { organizationId: organization.id },
    data: {
      interval: "MONTH",
      currentPeriodStart: new Date(now - DAY),
      currentPeriodEnd: new Date(now + 29 * DAY),
    },
  });
  const key = await kit.issueKey(db, organization.id, { scopes: ["apis:call", "usage:read"] });
  return { owner, organization, key: key.key };
}

/** `geocode` GET calls and `complete` POST calls (TOKENS units each), plus a free and a 502 one. */
async function callApis(key: string, geocode: number, complete: number) {
  for (let i = 0; i < geocode; i++) {
    expect((await kit.call(gateway, `/api/v1/maps/geocode/q${i}`, { key })).status).toBe(200);
  }
  for (let i = 0; i < complete; i++) {
    const response = await kit.call(gateway, "/api/v1/maps/complete", {
      key,
      method: "POST",
      body: { prompt: i },
    });
    expect(response.status).toBe(200);
  }
  expect((await kit.call(gateway, "/api/v1/maps/free", { key })).status).toBe(200);
  expect((await kit.call(gateway, "/api/v1/maps/fail", { key })).status).toBe(502);
  await gateway.writer.flush();
  await rollupUsage(db.system);
}

/** What the lines must say, counted from the recorded events with SQL (not the rollups). */
async function expectedFromEvents(organizationId: string) {
  const rows = await db.system.$queryRaw<
    { method: string; route: string; calls: bigint; units: bigint; cost: bigint }[]
  >`
    SELECT method, route, count(*)::bigint AS calls, sum(quantity)::bigint AS units,
           sum(cost_micro_cents)::bigint AS cost
    FROM usage_events
    WHERE organization_id = ${organizationId} AND meter = 'api.units' AND route IS NOT NULL
    GROUP BY method, route HAVING sum(cost_micro_cents) > 0 ORDER BY method, route`;
  return rows;
}

describe("local provider", () => {
  it("pay as you go: one line per priced endpoint, cost = units × price, rounded per line", async () => {
    const { owner, organization, key } = await buyer("payg");
    await callApis(key, 7, 3);
    const invoice = await trpc
      .callerFor(db, owner)
      .billing.upcomingInvoice({ organizationId: organization.id });
    expect(invoice).toMatchObject({ provider: "local", currency: "usd" });
    expect(invoice?.lines).toEqual([
      {
        kind: "usage",
        description: "Maps: GET /api/v1/maps/geocode/{q}",
        amount: 2, // 7 × 333 333 µ¢ = 2.333331 ¢, down
        quantity: null,
        calls: 7,
        units: 7,
      },
      {
        kind: "usage",
        description: "Maps: POST /api/v1/maps/complete",
        // 3 × (10 000 + 37 × 13 500) µ¢ = 1.5285 ¢, up — rounding each call would give 3 ¢.
        amount: 2,
        quantity: null,
        calls: 3,
        units: 3 * TOKENS,
      },
    ]);
    expect(invoice?.usageAmount).toBe(4);
    expect(invoice?.total).toBe(4);
    // The lines agree with the events themselves (the 502 call and the free one cost nothing).
    const events = await expectedFromEvents(organization.id);
    expect(events.map((row) => [Number(row.calls), Number(row.units), row.cost])).toEqual([
      [7, 7, 7n * PER_CALL],
      [3, 3 * TOKENS, 3n * (TOKEN_CALL + BigInt(TOKENS) * PER_TOKEN)],
    ]);
    expect(invoice?.lines.map((line) => line.amount)).toEqual(
      events.map((row) => microCentsToCents(row.cost)),
    );
  });

  it("hybrid: the fee for the next period, the usage lines and the included units' credit", async () => {
    const { owner, organization, key } = await buyer("hybrid");
    await db.system.subscriptionItem.create({
      data: {
        organizationId: organization.id,
        subscriptionId: (
          await db.system.subscription.findUniqueOrThrow({
            where: { organizationId: organization.id },
          })
        ).id,
        itemKey: "hybrid",
        quantity: 1,
        unitAmount: 4_900,
      },
    });
    await callApis(key, 4, 1);
    const invoice = await trpc
      .callerFor(db, owner)
      .billing.upcomingInvoice({ organizationId: organization.id });
    // 4 + 37 (+ 1 free, 0 for the 502) units: all within hybrid's included 50 000.
    const units = 4 + TOKENS + 1;
    const cost = 4n * PER_CALL + TOKEN_CALL + BigInt(TOKENS) * PER_TOKEN;
    expect(invoice?.lines.map((line) => [line.kind, line.amount, line.units])).toEqual([
      ["subscription", 4_900, null],
      ["usage", microCentsToCents(4n * PER_CALL), 4],
      ["usage", microCentsToCents(TOKEN_CALL + BigInt(TOKENS) * PER_TOKEN), TOKENS],
      ["included", -microCentsToCents(cost), -units],
    ]);
    expect(invoice?.usageAmount).toBe(0);
    expect(invoice?.total).toBe(4_900);
  });

  it("nothing to invoice without a paid subscription (trial): null", async () => {
    const { owner, organization } = await kit.createOrganization(db, "trial");
    expect(
      await trpc.callerFor(db, owner).billing.upcomingInvoice({ organizationId: organization.id }),
    ).toBeNull();
  });
});

describe("Stripe", () => {
  it("the usage lines become pending invoice items on Stripe's own preview, updated as usage grows", async () => {
    const { owner, organization, key } = await buyer("payg");
    const stripe = stripeServer.client();
    const deps = { db, stripe, catalog: kit.product.catalog };
    const customerId = await ensureStripeCustomer(deps, organization.id);
    const payg = kit.product.catalog.getPlan("payg");
    if (!payg) throw new Error("no payg plan");
    const { subscriptionId } = stripeServer.createSubscription(
      customerId,
      lookupKeysFor(payg, "month"),
      { metadata: { organizationId: organization.id, plinth_plan: "payg" } },
    );
    await syncStripeCustomer(deps, { organizationId: organization.id, customerId });
    const billing = { stripe, appUrl: "http://app.test", pastDueGraceDays: 7 };
    const api = trpc.callerFor(db, owner, { billing });

    await callApis(key, 7, 3);
    const first = await api.billing.upcomingInvoice({ organizationId: organization.id });
    expect(first).toMatchObject({ provider: "stripe", usageAmount: 4 });
    expect(
      first?.lines
        .filter((line) => line.kind === "usage")
        .map((line) => [line.description, line.amount, line.calls, line.units]),
    ).toEqual([
      ["Maps: GET /api/v1/maps/geocode/{q}", 2, 7, 7],
      ["Maps: POST /api/v1/maps/complete", 2, 3, 3 * TOKENS],
    ]);
    const items = () =>
      [...stripeServer.invoiceItems.values()].filter((item) => item.customer === customerId);
    expect(items().map((item) => [item.amount, item.metadata?.plinth_cost_micro_cents])).toEqual([
      [2, (7n * PER_CALL).toString()],
      [2, (3n * (TOKEN_CALL + BigInt(TOKENS) * PER_TOKEN)).toString()],
    ]);
    expect(
      items().every((item) => item.parent?.subscription_details?.subscription === subscriptionId),
    ).toBe(true);

    // Asked again: nothing new at Stripe. More calls: the same items, updated.
    const created = () =>
      stripeServer.requests.filter((r) => r.method === "POST" && r.path === "/v1/invoiceitems")
        .length;
    const before = created();
    await api.billing.upcomingInvoice({ organizationId: organization.id });
    expect(created()).toBe(before);
    await callApis(key, 3, 0);
    const second = await api.billing.upcomingInvoice({ organizationId: organization.id });
    expect(created()).toBe(before);
    expect(items()).toHaveLength(2);
    // 10 × 333 333 µ¢ = 3.33333 ¢ → 3 ¢.
    expect(second?.lines.find((line) => line.calls === 10)).toMatchObject({ amount: 3, units: 10 });
    expect(second?.total).toBe(5);

    // The api.units meter is billed by these items: no meter event double-bills it.
    const report = await reportUsage(deps, { organizationId: organization.id });
    expect(report.reported).toEqual([]);
    expect(stripeServer.meterEvents.size).toBe(0);
  });

  it("the usage-report cron makes the lines invoice items without anyone opening the preview", async () => {
    const { organization, key } = await buyer("payg");
    const stripe = stripeServer.client();
    const deps = { db, stripe, catalog: kit.product.catalog };
    const customerId = await ensureStripeCustomer(deps, organization.id);
    const payg = kit.product.catalog.getPlan("payg");
    if (!payg) throw new Error("no payg plan");
    stripeServer.createSubscription(customerId, lookupKeysFor(payg, "month"), {
      metadata: { organizationId: organization.id, plinth_plan: "payg" },
    });
    await syncStripeCustomer(deps, { organizationId: organization.id, customerId });
    await callApis(key, 3, 0);
    const context = {
      ...deps,
      db: { system: db.system },
      usageLines: productUsageLines(kit.product, db.system),
    };
    expect(await reportUsageJob.handler(context, { organizationId: organization.id })).toEqual({
      reported: 0,
      invoiceItems: 1,
    });
    const items = [...stripeServer.invoiceItems.values()].filter(
      (item) => item.customer === customerId,
    );
    // 3 × 333 333 µ¢ = 0.999999 ¢ → 1 ¢.
    expect(items.map((item) => [item.description, item.amount])).toEqual([
      ["Maps: GET /api/v1/maps/geocode/{q}", 1],
    ]);
  });
});
