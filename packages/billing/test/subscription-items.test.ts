// Several priced items on one subscription, with proration (docs/billing.md, "Subscription
// items and proration"): the local provider's own arithmetic (exact cents), the Stripe adapter
// through the real SDK against the Stripe-shaped server (what the SDK sent; what the webhook
// stores, once), and Razorpay's typed refusal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { BillingError } from "../src/stripe/checkout.ts";
import { activatePlanLocally, changePlanLocally } from "../src/local/provider.ts";
import { prorate } from "../src/local/items.ts";
import { createRazorpayClient } from "../src/razorpay/client.ts";
import { reconcileOrganization } from "../src/stripe/sync.ts";
import * as billing from "../src/service.ts";
import { demoCatalog } from "./catalog.ts";
import { createHarness, stripeEventJobs, type BillingHarness } from "./helpers.ts";

const DAY_MS = 86_400_000;
const T0 = new Date("2026-01-01T00:00:00.000Z"); // a 31-day monthly period: to 2026-02-01
const PERIOD_MS = 31 * DAY_MS;
const at = (ms: number) => new Date(T0.getTime() + ms);

describe("local provider: proration computed in integer cents at the scope clock", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const deps = (now: Date): billing.BillingServiceDeps => ({
    db,
    stripe: null,
    catalog: demoCatalog,
    now: () => now,
  });
  async function proOrg() {
    const org = await db.system.organization.create({
      data: { name: "Items", slug: `items-${Math.random().toString(36).slice(2)}` },
    });
    await activatePlanLocally(db, demoCatalog, org.id, "pro", "month", T0);
    return org.id;
  }
  const rows = (organizationId: string) =>
    db.system.subscriptionItem.findMany({
      where: { organizationId },
      orderBy: { itemKey: "asc" },
      select: { itemKey: true, quantity: true, unitAmount: true, providerItemId: true },
    });

  it("rounds half up, exactly, whatever the size", () => {
    expect(prorate(2_900, 1, 2)).toBe(1_450);
    expect(prorate(1, 1, 2)).toBe(1); // 0.5 → 1
    expect(prorate(39_800, 21, 31)).toBe(26_961); // 26 961.29
    expect(prorate(39_800, 11, 31)).toBe(14_123); // 14 122.58
    // Beyond 2^53 in between: 199 000 001 × ½ year of a year's ms = 99 500 000.5 → 99 500 001.
    expect(prorate(199_000_001, 15_768_000_000, 31_536_000_000)).toBe(99_500_001);
  });

  it("activation starts the items as the plan's own, once", async () => {
    const organizationId = await proOrg();
    expect(await rows(organizationId)).toEqual([
      { itemKey: "pro", quantity: 1, unitAmount: 2_900, providerItemId: null },
    ]);
  });

  it("adding two workspaces mid-period charges the remaining 21 of 31 days", async () => {
    const organizationId = await proOrg();
    const now = at(10 * DAY_MS);
    const input = {
      organizationId,
      items: [
        { key: "pro", quantity: 1 },
        { key: "enterprise", quantity: 2 },
      ],
    };
    const preview = await billing.previewSubscriptionItems(deps(now), input);
    expect(preview).toMatchObject({
      provider: "local",
      applied: false,
      interval: "month",
      prorationDate: now.getTime() / 1000,
      changes: [{ key: "enterprise", from: 0, to: 2 }],
      lines: [
        {
          description: "Remaining time on 2 × Enterprise",
          amount: 26_961, // 2 × 19 900 × 21/31 = 26 961.29
          proration: true,
          itemKey: "enterprise",
          quantity: 2,
        },
      ],
      prorationAmount: 26_961,
      amountDueNow: 26_961,
    });
    expect(await rows(organizationId)).toHaveLength(1); // a preview changes nothing
    // Applied later with the preview's date: the same cents.
    const applied = await billing.setSubscriptionItems(deps(at(12 * DAY_MS)), {
      ...input,
      prorationDate: preview.prorationDate,
    });
    expect(applied).toEqual({ ...preview, applied: true });
    expect(applied.items).toEqual([
      { key: "enterprise", name: "Enterprise", quantity: 2, unitAmount: 19_900 },
      { key: "pro", name: "Pro", quantity: 1, unitAmount: 2_900 },
    ]);
    expect(await rows(organizationId)).toEqual([
      { itemKey: "enterprise", quantity: 2, unitAmount: 19_900, providerItemId: null },
      { itemKey: "pro", quantity: 1, unitAmount: 2_900, providerItemId: null },
    ]);
    const invoice = await db.system.invoice.findFirstOrThrow({
      where: { organizationId, description: { startsWith: "Subscription items" } },
    });
    expect(invoice).toMatchObject({
      provider: "LOCAL",
      status: "paid",
      amountDue: 26_961,
      amountPaid: 26_961,
      periodStart: now,
      periodEnd: new Date("2026-02-01T00:00:00.000Z"),
    });
    expect(invoice.lines).toEqual(applied.lines);
  });

  it("removing them later credits the unused 11 days; the net credit invoices 0", async () => {
    const organizationId = await proOrg();
    await billing.setSubscriptionItems(deps(at(10 * DAY_MS)), {
      organizationId,
      items: [
        { key: "pro", quantity: 1 },
        { key: "enterprise", quantity: 2 },
      ],
    });
    const removed = await billing.setSubscriptionItems(deps(at(20 * DAY_MS)), {
      organizationId,
      items: [{ key: "pro", quantity: 1 }],
    });
    expect(removed).toMatchObject({
      changes: [{ key: "enterprise", from: 2, to: 0 }],
      lines: [
        {
          description: "Unused time on 2 × Enterprise",
          amount: -14_123, // 2 × 19 900 × 11/31 = 14 122.58
          itemKey: "enterprise",
          quantity: -2,
        },
      ],
      prorationAmount: -14_123,
      amountDueNow: 0,
    });
    expect(await rows(organizationId)).toEqual([
      { itemKey: "pro", quantity: 1, unitAmount: 2_900, providerItemId: null },
    ]);
    const invoices = await db.system.invoice.findMany({
      where: { organizationId, description: { startsWith: "Subscription items" } },
      orderBy: { issuedAt: "asc" },
      select: { amountDue: true },
    });
    expect(invoices).toEqual([{ amountDue: 26_961 }, { amountDue: 0 }]);
  });

  it("quantity changes at half-period: one more unit, one fewer, an add and a removal at once", async () => {
    const organizationId = await proOrg();
    const half = at(PERIOD_MS / 2); // 15.5 days: exactly half the period remains
    const up = await billing.setSubscriptionItems(deps(half), {
      organizationId,
      items: [
        { key: "pro", quantity: 3 },
        { key: "hybrid", quantity: 1 },
      ],
    });
    expect(up.lines.map((line) => [line.itemKey, line.amount])).toEqual([
      ["hybrid", 2_450], // 4 900 / 2
      ["pro", 2_900], // 2 more × 2 900 / 2
    ]);
    expect(up.prorationAmount).toBe(5_350);
    const down = await billing.setSubscriptionItems(deps(at(PERIOD_MS / 2 + 1)), {
      organizationId,
      prorationDate: half.getTime() / 1000,
      items: [
        { key: "pro", quantity: 2 },
        { key: "enterprise", quantity: 1 },
      ],
    });
    expect(down.changes).toEqual([
      { key: "enterprise", from: 0, to: 1 },
      { key: "hybrid", from: 1, to: 0 },
      { key: "pro", from: 3, to: 2 },
    ]);
    expect(down.lines.map((line) => [line.itemKey, line.amount])).toEqual([
      ["enterprise", 9_950],
      ["hybrid", -2_450],
      ["pro", -1_450],
    ]);
    expect(down).toMatchObject({ prorationAmount: 6_050, amountDueNow: 6_050 });
    // Setting the same items again: nothing to prorate, no invoice.
    const before = await db.system.invoice.count({ where: { organizationId } });
    const same = await billing.setSubscriptionItems(deps(half), {
      organizationId,
      items: [
        { key: "enterprise", quantity: 1 },
        { key: "pro", quantity: 2 },
      ],
    });
    expect(same).toMatchObject({ changes: [], lines: [], prorationAmount: 0, amountDueNow: 0 });
    expect(await db.system.invoice.count({ where: { organizationId } })).toBe(before);
  });

  it("a plan change moves the plan's own item and keeps the others", async () => {
    const organizationId = await proOrg();
    await billing.setSubscriptionItems(deps(at(DAY_MS)), {
      organizationId,
      items: [
        { key: "pro", quantity: 1 },
        { key: "hybrid", quantity: 2 },
      ],
    });
    await changePlanLocally(db, demoCatalog, organizationId, "enterprise", "month", at(2 * DAY_MS));
    expect((await rows(organizationId)).map((r) => [r.itemKey, r.quantity])).toEqual([
      ["enterprise", 1],
      ["hybrid", 2],
    ]);
  });

  it("refuses bad lists with typed errors", async () => {
    const organizationId = await proOrg();
    const set = (items: { key: string; quantity: number }[], prorationDate?: number) =>
      billing.setSubscriptionItems(deps(at(DAY_MS)), {
        organizationId,
        items,
        ...(prorationDate ? { prorationDate } : {}),
      });
    const code = async (promise: Promise<unknown>) => {
      const error: unknown = await promise.catch((e: unknown) => e);
      return error instanceof BillingError ? error.code : String(error);
    };
    expect(await code(set([{ key: "enterprise", quantity: 1 }]))).toBe("INVALID_ITEMS"); // plan dropped
    expect(
      await code(
        set([
          { key: "pro", quantity: 1 },
          { key: "pro", quantity: 2 },
        ]),
      ),
    ).toBe("INVALID_ITEMS");
    expect(await code(set([{ key: "pro", quantity: 0 }]))).toBe("INVALID_ITEMS");
    expect(
      await code(
        set([
          { key: "pro", quantity: 1 },
          { key: "payg", quantity: 1 },
        ]),
      ),
    ).toBe("PLAN_NOT_PURCHASABLE"); // no flat price
    expect(await code(set([{ key: "pro", quantity: 2 }], T0.getTime() / 1000 + 40 * 86_400))).toBe(
      "INVALID_ITEMS",
    ); // proration date after the period
    const trial = await db.system.organization.create({
      data: { name: "T", slug: `t-${Math.random().toString(36).slice(2)}` },
    });
    await expect(
      billing.setSubscriptionItems(deps(T0), {
        organizationId: trial.id,
        items: [{ key: "pro", quantity: 1 }],
      }),
    ).rejects.toThrow(/No active local subscription/);
    expect(await rows(organizationId)).toHaveLength(1);
  });
});

describe("Stripe: subscriptions.update with items[] and create_prorations", () => {
  let h: BillingHarness;
  let service: billing.BillingServiceDeps;
  beforeAll(async () => {
    h = await createHarness();
    service = { db: h.db, stripe: h.stripe, catalog: demoCatalog };
  });
  afterAll(() => h.close());

  async function proCustomer() {
    const org = await h.createOrg();
    await h.db.system.organization.update({
      where: { id: org.id },
      data: { stripeCustomerId: (await h.stripe.customers.create({ name: "Items" })).id },
    });
    const { stripeCustomerId } = await h.db.system.organization.findUniqueOrThrow({
      where: { id: org.id },
    });
    const created = h.server.createSubscription(String(stripeCustomerId), ["plinth_pro_month"], {
      metadata: { organizationId: org.id, plinth_plan: "pro" },
    });
    expect(await h.deliver(created.events)).toEqual(created.events.map(() => 200));
    const sub = h.server.subscriptions.get(created.subscriptionId);
    if (!sub) throw new Error("no subscription");
    return { organizationId: org.id, sub };
  }
  const stored = (organizationId: string) =>
    h.db.system.subscriptionItem.findMany({
      where: { organizationId },
      orderBy: { itemKey: "asc" },
      select: { itemKey: true, quantity: true, unitAmount: true, providerItemId: true },
    });
  const sent = (path: RegExp, from: number) =>
    h.server.requests.slice(from).filter((r) => r.method === "POST" && path.test(r.path));

  it("the webhook mirrors the checkout's item", async () => {
    const { organizationId, sub } = await proCustomer();
    expect(await stored(organizationId)).toEqual([
      { itemKey: "pro", quantity: 1, unitAmount: 2_900, providerItemId: sub.items[0]?.id },
    ]);
  });

  it("adds workspaces: preview and update carry the same items, proration behaviour and date", async () => {
    const { organizationId, sub } = await proCustomer();
    const baseItem = String(sub.items[0]?.id);
    const prorationDate = sub.periodStart + 10 * 86_400; // 20 of 30 days remain
    const from = h.server.requests.length;
    const result = await billing.setSubscriptionItems(service, {
      organizationId,
      prorationDate,
      items: [
        { key: "pro", quantity: 3 },
        { key: "enterprise", quantity: 2 },
      ],
    });
    const enterprisePrice = [...h.server.prices.values()].find(
      (p) => p.lookup_key === "plinth_enterprise_month",
    )?.id;
    const items = [
      { price: enterprisePrice, quantity: "2" },
      { id: baseItem, quantity: "3" },
    ];
    const [previewRequest] = sent(/^\/v1\/invoices\/create_preview$/, from);
    expect(previewRequest?.params).toMatchObject({
      subscription: sub.id,
      subscription_details: {
        items,
        proration_behavior: "create_prorations",
        proration_date: String(prorationDate),
      },
    });
    const updates = sent(new RegExp(`^/v1/subscriptions/${sub.id}$`), from);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.params).toEqual({
      items,
      proration_behavior: "create_prorations",
      proration_date: String(prorationDate),
    });
    expect(result).toMatchObject({
      provider: "stripe",
      applied: true,
      interval: "month",
      prorationDate,
      changes: [
        { key: "enterprise", from: 0, to: 2 },
        { key: "pro", from: 1, to: 3 },
      ],
      prorationAmount: 26_533 + 3_867, // round(39 800 × 2/3) + round(5 800 × 2/3)
      amountDueNow: 0,
    });
    expect(result.lines.map((line) => [line.itemKey, line.amount, line.quantity])).toEqual([
      ["enterprise", 26_533, 2],
      ["pro", 3_867, 2],
    ]);
    const rows = await stored(organizationId);
    expect(rows.map((r) => [r.itemKey, r.quantity, r.unitAmount])).toEqual([
      ["enterprise", 2, 19_900],
      ["pro", 3, 2_900],
    ]);
    expect(rows.find((r) => r.itemKey === "pro")?.providerItemId).toBe(baseItem);
    expect(result.items).toEqual([
      { key: "enterprise", name: "Enterprise", quantity: 2, unitAmount: 19_900 },
      { key: "pro", name: "Pro", quantity: 3, unitAmount: 2_900 },
    ]);
    // The subscription row still names the plan (its metadata), not the dearer item.
    expect(
      await h.db.system.subscription.findUniqueOrThrow({ where: { organizationId } }),
    ).toMatchObject({ planKey: "pro" });
  });

  it("removes one: { id, deleted: true }, credited; the preview alone changes nothing", async () => {
    const { organizationId, sub } = await proCustomer();
    await billing.setSubscriptionItems(service, {
      organizationId,
      items: [
        { key: "pro", quantity: 1 },
        { key: "hybrid", quantity: 1 },
      ],
    });
    const hybridItem = sub.items.find((i) => i.id !== sub.items[0]?.id)?.id;
    const prorationDate = sub.periodStart + 15 * 86_400;
    const from = h.server.requests.length;
    const input = { organizationId, prorationDate, items: [{ key: "pro", quantity: 1 }] };
    const preview = await billing.previewSubscriptionItems(service, input);
    expect(sent(/^\/v1\/subscriptions\//, from)).toHaveLength(0);
    expect(preview).toMatchObject({
      applied: false,
      changes: [{ key: "hybrid", from: 1, to: 0 }],
      prorationAmount: -2_450,
    });
    const removed = await billing.setSubscriptionItems(service, input);
    expect(sent(new RegExp(`^/v1/subscriptions/${sub.id}$`), from)[0]?.params).toMatchObject({
      items: [{ id: hybridItem, deleted: "true" }],
      proration_behavior: "create_prorations",
    });
    expect(removed).toMatchObject({ applied: true, prorationAmount: -2_450 });
    expect((await stored(organizationId)).map((r) => r.itemKey)).toEqual(["pro"]);
  });

  it("a customer.subscription.updated from Stripe updates the items; its replay is stored once", async () => {
    const { organizationId, sub } = await proCustomer();
    const baseItem = String(sub.items[0]?.id);
    // Changed in Stripe's dashboard: 4 units of the plan's item.
    const first = h.server.events.length;
    await h.stripe.subscriptions.update(sub.id, { items: [{ id: baseItem, quantity: 4 }] });
    const events = h.server.events.slice(first);
    expect(events.map((e) => e.type)).toEqual(["customer.subscription.updated"]);
    const jobsBefore = h.enqueued.length;
    expect(await h.deliver(events)).toEqual([200]);
    expect(await stored(organizationId)).toEqual([
      { itemKey: "pro", quantity: 4, unitAmount: 2_900, providerItemId: baseItem },
    ]);
    const updatedAt = (
      await h.db.system.subscriptionItem.findFirstOrThrow({ where: { organizationId } })
    ).updatedAt;
    // Redelivered: stored once, no second job, rows untouched.
    expect(await h.deliver(events)).toEqual([200]);
    expect(h.enqueued.length).toBe(jobsBefore + 1);
    const eventId = String(events[0]?.id);
    expect(await h.db.system.stripeEvent.count({ where: { id: eventId } })).toBe(1);
    expect(await stripeEventJobs(h.db, eventId)).toHaveLength(1);
    const after = await h.db.system.subscriptionItem.findFirstOrThrow({
      where: { organizationId },
    });
    expect(after).toMatchObject({ quantity: 4, updatedAt });
    // Re-reading Stripe again (reconcile) finds the items in sync: nothing written.
    expect((await reconcileOrganization(h.deps, organizationId))?.itemsWritten).toBe(0);
  });
});

describe("Razorpay", () => {
  it("refuses subscription items with a typed UNSUPPORTED error, before any request", async () => {
    const db = await createTestDatabase();
    try {
      const razorpay = createRazorpayClient({
        keyId: "rzp_test_items",
        keySecret: "secret",
        baseUrl: "http://127.0.0.1:9", // never reached
      });
      const service = { db, stripe: null, razorpay, catalog: demoCatalog };
      const input = { organizationId: "org", items: [{ key: "pro", quantity: 2 }] };
      for (const call of [billing.setSubscriptionItems, billing.previewSubscriptionItems]) {
        const error: unknown = await call(service, input).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BillingError);
        expect(error).toMatchObject({ code: "UNSUPPORTED" });
      }
    } finally {
      await db.drop();
    }
  });
});
