// Shared set-up: a per-file PostgreSQL, the fake Stripe server, the real SDK pointed at it,
// the catalog synced, and a `deliver` helper that sends signed events through the webhook
// receiver and processes what it enqueued (what the web route + worker do in production).
import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { syncCatalog } from "../src/stripe/catalog-sync.ts";
import type { StripeDeps } from "../src/stripe/deps.ts";
import { processStripeEvent } from "../src/stripe/sync.ts";
import { receiveStripeWebhook } from "../src/stripe/webhooks.ts";
import { startStripeTestServer, type StripeTestServer } from "./stripe-server.ts";

export interface BillingHarness {
  db: TestDatabase;
  server: StripeTestServer;
  stripe: Stripe;
  deps: StripeDeps;
  /** Enqueued event ids, in order. */
  enqueued: string[];
  createOrg(name?: string): Promise<{ id: string }>;
  /** Signs and receives each event; processes the newly stored ones. Returns the HTTP statuses. */
  deliver(events: Stripe.Event[]): Promise<number[]>;
  close(): Promise<void>;
}

export async function createHarness(options: { syncCatalog?: boolean } = {}): Promise<BillingHarness> {
  const [db, server] = await Promise.all([createTestDatabase(), startStripeTestServer()]);
  const stripe = server.client();
  const deps: StripeDeps = { db, stripe };
  if (options.syncCatalog !== false) await syncCatalog(stripe);
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
        const queue: string[] = [];
        const result = await receiveStripeWebhook({
          rawBody,
          signature,
          db,
          secret: server.webhookSecret,
          enqueue: (eventId) => {
            queue.push(eventId);
            enqueued.push(eventId);
          },
        });
        statuses.push(result.status);
        for (const eventId of queue) await processStripeEvent(deps, eventId);
      }
      return statuses;
    },
    async close() {
      await Promise.all([db.drop(), server.close()]);
    },
  };
}
