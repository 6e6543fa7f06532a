import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveEntitlements } from "../src/entitlements.ts";
import * as billing from "../src/service.ts";
import { ensureStripeCustomer } from "../src/stripe/customers.ts";
import { reconcileAll } from "../src/stripe/sync.ts";
import { demoCatalog } from "./catalog.ts";
import { createHarness, type BillingHarness } from "./helpers.ts";

let h: BillingHarness;
let service: billing.BillingServiceDeps;
beforeAll(async () => {
  h = await createHarness();
  service = { db: h.db, stripe: h.stripe, catalog: demoCatalog };
});
afterAll(() => h.close());

const DAY = 86_400_000;
const urls = { successUrl: "https://app.test/billing?ok=1", cancelUrl: "https://app.test/billing" };
const row = (organizationId: string) =>
  h.db.system.subscription.findUniqueOrThrow({ where: { organizationId } });

async function checkout(
  planKey: "pro" | "enterprise" | "hybrid" | "payg",
  interval: "month" | "year" = "month",
) {
  const org = await h.createOrg();
  const started = await billing.startCheckout(service, {
    organizationId: org.id,
    planKey,
    interval,
    ...urls,
  });
  expect(started.provider).toBe("stripe");
  const session = [...h.server.checkoutSessions.values()].find((s) =>
    started.url.endsWith(String(s.id)),
  );
  const { subscriptionId, events } = h.server.completeCheckout(String(session?.id));
  expect(await h.deliver(events)).toEqual(events.map(() => 200));
  return { org, subscriptionId };
}

describe("checkout and customers", () => {
  it("creates exactly one Stripe customer under concurrent checkout starts", async () => {
    const org = await h.createOrg();
    const before = h.server.customers.size;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        billing.startCheckout(service, {
          organizationId: org.id,
          planKey: "pro",
          interval: "month",
          ...urls,
        }),
      ),
    );
    expect(results.every((r) => r.url.startsWith("https://checkout.stripe.test/"))).toBe(true);
    expect(h.server.customers.size).toBe(before + 1);
    const { stripeCustomerId } = await h.db.system.organization.findUniqueOrThrow({
      where: { id: org.id },
    });
    expect(
      [...h.server.customers.values()].find((c) => c.id === stripeCustomerId)?.metadata,
    ).toEqual(expect.objectContaining({ organizationId: org.id }));
    expect(await ensureStripeCustomer(h.deps, org.id)).toBe(stripeCustomerId);
  });

  it("checkout subscribes to the plan's prices and the webhook mirrors it", async () => {
    const { org, subscriptionId } = await checkout("hybrid", "year");
    const session = [...h.server.checkoutSessions.values()].find(
      (s) => s.subscription === subscriptionId,
    );
    expect(session).toMatchObject({ mode: "subscription", client_reference_id: org.id });
    const sub = await row(org.id);
    expect(sub).toMatchObject({
      planKey: "hybrid",
      status: "ACTIVE",
      interval: "YEAR",
      stripeSubscriptionId: subscriptionId,
    });
    expect(sub.stripePriceIds).toHaveLength(4); // base + three metered overage prices
    const overview = await billing.getBillingOverview(service, { organizationId: org.id });
    expect(overview).toMatchObject({
      plan: { key: "hybrid" },
      status: "active",
      interval: "year",
      endsAt: null,
    });
    expect(overview.renewsAt?.getTime()).toBe(sub.currentPeriodEnd?.getTime());
  });

  it("a plan chosen at sign-up is kept while checkout is open and cleared when Stripe's completes", async () => {
    const org = await h.createOrg();
    await h.db.system.organization.update({
      where: { id: org.id },
      data: { signUpPlanKey: "pro" },
    });
    const started = await billing.startCheckout(service, {
      organizationId: org.id,
      planKey: "pro",
      interval: "month",
      ...urls,
    });
    const signUpPlan = async () =>
      (await h.db.system.organization.findUniqueOrThrow({ where: { id: org.id } })).signUpPlanKey;
    expect(await signUpPlan()).toBe("pro");
    const session = [...h.server.checkoutSessions.values()].find((s) =>
      started.url.endsWith(String(s.id)),
    );
    const { events } = h.server.completeCheckout(String(session?.id));
    expect(await h.deliver(events)).toEqual(events.map(() => 200));
    expect(await row(org.id)).toMatchObject({ planKey: "pro", status: "ACTIVE" });
    expect(await signUpPlan()).toBeNull();
  });

  it("refuses plans that cannot be bought", async () => {
    const org = await h.createOrg();
    await expect(
      billing.startCheckout(service, {
        organizationId: org.id,
        planKey: "trial",
        interval: "month",
        ...urls,
      }),
    ).rejects.toThrow(/cannot be bought/);
    await expect(
      billing.startCheckout(service, {
        organizationId: org.id,
        planKey: "payg",
        interval: "year",
        ...urls,
      }),
    ).rejects.toThrow(/cannot be bought/);
  });

  it("opens the billing portal for the organization's customer", async () => {
    const { org } = await checkout("pro");
    const portal = await billing.openPortal(service, {
      organizationId: org.id,
      returnUrl: "https://app.test/billing",
    });
    expect(portal.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    expect(await billing.getPaymentMethods(service, { organizationId: org.id })).toEqual({
      provider: "stripe",
      card: null,
      portalAvailable: true,
    });
    const { stripeCustomerId } = await h.db.system.organization.findUniqueOrThrow({
      where: { id: org.id },
    });
    h.server.attachCard(stripeCustomerId!, { brand: "mastercard", last4: "4444" });
    expect(
      (await billing.getPaymentMethods(service, { organizationId: org.id })).card,
    ).toMatchObject({ brand: "mastercard", last4: "4444" });
  });
});

describe("subscription lifecycle", () => {
  it("trial → active", async () => {
    const org = await h.createOrg();
    const customer = await ensureStripeCustomer(h.deps, org.id);
    const { subscriptionId, events } = h.server.createSubscription(customer, ["plinth_pro_month"], {
      trialDays: 14,
    });
    await h.deliver(events);
    const trialing = await row(org.id);
    expect(trialing).toMatchObject({ status: "TRIALING", planKey: "pro" });
    expect(trialing.trialEndsAt!.getTime()).toBeGreaterThan(Date.now() + 13 * DAY);
    const org0 = { trialEndsAt: null, createdAt: new Date() };
    expect(
      resolveEntitlements(demoCatalog, {
        organization: org0,
        subscription: trialing,
        now: new Date(),
        pastDueGraceDays: 7,
      }).status,
    ).toBe("trialing");

    await h.deliver(h.server.endTrial(subscriptionId));
    const active = await row(org.id);
    expect(active.status).toBe("ACTIVE");
    expect(
      resolveEntitlements(demoCatalog, {
        organization: org0,
        subscription: active,
        now: new Date(),
        pastDueGraceDays: 7,
      }),
    ).toMatchObject({ status: "active", access: "full" });
  });

  it("upgrades and downgrades with a proration preview that matches the charge", async () => {
    const { org, subscriptionId } = await checkout("pro");
    const up = await billing.previewPlanChange(service, {
      organizationId: org.id,
      planKey: "enterprise",
      interval: "month",
    });
    expect(up.direction).toBe("upgrade");
    expect(up.prorationAmount).toBeGreaterThan(0);
    expect(up.prorationAmount).toBeLessThanOrEqual(19_900 - 2_900);
    expect(up.lines.filter((line) => line.proration)).toHaveLength(2); // unused Pro credit + remaining Enterprise
    const invoicesBefore = h.server.invoices.size;
    await billing.changePlan(service, {
      organizationId: org.id,
      planKey: "enterprise",
      interval: "month",
      prorationDate: up.prorationDate,
    });
    expect(await row(org.id)).toMatchObject({ planKey: "enterprise", status: "ACTIVE" });
    // Upgrades are invoiced immediately, for the previewed amount.
    const charged = [...h.server.invoices.values()].slice(invoicesBefore);
    expect(charged.map((invoice) => invoice.amount_due)).toEqual([up.amountDue]);
    expect(h.server.subscriptions.get(subscriptionId)?.items).toHaveLength(1);

    const down = await billing.previewPlanChange(service, {
      organizationId: org.id,
      planKey: "pro",
      interval: "month",
    });
    expect(down.direction).toBe("downgrade");
    expect(down.prorationAmount).toBeLessThan(0);
    await billing.changePlan(service, {
      organizationId: org.id,
      planKey: "pro",
      interval: "month",
      prorationDate: down.prorationDate,
    });
    expect(await row(org.id)).toMatchObject({ planKey: "pro" });
    // The subscription.updated events Stripe sends afterwards change nothing further.
    await h.deliver(
      h.server.events.filter(
        (e) =>
          e.type === "customer.subscription.updated" &&
          (e.data.object as { id: string }).id === subscriptionId,
      ),
    );
    expect(await row(org.id)).toMatchObject({ planKey: "pro", status: "ACTIVE" });
    await expect(
      billing.changePlan(service, { organizationId: org.id, planKey: "pro", interval: "month" }),
    ).rejects.toThrow(/Already on pro/);
  });

  it("switching to a metered plan swaps the base price and adds the metered prices", async () => {
    const { org, subscriptionId } = await checkout("pro");
    await billing.changePlan(service, {
      organizationId: org.id,
      planKey: "hybrid",
      interval: "month",
    });
    expect(h.server.subscriptions.get(subscriptionId)?.items).toHaveLength(4);
    await billing.changePlan(service, {
      organizationId: org.id,
      planKey: "payg",
      interval: "month",
    });
    expect(h.server.subscriptions.get(subscriptionId)?.items).toHaveLength(3);
    expect(await row(org.id)).toMatchObject({ planKey: "payg" });
  });

  it("cancel at period end → resume", async () => {
    const { org } = await checkout("pro");
    const canceled = await billing.cancelAtPeriodEnd(service, { organizationId: org.id });
    expect(canceled).toMatchObject({ status: "active", renewsAt: null });
    expect(canceled.endsAt).toBeInstanceOf(Date);
    expect(await row(org.id)).toMatchObject({ cancelAtPeriodEnd: true, status: "ACTIVE" });
    const resumed = await billing.resume(service, { organizationId: org.id });
    expect(resumed.endsAt).toBeNull();
    expect(resumed.renewsAt).toBeInstanceOf(Date);
    expect(await row(org.id)).toMatchObject({ cancelAtPeriodEnd: false });
  });

  it("payment failed → past_due (grace) → recovered; and → restricted after the grace period", async () => {
    const { org, subscriptionId } = await checkout("pro");
    const failedAt = Date.now();
    await h.deliver(h.server.failPayment(subscriptionId));
    const pastDue = await row(org.id);
    expect(pastDue.status).toBe("PAST_DUE");
    expect(pastDue.pastDueSince!.getTime()).toBeGreaterThanOrEqual(failedAt - 1000);
    const organization = { trialEndsAt: null, createdAt: new Date() };
    const at = (days: number) =>
      resolveEntitlements(demoCatalog, {
        organization,
        subscription: pastDue,
        now: new Date(pastDue.pastDueSince!.getTime() + days * DAY),
        pastDueGraceDays: 7,
      });
    expect(at(3)).toMatchObject({ status: "past_due_grace", access: "full" });
    expect(at(8)).toMatchObject({
      status: "restricted",
      access: "read_only",
      readOnlyReason: "PAYMENT_OVERDUE",
    });

    // A second failure keeps the original pastDueSince (the grace period does not restart).
    await h.deliver(h.server.failPayment(subscriptionId));
    expect((await row(org.id)).pastDueSince?.getTime()).toBe(pastDue.pastDueSince!.getTime());

    await h.deliver(h.server.recoverPayment(subscriptionId));
    const recovered = await row(org.id);
    expect(recovered).toMatchObject({ status: "ACTIVE", pastDueSince: null });
    expect(
      resolveEntitlements(demoCatalog, {
        organization,
        subscription: recovered,
        now: new Date(Date.now() + 30 * DAY),
        pastDueGraceDays: 7,
      }).access,
    ).toBe("full");

    const invoices = await billing.listInvoices(service, { organizationId: org.id });
    expect(invoices.length).toBeGreaterThanOrEqual(3);
    expect(invoices[0]).toMatchObject({
      provider: "stripe",
      status: expect.any(String) as unknown,
      hostedInvoiceUrl: expect.stringMatching(/^https:/) as unknown,
      invoicePdf: expect.stringMatching(/pdf$/) as unknown,
    });
    // Mirrored from Stripe by the invoice.* events: the failed invoice is now paid there and here.
    const stripeInvoices = [...h.server.invoices.values()].filter(
      (invoice) => invoice.customer === h.server.subscriptions.get(subscriptionId)?.customer,
    );
    for (const invoice of stripeInvoices) {
      expect(invoices.find((i) => i.id === invoice.id)).toMatchObject({
        status: invoice.status,
        amountDue: invoice.amount_due,
      });
    }
  });

  it("reconcileAll repairs drift that no webhook reported, and reports nothing when in sync", async () => {
    const { org, subscriptionId } = await checkout("pro");
    await reconcileAll(h.deps); // settle every organization of this file
    h.server.mutateSilently(subscriptionId, {
      status: "canceled",
      endedAt: Math.floor(Date.now() / 1000),
    });
    const report = await reconcileAll(h.deps);
    expect(report.failed).toEqual([]);
    expect(report.repaired.map((r) => r.organizationId)).toEqual([org.id]);
    expect(report.repaired[0]?.changed).toEqual(expect.arrayContaining(["status", "canceledAt"]));
    expect(await row(org.id)).toMatchObject({ status: "CANCELED" });
    expect((await reconcileAll(h.deps)).repaired).toEqual([]);
  });
});
