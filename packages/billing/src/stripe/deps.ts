import type Stripe from "stripe";
import type { PrismaClient } from "@plinth/db";
import type { Catalog } from "../catalog.ts";

/** Billing writes go through the privileged (system) client: webhooks and jobs have no tenant. */
export interface BillingDb {
  system: PrismaClient;
}

export interface StripeDeps {
  db: BillingDb;
  stripe: Stripe;
  /** The product's plans (what Stripe's prices mirror). */
  catalog: Catalog;
  now?: () => Date;
}

export const nowOf = (deps: { now?: () => Date }): Date => (deps.now ? deps.now() : new Date());
