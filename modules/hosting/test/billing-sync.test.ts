// Workspace items kept equal to the billed workspaces outside a request (./src/billing.ts):
// the reconcile that hosting.syncAccess runs (a trial's workspace billed once the organization
// has checked out, on the local provider and on Stripe; a second run changes nothing and calls
// no provider), and failed provisions (never ready: not a billed unit — the failing run
// enqueues hosting.syncItems, which credits the unit; the tenant's retry bills it again in its
// own transaction, the operator's through the job; a failed update of a ready one stays billed).
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
import { reconcileWorkspaceItems } from "../src/billing.ts";
import type { HostingProvider } from "../src/providers/types.ts";
import { worker } from "../src/worker.ts";
import {
  callerFor,
  createOrganization,
  createUser,
  localProvider,
  product,
  runHosting,
  silentLogger,
  workerServices,
} from "./kit.ts";

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
  process.env.HOSTING_LOCAL_DATABASE_URL = db.url;
});
afterAll(() => Promise.all([db.drop(), server.close()]));

const local = { stripe: null, appUrl: "http://app.test", pastDueGraceDays: 7 };
const REQUEST = { app: "bahmni", version: "1.0.0", size: "small", region: "eu-central" };

const items = (organizationId: string) =>
  db.system.subscriptionItem
    .findMany({ where: { organizationId }, orderBy: { itemKey: "asc" } })
    .then((rows) => rows.map((row) => [row.itemKey, row.quantity]));

const itemAudits = (organizationId: string) =>
  db.system.auditLog.findMany({
    where: { organizationId, action: "billing.items_changed" },
    orderBy: { createdAt: "asc" },
    select: { actorType: true, changes: true },
  });

const itemInvoices = (organizationId: string) =>
  db.system.invoice.findMany({
    where: { organizationId, description: { startsWith: "Subscription items" } },
    orderBy: { createdAt: "asc" },
    select: { amountDue: true },
  });

/** The hosting.syncItems jobs waiting for `organizationId`. */
async function pendingSyncs(organizationId: string) {
  const rows = await db.system.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = 'hosting.syncItems' AND j.payload->>'organizationId' = ${organizationId}`;
  return Number(rows[0]?.n ?? 0);
}

function jobContext(name: string, billing: { stripe: Stripe | null; pastDueGraceDays: number }) {
  return {
    prisma: db.system,
    log: silentLogger,
    job: { id: "1", name, attempt: 1, maxAttempts: 3, isFinalAttempt: false },
    signal: new AbortController().signal,
    appUrl: "http://localhost:3000",
    ...workerServices,
    billing,
  };
}

/** Runs the worker's handler of `name` (as the worker would) on `payload`. */
async function runJob(
  name: "hosting.syncAccess" | "hosting.syncItems",
  payload: unknown,
  billing: { stripe: Stripe | null; pastDueGraceDays: number } = workerServices.billing,
) {
  const job = worker.jobs.find((entry) => entry.definition.name === name);
  if (!job) throw new Error(`${name} is not registered`);
  await job.prepare(payload)(jobContext(name, billing));
}

/** A Stripe customer and enterprise subscription for the organization (webhooks delivered). */
async function stripeSubscription(organizationId: string, name: string) {
  const customer = await stripe.customers.create({ name });
  await db.system.organization.update({
    where: { id: organizationId },
    data: { stripeCustomerId: customer.id },
  });
  const created = server.createSubscription(customer.id, ["plinth_enterprise_month"], {
    metadata: { organizationId, plinth_plan: "enterprise" },
  });
  for (const event of created.events) {
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
  return created.subscriptionId;
}

const reconcile = (now: Date, stripeClient: Stripe | null = null) =>
  reconcileWorkspaceItems(db.system, {
    catalog: product.catalog,
    billing: { stripe: stripeClient, pastDueGraceDays: 7 },
    now,
    batchSize: 2,
  });

describe("the reconcile (hosting.syncAccess)", () => {
  it("a trial's workspace becomes an item once the organization has checked out; twice changes nothing", async () => {
    const owner = await createUser(db, "owner-trial@sync.test");
    const org = await createOrganization(db, owner, "Sync trial", T0);
    const organizationId = org.id;
    const onTrial = callerFor(db, owner, { billing: local, now: () => at(0) });
    const requested = await onTrial.workspace.request({ organizationId, name: "t", ...REQUEST });
    expect(requested.billing).toBeNull(); // the trial's allowance
    await runHosting(db, { runId: requested.runId, organizationId });

    // Checkout (day 0): the plan only; the workspace is not yet an item.
    await onTrial.billing.completeTestCheckout({
      organizationId,
      planKey: "enterprise",
      interval: "month",
    });
    expect(await items(organizationId)).toEqual([["enterprise", 1]]);

    // The cron on day 10 (its `_cron.ts` is the proration date): 21 of 31 days charged.
    await runJob("hosting.syncAccess", { _cron: { ts: at(10).toISOString() } });
    expect(await items(organizationId)).toEqual([
      ["bahmnistandard", 1],
      ["enterprise", 1],
    ]);
    expect(await itemInvoices(organizationId)).toEqual([{ amountDue: prorated(29_900, 21) }]);
    expect(await itemAudits(organizationId)).toEqual([
      {
        actorType: "SYSTEM",
        changes: {
          items: { from: "bahmnistandard×0", to: "bahmnistandard×1" },
          prorationAmount: { to: prorated(29_900, 21) },
        },
      },
    ]);

    // Again: nothing differs, no provider call (no invoice), no audit entry.
    const again = await reconcile(at(11));
    expect(again).toMatchObject({ changed: 0, failed: 0 });
    expect(again.checked).toBeGreaterThanOrEqual(1);
    expect(await itemInvoices(organizationId)).toHaveLength(1);
    expect(await itemAudits(organizationId)).toHaveLength(1);
  });

  it("on Stripe: the subscription created after the trial gets the workspace's price; a second run sends nothing", async () => {
    const owner = await createUser(db, "owner-stripe@sync.test");
    const org = await createOrganization(db, owner, "Sync Stripe");
    const organizationId = org.id;
    const stripeBilling = { stripe, appUrl: "https://app.example", pastDueGraceDays: 7 };
    const api = callerFor(db, owner, { billing: stripeBilling });
    const requested = await api.workspace.request({ organizationId, name: "emr", ...REQUEST });
    expect(requested.billing).toBeNull();

    const subscriptionId = await stripeSubscription(organizationId, "Sync Stripe");
    expect(await items(organizationId)).toEqual([["enterprise", 1]]);

    const updatesOf = (from: number) =>
      server.requests
        .slice(from)
        .filter((r) => r.method === "POST" && r.path === `/v1/subscriptions/${subscriptionId}`);
    const price = [...server.prices.values()].find(
      (p) => p.lookup_key === "plinth_bahmnistandard_month",
    )?.id;
    const before = server.requests.length;
    await runJob(
      "hosting.syncAccess",
      { _cron: { ts: new Date().toISOString() } },
      { stripe, pastDueGraceDays: 7 },
    );
    const updates = updatesOf(before);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.params).toMatchObject({
      items: [{ price, quantity: "1" }],
      proration_behavior: "create_prorations",
    });
    expect(await items(organizationId)).toEqual([
      ["bahmnistandard", 1],
      ["enterprise", 1],
    ]);

    const second = server.requests.length;
    expect(await reconcile(new Date(), stripe)).toMatchObject({ changed: 0, failed: 0 });
    expect(updatesOf(second)).toEqual([]);
  });
});

describe("failed provisions", () => {
  // At the real clock: the sync job prorates at the time it runs (the period must hold it).
  async function paidOrg(tag: string) {
    const owner = await createUser(db, `owner-${tag}@sync.test`);
    const org = await createOrganization(db, owner, `Sync ${tag}`);
    const api = callerFor(db, owner, { billing: local });
    await api.billing.completeTestCheckout({
      organizationId: org.id,
      planKey: "enterprise",
      interval: "month",
    });
    return { owner, organizationId: org.id, api };
  }

  const failing = (): HostingProvider => ({
    ...localProvider(db),
    apply: () => Promise.reject(new Error("disk full (simulated)")),
  });

  it("a provision that failed is credited by hosting.syncItems; the tenant's retry bills it again", async () => {
    const { organizationId, api } = await paidOrg("failed");
    const requested = await api.workspace.request({ organizationId, name: "emr", ...REQUEST });
    expect(requested.billing?.changes).toEqual([{ key: "bahmnistandard", from: 0, to: 1 }]);
    const workspaceId = requested.workspace.id;

    await runHosting(db, { runId: requested.runId, organizationId }, failing());
    const failed = await db.system.hostingWorkspace.findUniqueOrThrow({
      where: { id: workspaceId },
    });
    expect(failed).toMatchObject({ state: "FAILED", readyAt: null });
    // The failing run's transaction enqueued the sync (one per organization: its job key).
    expect(await pendingSyncs(organizationId)).toBe(1);
    expect(await items(organizationId)).toContainEqual(["bahmnistandard", 1]); // not yet

    await runJob("hosting.syncItems", { organizationId });
    expect(await items(organizationId)).toEqual([["enterprise", 1]]);
    const audits = await itemAudits(organizationId);
    expect(audits.at(-1)).toMatchObject({
      actorType: "SYSTEM",
      changes: { items: { from: "bahmnistandard×1", to: "bahmnistandard×0" } },
    });
    // Again: nothing differs, no provider call.
    const invoices = (await itemInvoices(organizationId)).length;
    await runJob("hosting.syncItems", { organizationId });
    expect(await itemInvoices(organizationId)).toHaveLength(invoices);
    expect(await itemAudits(organizationId)).toHaveLength(audits.length);

    // The preview of a new request counts the failed one out too.
    const preview = await api.workspace.previewRequest({ organizationId, ...REQUEST });
    expect(preview.change?.changes).toEqual([{ key: "bahmnistandard", from: 0, to: 1 }]);

    // Retried: requested anew, billed again in the retry's own transaction.
    const retried = await api.workspace.retry({ organizationId, workspaceId });
    expect(retried.workspace.state).toBe("REQUESTED");
    expect(retried.billing).toMatchObject({
      applied: true,
      changes: [{ key: "bahmnistandard", from: 0, to: 1 }],
    });
    expect(retried.billing?.prorationAmount).toBeGreaterThan(0);
    expect(await items(organizationId)).toContainEqual(["bahmnistandard", 1]);

    // It provisions: READY, still one unit (nothing to change, no sync enqueued).
    await db.system.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    await runHosting(db, { runId: retried.runId, organizationId });
    expect(
      await db.system.hostingWorkspace.findUniqueOrThrow({ where: { id: workspaceId } }),
    ).toMatchObject({ state: "READY" });
    expect(await pendingSyncs(organizationId)).toBe(0);

    // A failed update of the ready workspace: its database still serves, it stays billed.
    const updated = await api.workspace.update({ organizationId, workspaceId, size: "medium" });
    await runHosting(db, { runId: updated.runId, organizationId }, failing());
    expect(
      await db.system.hostingWorkspace.findUniqueOrThrow({ where: { id: workspaceId } }),
    ).toMatchObject({ state: "FAILED" });
    expect(await pendingSyncs(organizationId)).toBe(0);
    expect(await items(organizationId)).toContainEqual(["bahmnistandard", 1]);
    expect(await reconcile(new Date())).toMatchObject({ changed: 0, failed: 0 });
    expect(await items(organizationId)).toContainEqual(["bahmnistandard", 1]);
  });

  it("an update of a failed provision requests it anew: billed again in the update's transaction", async () => {
    const { organizationId, api } = await paidOrg("update");
    const requested = await api.workspace.request({ organizationId, name: "emr", ...REQUEST });
    await runHosting(db, { runId: requested.runId, organizationId }, failing());
    await runJob("hosting.syncItems", { organizationId });
    expect(await items(organizationId)).toEqual([["enterprise", 1]]);
    const updated = await api.workspace.update({
      organizationId,
      workspaceId: requested.workspace.id,
      size: "medium",
    });
    expect(updated.workspace.state).toBe("UPDATING");
    expect(updated.billing?.changes).toEqual([{ key: "bahmnistandard", from: 0, to: 1 }]);
    expect(await items(organizationId)).toContainEqual(["bahmnistandard", 1]);
  });

  it("on Stripe: the failed provision's item deleted by hosting.syncItems (credited), once", async () => {
    const owner = await createUser(db, "owner-stripe-failed@sync.test");
    const org = await createOrganization(db, owner, "Sync Stripe failed");
    const organizationId = org.id;
    const subscriptionId = await stripeSubscription(organizationId, "Sync Stripe failed");
    const stripeBilling = { stripe, appUrl: "https://app.example", pastDueGraceDays: 7 };
    const api = callerFor(db, owner, { billing: stripeBilling });
    const requested = await api.workspace.request({ organizationId, name: "emr", ...REQUEST });
    expect(requested.billing?.changes).toEqual([{ key: "bahmnistandard", from: 0, to: 1 }]);
    await runHosting(db, { runId: requested.runId, organizationId }, failing());

    const updatesSince = (from: number) =>
      server.requests
        .slice(from)
        .filter((r) => r.method === "POST" && r.path === `/v1/subscriptions/${subscriptionId}`);
    const before = server.requests.length;
    const onStripe = { stripe, pastDueGraceDays: 7 };
    await runJob("hosting.syncItems", { organizationId }, onStripe);
    const updates = updatesSince(before);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.params).toMatchObject({
      items: [{ deleted: "true" }],
      proration_behavior: "create_prorations",
    });
    expect(await items(organizationId)).toEqual([["enterprise", 1]]);
    const again = server.requests.length;
    await runJob("hosting.syncItems", { organizationId }, onStripe);
    expect(updatesSince(again)).toEqual([]);
  });

  it("a lost sync is corrected by the reconcile; the operator's retry enqueues the sync", async () => {
    const { organizationId, api } = await paidOrg("lost");
    const requested = await api.workspace.request({ organizationId, name: "emr", ...REQUEST });
    await runHosting(db, { runId: requested.runId, organizationId }, failing());
    // The job never runs (lost, or its attempts used up): the reconcile corrects the items.
    await db.system.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    expect(await items(organizationId)).toContainEqual(["bahmnistandard", 1]);
    const outcome = await reconcile(new Date());
    expect(outcome).toMatchObject({ changed: 1, failed: 0 });
    expect(await items(organizationId)).toEqual([["enterprise", 1]]);
    // The request's charge, then the credit (nothing due now).
    expect((await itemInvoices(organizationId)).map((i) => i.amountDue > 0)).toEqual([true, false]);

    // The operator retries: the organization's sync is enqueued in the retry's transaction.
    const operator = await createUser(db, "operator@sync.test", { platformRole: "SUPER_ADMIN" });
    await callerFor(db, operator, { billing: local }).hostingOps.retry({
      workspaceId: requested.workspace.id,
    });
    expect(await pendingSyncs(organizationId)).toBe(1);
    await runJob("hosting.syncItems", { organizationId });
    expect(await items(organizationId)).toContainEqual(["bahmnistandard", 1]);
  });
});
