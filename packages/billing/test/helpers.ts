// Shared set-up: a per-file PostgreSQL, the fake Stripe server, the real SDK pointed at it,
// the catalog synced, and a `deliver` helper that sends signed events through the webhook
// receiver and processes the jobs it scheduled (what the web route + worker do in production;
// test databases have graphile-worker's schema, see test/global-setup.ts).
import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { jobs, parsePayload } from "@plinth/jobs";
import { syncCatalog } from "../src/stripe/catalog-sync.ts";
import type { StripeDeps } from "../src/stripe/deps.ts";
import { demoCatalog } from "./catalog.ts";
import { processStripeEvent } from "../src/stripe/sync.ts";
import { receiveStripeWebhook } from "../src/stripe/webhooks.ts";
import { startStripeTestServer, type StripeTestServer } from "./stripe-server.ts";

export interface BillingHarness {
  db: TestDatabase;
  server: StripeTestServer;
  stripe: Stripe;
  deps: StripeDeps;
  /** Event ids of the jobs the intake scheduled (read from graphile-worker's queue), in order. */
  enqueued: string[];
  createOrg(name?: string): Promise<{ id: string }>;
  /** Signs and receives each event; processes the newly stored ones. Returns the HTTP statuses. */
  deliver(events: Stripe.Event[]): Promise<number[]>;
  close(): Promise<void>;
}

export async function createHarness(
  options: { syncCatalog?: boolean } = {},
): Promise<BillingHarness> {
  const [db, server] = await Promise.all([createTestDatabase(), startStripeTestServer()]);
  const stripe = server.client();
  const deps: StripeDeps = { db, stripe, catalog: demoCatalog };
  if (options.syncCatalog !== false) await syncCatalog(stripe, demoCatalog);
  const enqueued: string[] = [];
  return {
    db,
    server,
    stripe,
    deps,
    enqueued,
    createOrg: (name = "Acme") =>
      db.system.organization.create({
        data: { name, slug: `${name.toLowerCase()}-${randomBytes(4).toString("hex")}` },
        select: { id: true },
      }),
    async deliver(events) {
      const statuses: number[] = [];
      for (const event of events) {
        const { rawBody, signature } = server.signed(event);
        const result = await receiveStripeWebhook({
          rawBody,
          signature,
          db,
          secret: server.webhookSecret,
        });
        statuses.push(result.status);
        // What the worker would pick up: the job the intake statement scheduled, read back
        // from graphile-worker's queue (a duplicate schedules none).
        const jobId = result.status === 200 ? result.jobId : null;
        if (jobId === null) continue;
        const [job] = await db.system.$queryRaw<{ identifier: string; payload: unknown }[]>`
          SELECT t.identifier, j.payload FROM graphile_worker._private_jobs j
          JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE j.id = ${BigInt(jobId)}`;
        if (job?.identifier !== jobs.billingProcessStripeEvent.name)
          throw new Error(`job ${jobId} is not a billing.processStripeEvent job`);
        const { eventId } = parsePayload(jobs.billingProcessStripeEvent, job.payload);
        enqueued.push(eventId);
        await processStripeEvent(deps, eventId);
      }
      return statuses;
    },
    async close() {
      await Promise.all([db.drop(), server.close()]);
    },
  };
}

/** Jobs in graphile-worker's queue that process this event (any state). */
export async function stripeEventJobs(db: TestDatabase, eventId?: string) {
  return db.system.$queryRaw<{ id: bigint; payload: { eventId: string } }[]>`
    SELECT j.id, j.payload FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = 'billing.processStripeEvent' AND (${eventId ?? null}::text IS NULL OR j.payload->>'eventId' = ${eventId ?? null}::text)`;
}

/**
 * Runs `fn` while graphile_worker.add_job fails at run time: a trigger refuses every insert into
 * the jobs table ("queue down"). The failure happens while the intake statement executes —
 * after its inbox INSERT produced the row — so "nothing stored" afterwards shows the statement
 * is atomic, not merely that it failed before doing anything.
 */
export async function withQueueDown<T>(db: TestDatabase, fn: () => Promise<T>): Promise<T> {
  await db.system.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION public.plinth_test_queue_down() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'queue down'; END $$`);
  await db.system.$executeRawUnsafe(
    `CREATE TRIGGER plinth_test_queue_down BEFORE INSERT ON graphile_worker._private_jobs FOR EACH ROW EXECUTE FUNCTION public.plinth_test_queue_down()`,
  );
  try {
    return await fn();
  } finally {
    await db.system.$executeRawUnsafe(
      `DROP TRIGGER plinth_test_queue_down ON graphile_worker._private_jobs`,
    );
  }
}
