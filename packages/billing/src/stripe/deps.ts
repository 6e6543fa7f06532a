import type Stripe from "stripe";
import type { PrismaClient } from "@plinth/db";

/** Billing writes go through the privileged (system) client: webhooks and jobs have no tenant. */
export interface BillingDb {
  system: PrismaClient;
}

export interface StripeDeps {
  db: BillingDb;
  stripe: Stripe;
  now?: () => Date;
}

export const nowOf = (deps: { now?: () => Date }): Date => (deps.now ? deps.now() : new Date());
