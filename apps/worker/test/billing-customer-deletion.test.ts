// A deleted organization's Stripe customer is deleted too: organization.delete (tRPC, as its
// owner) enqueues billing.deleteCustomer in the deletion's own transaction, and a real worker
// deletes the customer at the Stripe test server (the official SDK's customers.del). A Stripe
// outage fails the job, which graphile-worker retries until it succeeds; a customer that is
// already gone is success.
import { afterAll, beforeAll, expect, it } from "vitest";
import { systemAudit } from "@plinth/core/audit";
import { syncCatalog } from "@plinth/billing/stripe/catalog-sync";
import type { BillingRuntime } from "@plinth/billing/stripe/client";
import { ensureStripeCustomer } from "@plinth/billing/stripe/customers";
import { syncStripeCustomer } from "@plinth/billing/stripe/sync";
import {
  startStripeTestServer,
  type StripeTestServer,
} from "@plinth/billing/testing/stripe-server";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { enqueueSystem, jobs, listFailedJobs } from "@plinth/jobs";
import { createOrganizationWithOwner } from "@plinth/platform";
import { activeProduct } from "@plinth/product";
import { appRouter } from "@plinth/product/trpc";
import { createCallerFactory, createContext } from "@plinth/trpc";
import { queueRows, startTestWorker, waitFor, type TestWorker } from "./helpers.ts";

let db: TestDatabase;
let server: StripeTestServer;
let worker: TestWorker;
let billing: BillingRuntime;
const product = activeProduct();
const createCaller = createCallerFactory(appRouter());

beforeAll(async () => {
  [db, server] = await Promise.all([createTestDatabase(), startStripeTestServer()]);
  const stripe = server.client();
  await syncCatalog(stripe, product.catalog);
  billing = { stripe, appUrl: "http://app.test", pastDueGraceDays: 7 };
  worker = await startTestWorker(db, { billing: { stripe, pastDueGraceDays: 7 } });
});
afterAll(async () => {
  await worker.stop();
  await Promise.all([db.drop(), server.close()]);
});

/** An organization with a Stripe customer and a live Pro subscription, and its owner's API. */
async function billedOrganization(name: string) {
  const user = await db.system.user.create({
    data: { email: `${name.toLowerCase().replace(/\W+/g, "-")}@deletion.test`, name },
  });
  const org = await createOrganizationWithOwner(db.app, product.catalog, systemAudit("test", "t"), {
    name,
    ownerId: user.id,
    now: new Date(),
  });
  const deps = { db, stripe: server.client(), catalog: product.catalog };
  const customerId = await ensureStripeCustomer(deps, org.id);
  const { subscriptionId } = server.createSubscription(customerId, ["plinth_pro_month"], {
    metadata: { organizationId: org.id, plinth_plan: "pro" },
  });
  await syncStripeCustomer(deps, { organizationId: org.id, customerId });
  const api = createCaller(
    createContext({
      database: db,
      product,
      billing,
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        platformRole: user.platformRole,
        status: user.status,
        emailVerified: new Date(),
      },
    }),
  );
  return { org, customerId, subscriptionId, api };
}

const deletionJobs = () => queueRows(db.system, "billing.deleteCustomer");

it("deleting the organization deletes its Stripe customer (and so its subscription)", async () => {
  const { org, customerId, subscriptionId, api } = await billedOrganization("Leaving Co");
  expect(server.customers.has(customerId)).toBe(true);
  await api.organization.delete({ organizationId: org.id, confirmSlug: org.slug });
  expect(await db.system.organization.findUnique({ where: { id: org.id } })).toBeNull();
  await waitFor(() => !server.customers.has(customerId), { what: "the customer's deletion" });
  expect(server.subscriptionObject(subscriptionId).status).toBe("canceled");
  await waitFor(async () => (await deletionJobs()).length === 0, { what: "the job to finish" });
  expect(worker.logs).toContainEqual(
    expect.objectContaining({
      msg: "billing customer deleted",
      organizationId: org.id,
      provider: "stripe",
      alreadyGone: false,
    }),
  );
});

it("a Stripe outage fails the job; its retry deletes the customer", async () => {
  const { org, customerId, api } = await billedOrganization("Outage Co");
  server.faults.customerDeletesFailing = 1;
  await api.organization.delete({ organizationId: org.id, confirmSlug: org.slug });
  const [failed] = await waitFor(
    async () => {
      const rows = await deletionJobs();
      return rows[0]?.attempts === 1 && rows[0].last_error ? rows : null;
    },
    { what: "the first attempt to fail" },
  );
  expect(failed?.payload).toEqual({
    organizationId: org.id,
    provider: "stripe",
    customerId,
    subscriptionIds: [],
  });
  expect(server.customers.has(customerId)).toBe(true);
  // The retry's backoff shortened: run it now rather than in e¹ seconds.
  await db.system.$executeRaw`
    UPDATE graphile_worker._private_jobs SET run_at = now() WHERE id = ${failed?.id ?? 0n}`;
  await waitFor(() => !server.customers.has(customerId), { what: "the retried deletion" });
  await waitFor(async () => (await deletionJobs()).length === 0, { what: "the job to finish" });
  expect(await listFailedJobs(db.system)).toEqual([]);
});

it("a customer that is already deleted is success (the job is idempotent)", async () => {
  const { org, customerId, api } = await billedOrganization("Twice Co");
  await api.organization.delete({ organizationId: org.id, confirmSlug: org.slug });
  await waitFor(() => !server.customers.has(customerId), { what: "the customer's deletion" });
  await enqueueSystem(db.system, jobs.billingDeleteCustomer, {
    organizationId: org.id,
    provider: "stripe",
    customerId,
    subscriptionIds: [],
  });
  await waitFor(
    () =>
      worker.logs.some(
        (line) =>
          line.msg === "billing customer deleted" &&
          line.organizationId === org.id &&
          line.alreadyGone === true,
      ),
    { what: "the second deletion's success" },
  );
  expect(await listFailedJobs(db.system)).toEqual([]);
});

it("deleting the owner's account deletes their sole organization's Stripe customer too", async () => {
  const { org, customerId, subscriptionId, api } = await billedOrganization("Sole Owner Co");
  // A paid subscription blocks account deletion: this one has ended, the customer remains.
  const stripe = server.client();
  await stripe.subscriptions.cancel(subscriptionId);
  await syncStripeCustomer(
    { db, stripe, catalog: product.catalog },
    { organizationId: org.id, customerId },
  );
  await api.account.deleteAccount({ confirmEmail: "sole-owner-co@deletion.test" });
  expect(await db.system.organization.findUnique({ where: { id: org.id } })).toBeNull();
  await waitFor(() => !server.customers.has(customerId), { what: "the customer's deletion" });
});

it("an organization without a provider customer enqueues nothing", async () => {
  const user = await db.system.user.create({ data: { email: "trial@deletion.test" } });
  const org = await createOrganizationWithOwner(db.app, product.catalog, systemAudit("test", "t"), {
    name: "Trial Co",
    ownerId: user.id,
    now: new Date(),
  });
  const api = createCaller(
    createContext({
      database: db,
      product,
      billing,
      user: { ...user, emailVerified: new Date() },
    }),
  );
  await api.organization.delete({ organizationId: org.id, confirmSlug: org.slug });
  expect(await deletionJobs()).toEqual([]);
});
