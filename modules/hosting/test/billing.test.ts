// Workspaces as priced subscription items (./src/billing.ts): on the local provider (exact
// cents at the scope's clock) and on Stripe (the real SDK against the Stripe-shaped server):
// a request adds its app plan's item prorated (the preview before it shows the same), a bundle
// counts one unit per workspace of each of its apps, a resize past the plan's sizes moves the
// item, a destroy credits the unused time; concurrent requests set the items from the counts
// (never one unit too many or too few); a trial is not charged (its allowance) and says so.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncCatalog } from "@plinth/billing/stripe/catalog-sync";
import { processStripeEvent } from "@plinth/billing/stripe/sync";
import { receiveStripeWebhook } from "@plinth/billing/stripe/webhooks";
import {
  startStripeTestServer,
  type StripeTestServer,
} from "@plinth/billing/testing/stripe-server";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { addMember, callerFor, createOrganization, createUser, product, setPlan } from "./kit.ts";

const DAY = 86_400_000;
const T0 = new Date("2026-01-01T00:00:00.000Z"); // a monthly period of 31 days
const at = (days: number) => new Date(T0.getTime() + days * DAY);
/** round-half-up(unit × remaining ÷ 31 days), as the local provider computes it. */
const prorated = (unit: number, remainingDays: number) =>
  Math.floor((unit * remainingDays * 2 + 31) / 62);

let db: TestDatabase;
let server: StripeTestServer;
let stripe: Stripe;
beforeAll(async () => {
  [db, server] = await Promise.all([createTestDatabase(), startStripeTestServer()]);
  stripe = server.client();
  await syncCatalog(stripe, product.catalog);
});
afterAll(() => Promise.all([db.drop(), server.close()]));

const local = { stripe: null, appUrl: "http://app.test", pastDueGraceDays: 7 };
const REQUEST = { app: "bahmni", version: "1.0.0", size: "small", region: "eu-central" };

const items = (organizationId: string) =>
  db.system.subscriptionItem
    .findMany({ where: { organizationId }, orderBy: { itemKey: "asc" } })
    .then((rows) => rows.map((row) => [row.itemKey, row.quantity, row.unitAmount]));

describe("the catalogue's items in the product", () => {
  it("each app plan and bundle is an item-only plan: priced, never offered as a plan", () => {
    const item = product.catalog.getPlan("bahmnistandard");
    expect(item).toMatchObject({
      purchasable: true,
      itemOnly: true,
      prices: { month: 29_900, year: 299_000 },
    });
    expect(product.catalog.getPlan("healtherp")?.prices.month).toBe(39_900);
    const sold = product.catalog.purchasablePlansByPrice().map((plan) => plan.key);
    expect(sold).toEqual(["standard", "bundle", "enterprise"]);
    expect(product.catalog.signUpPlans.map((plan) => plan.key)).not.toContain("bahmnistandard");
  });
});

describe("workspace items on the local provider", () => {
  async function paidOrg(tag: string, plan = "enterprise") {
    const owner = await createUser(db, `owner-${tag}@items.test`);
    const org = await createOrganization(db, owner, `Items ${tag}`, T0);
    const buy = callerFor(db, owner, { billing: local, now: () => T0 });
    await buy.billing.completeTestCheckout({
      organizationId: org.id,
      planKey: plan,
      interval: "month",
    });
    return {
      owner,
      org,
      on: (days: number) => callerFor(db, owner, { billing: local, now: () => at(days) }),
    };
  }

  it("preview, then request: the app plan's item charged for the remaining time; destroy credits it", async () => {
    const { org, on } = await paidOrg("life");
    const organizationId = org.id;
    const api = on(10);
    const preview = await api.workspace.previewRequest({ organizationId, ...REQUEST });
    const charge = prorated(29_900, 21); // 21 of 31 days remain
    expect(preview).toMatchObject({
      plan: "standard",
      bundle: null,
      item: { key: "bahmnistandard", name: "Bahmni Standard workspace", monthCents: 29_900 },
      unbilledReason: null,
      change: {
        provider: "local",
        applied: false,
        changes: [{ key: "bahmnistandard", from: 0, to: 1 }],
        lines: [
          {
            description: "Remaining time on 1 × Bahmni Standard workspace",
            amount: charge,
            proration: true,
            itemKey: "bahmnistandard",
            quantity: 1,
          },
        ],
        prorationAmount: charge,
        amountDueNow: charge,
      },
    });
    expect(await items(organizationId)).toEqual([["enterprise", 1, 99_900]]); // nothing changed

    const requested = await api.workspace.request({ organizationId, name: "emr", ...REQUEST });
    expect(requested.billing).toEqual({ ...preview.change, applied: true });
    expect(requested.workspace).toMatchObject({ plan: "standard", bundle: null });
    expect(await items(organizationId)).toEqual([
      ["bahmnistandard", 1, 29_900],
      ["enterprise", 1, 99_900],
    ]);
    const invoice = await db.system.invoice.findFirstOrThrow({
      where: { organizationId, description: { startsWith: "Subscription items" } },
    });
    expect(invoice).toMatchObject({ amountDue: charge, status: "paid" });
    expect(invoice.lines).toEqual(requested.billing?.lines);

    // Provisioned (what the worker does), then destroyed on day 20: the 11 unused days
    // credited, billing stops at the request.
    await db.system.hostingWorkspace.update({
      where: { id: requested.workspace.id },
      data: { state: "READY", activeRunId: null },
    });
    const destroyed = await on(20).workspace.destroy({
      organizationId,
      workspaceId: requested.workspace.id,
    });
    expect(destroyed.billing).toMatchObject({
      applied: true,
      changes: [{ key: "bahmnistandard", from: 1, to: 0 }],
      lines: [
        {
          description: "Unused time on 1 × Bahmni Standard workspace",
          amount: -prorated(29_900, 11),
          proration: true,
          itemKey: "bahmnistandard",
          quantity: -1,
        },
      ],
      prorationAmount: -prorated(29_900, 11),
      amountDueNow: 0,
    });
    expect(await items(organizationId)).toEqual([["enterprise", 1, 99_900]]);
    const audits = await db.system.auditLog.findMany({
      where: { organizationId, action: "billing.items_changed" },
      orderBy: { createdAt: "asc" },
      select: { changes: true },
    });
    expect(audits.map((a) => a.changes)).toEqual([
      {
        items: { from: "bahmnistandard×0", to: "bahmnistandard×1" },
        prorationAmount: { to: charge },
      },
      {
        items: { from: "bahmnistandard×1", to: "bahmnistandard×0" },
        prorationAmount: { to: -prorated(29_900, 11) },
      },
    ]);
  });

  it("a bundle unit covers one workspace of each of its apps; a resize past the plan moves the item", async () => {
    const { org, on } = await paidOrg("bundle");
    const organizationId = org.id;
    const api = on(5);
    const bundled = { ...REQUEST, bundle: "health-erp" };
    await api.workspace.request({ organizationId, name: "hospital", ...bundled });
    await api.workspace.request({
      organizationId,
      name: "ledger",
      ...bundled,
      app: "erpnext",
      version: "15.0",
    });
    expect(await items(organizationId)).toEqual([
      ["enterprise", 1, 99_900],
      ["healtherp", 1, 39_900],
    ]);
    // A second Bahmni in the bundle needs a second unit (the preview says so first).
    const preview = await api.workspace.previewRequest({ organizationId, ...bundled });
    expect(preview.change?.changes).toEqual([{ key: "healtherp", from: 1, to: 2 }]);
    await api.workspace.request({ organizationId, name: "hospital-2", ...bundled });
    expect(await items(organizationId)).toContainEqual(["healtherp", 2, 39_900]);
    // A bundle without the app, and a plan with a bundle: 400 naming the field.
    await expect(
      api.workspace.previewRequest({
        organizationId,
        ...REQUEST,
        app: "odoo",
        version: "18.0",
        bundle: "health-erp",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      api.workspace.request({ organizationId, name: "x", ...bundled, plan: "standard" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });

    // Bahmni Standard has no large size: resizing moves the workspace to Bahmni Clinic.
    const plain = await api.workspace.request({ organizationId, name: "emr", ...REQUEST });
    await db.system.hostingWorkspace.update({
      where: { id: plain.workspace.id },
      data: { state: "READY", activeRunId: null },
    });
    const resized = await on(15).workspace.update({
      organizationId,
      workspaceId: plain.workspace.id,
      size: "large",
    });
    expect(resized.workspace.plan).toBe("clinic");
    expect(resized.billing?.changes).toEqual([
      { key: "bahmniclinic", from: 0, to: 1 },
      { key: "bahmnistandard", from: 1, to: 0 },
    ]);
    expect(resized.billing?.lines.map((line) => [line.itemKey, line.amount])).toEqual([
      ["bahmniclinic", prorated(59_900, 16)],
      ["bahmnistandard", -prorated(29_900, 16)],
    ]);
  });

  it("concurrent requests and destroys leave exactly the live workspaces on the subscription", async () => {
    const { org, on } = await paidOrg("race");
    const organizationId = org.id;
    const member = await createUser(db, "member-race@items.test");
    await addMember(db, organizationId, member, "MEMBER");
    const asMember = callerFor(db, member, { billing: local, now: () => at(3) });
    const names = ["a", "b", "c", "d", "e", "f"];
    const made = await Promise.all(
      names.map((name, i) =>
        (i % 2 === 0 ? on(3) : asMember).workspace.request({ organizationId, name, ...REQUEST }),
      ),
    );
    expect(await items(organizationId)).toContainEqual(["bahmnistandard", 6, 29_900]);
    const toDestroy = made.slice(0, 4).map((m) => m.workspace.id);
    await db.system.hostingWorkspace.updateMany({
      where: { id: { in: toDestroy } },
      data: { state: "READY", activeRunId: null },
    });
    await Promise.all(
      toDestroy.map((workspaceId) => on(4).workspace.destroy({ organizationId, workspaceId })),
    );
    expect(await items(organizationId)).toEqual([
      ["bahmnistandard", 2, 29_900],
      ["enterprise", 1, 99_900],
    ]);
    // The invoices' lines add up to the units bought and credited: 6 added, 4 removed.
    const invoices = await db.system.invoice.findMany({
      where: { organizationId, description: { startsWith: "Subscription items" } },
    });
    const lines = invoices.flatMap((invoice) => invoice.lines as { quantity: number }[]);
    expect(lines.reduce((sum, line) => sum + line.quantity, 0)).toBe(2);
  });

  it("a trial is its allowance: not charged, and the preview says why", async () => {
    const owner = await createUser(db, "owner-trial@items.test");
    const org = await createOrganization(db, owner, "Items trial", T0);
    const api = callerFor(db, owner, { billing: local, now: () => at(1) });
    const preview = await api.workspace.previewRequest({ organizationId: org.id, ...REQUEST });
    expect(preview).toMatchObject({ unbilledReason: "trial", change: null });
    const requested = await api.workspace.request({
      organizationId: org.id,
      name: "t",
      ...REQUEST,
    });
    expect(requested.billing).toBeNull();
    expect(await items(org.id)).toEqual([]);
    // A plan granted without a checkout (no provider subscription): its limits, no items.
    const granted = await createUser(db, "owner-granted@items.test");
    const other = await createOrganization(db, granted, "Items granted", T0);
    await setPlan(db, other.id, "enterprise");
    const g = callerFor(db, granted, { billing: local, now: () => at(1) });
    expect(
      await g.workspace.previewRequest({ organizationId: other.id, ...REQUEST }),
    ).toMatchObject({ unbilledReason: "no_paid_subscription", change: null });
  });
});

describe("workspace items on Stripe", () => {
  const billing = {
    stripe: null as Stripe | null,
    appUrl: "https://app.example",
    pastDueGraceDays: 7,
  };

  async function deliver(events: Stripe.Event[]) {
    for (const event of events) {
      const { rawBody, signature } = server.signed(event);
      const result = await receiveStripeWebhook({
        rawBody,
        signature,
        db,
        secret: server.webhookSecret,
      });
      expect(result.status).toBe(200);
      if (result.status === 200 && result.jobId !== null)
        await processStripeEvent({ db, stripe, catalog: product.catalog }, event.id);
    }
  }

  it("a request adds the item's price with create_prorations; a destroy deletes it, credited", async () => {
    billing.stripe = stripe;
    const owner = await createUser(db, "owner-stripe@items.test");
    const org = await createOrganization(db, owner, "Items Stripe");
    const organizationId = org.id;
    const customer = await stripe.customers.create({ name: "Items Stripe" });
    await db.system.organization.update({
      where: { id: organizationId },
      data: { stripeCustomerId: customer.id },
    });
    const created = server.createSubscription(customer.id, ["plinth_enterprise_month"], {
      metadata: { organizationId, plinth_plan: "enterprise" },
    });
    await deliver(created.events);
    const sub = server.subscriptions.get(created.subscriptionId)!;
    const api = callerFor(db, owner, { billing: { ...billing, stripe } });

    const preview = await api.workspace.previewRequest({ organizationId, ...REQUEST });
    expect(preview).toMatchObject({
      unbilledReason: null,
      change: {
        provider: "stripe",
        applied: false,
        changes: [{ key: "bahmnistandard", from: 0, to: 1 }],
      },
    });
    const from = server.requests.length;
    const requested = await api.workspace.request({ organizationId, name: "emr", ...REQUEST });
    const price = [...server.prices.values()].find(
      (p) => p.lookup_key === "plinth_bahmnistandard_month",
    )?.id;
    const updates = server.requests
      .slice(from)
      .filter((r) => r.method === "POST" && r.path === `/v1/subscriptions/${sub.id}`);
    expect(updates).toHaveLength(1);
    // Only the new item is sent: the plan's own stays as it is.
    expect(updates[0]?.params).toMatchObject({
      items: [{ price, quantity: "1" }],
      proration_behavior: "create_prorations",
    });
    expect(requested.billing).toMatchObject({
      provider: "stripe",
      applied: true,
      changes: [{ key: "bahmnistandard", from: 0, to: 1 }],
      amountDueNow: 0,
    });
    const charge = requested.billing?.lines.find((line) => line.itemKey === "bahmnistandard");
    expect(charge).toMatchObject({ proration: true, quantity: 1 });
    expect(charge?.amount).toBeGreaterThan(0);
    expect(await items(organizationId)).toEqual([
      ["bahmnistandard", 1, 29_900],
      ["enterprise", 1, 99_900],
    ]);

    await db.system.hostingWorkspace.update({
      where: { id: requested.workspace.id },
      data: { state: "READY", activeRunId: null },
    });
    const before = server.requests.length;
    const destroyed = await api.workspace.destroy({
      organizationId,
      workspaceId: requested.workspace.id,
    });
    const itemId = (await db.system.subscriptionItem.findMany({ where: { organizationId } }))
      .length;
    expect(itemId).toBe(1);
    const removal = server.requests
      .slice(before)
      .find((r) => r.method === "POST" && r.path === `/v1/subscriptions/${sub.id}`);
    expect(removal?.params).toMatchObject({
      items: [{ deleted: "true" }],
      proration_behavior: "create_prorations",
    });
    expect(destroyed.billing?.changes).toEqual([{ key: "bahmnistandard", from: 1, to: 0 }]);
    const credit = destroyed.billing?.lines.find((line) => line.itemKey === "bahmnistandard");
    expect(credit).toMatchObject({ proration: true });
    expect(credit?.amount).toBeLessThan(0);
    expect(await items(organizationId)).toEqual([["enterprise", 1, 99_900]]);
  });
});
