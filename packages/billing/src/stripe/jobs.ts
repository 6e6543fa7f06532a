// Job descriptors for the worker: name, payload schema and handler. The worker registers them
// with @plinth/jobs (defineJob + its runner); handlers are the plain functions tested here.
import { z } from "zod";
import type { BillingDb } from "./deps.ts";
import type Stripe from "stripe";
import type { Catalog } from "../catalog.ts";
import { expireLocalSubscriptions } from "../local/provider.ts";
import { pendingStripeEventIds, processStripeEvent, reconcileAll } from "./sync.ts";
import { reportUsage } from "./usage.ts";
import { reportUsageInvoiceItems, type UsageLinesSource } from "../usage-lines.ts";

export interface BillingJobContext {
  db: BillingDb;
  catalog: Catalog;
  /** null when billing runs on the local provider. */
  stripe: Stripe | null;
  now?: () => Date;
  log?: (line: string) => void;
  /** Re-schedules processing of an inbox event (stored but never enqueued). */
  enqueueStripeEvent?: (eventId: string) => Promise<unknown>;
  /** The product modules' invoice lines (meters billed at event cost); absent: none. */
  usageLines?: UsageLinesSource;
}

export interface BillingJob<TSchema extends z.ZodType = z.ZodType> {
  name: string;
  payloadSchema: TSchema;
  /** graphile-worker queue: one at a time within it. */
  queue?: string;
  maxAttempts?: number;
  handler: (ctx: BillingJobContext, payload: z.output<TSchema>) => Promise<unknown>;
}

const job = <TSchema extends z.ZodType>(definition: BillingJob<TSchema>): BillingJob<TSchema> =>
  definition;

export const processStripeEventJob = job({
  name: "billing.processStripeEvent",
  payloadSchema: z.object({ eventId: z.string().min(1).max(255) }),
  maxAttempts: 10,
  handler: async (ctx, { eventId }) => {
    if (!ctx.stripe) return { status: "skipped: no stripe" };
    return processStripeEvent(
      {
        db: ctx.db,
        stripe: ctx.stripe,
        catalog: ctx.catalog,
        ...(ctx.now ? { now: ctx.now } : {}),
      },
      eventId,
    );
  },
});

export const reconcileJob = job({
  name: "billing.reconcile",
  payloadSchema: z.object({}).loose(),
  queue: "billing.reconcile",
  maxAttempts: 3,
  handler: async (ctx) => {
    const expired = await expireLocalSubscriptions(ctx.db, ctx.now?.() ?? new Date());
    if (!ctx.stripe) return { expired };
    const deps = {
      db: ctx.db,
      stripe: ctx.stripe,
      catalog: ctx.catalog,
      ...(ctx.now ? { now: ctx.now } : {}),
      ...(ctx.log ? { log: ctx.log } : {}),
    };
    const pending = await pendingStripeEventIds(deps, {
      receivedBefore: new Date(Date.now() - 10 * 60_000),
    });
    for (const eventId of pending) await ctx.enqueueStripeEvent?.(eventId);
    const report = await reconcileAll(deps);

    return {
      expired,
      requeued: pending.length,
      checked: report.checked,
      repaired: report.repaired.length,
      failed: report.failed,
    };
  },
});

export const reportUsageJob = job({
  name: "billing.reportUsage",
  payloadSchema: z.object({ organizationId: z.string().optional() }),
  queue: "billing.usage",
  maxAttempts: 5,
  handler: async (ctx, { organizationId }) => {
    if (!ctx.stripe) return { reported: 0 };
    const result = await reportUsage(
      {
        db: ctx.db,
        stripe: ctx.stripe,
        catalog: ctx.catalog,
        ...(ctx.now ? { now: ctx.now } : {}),
      },
      { ...(organizationId ? { organizationId } : {}), ...(ctx.log ? { log: ctx.log } : {}) },
    );
    // Meters billed at the events' own cost: their lines as pending invoice items.
    const items = ctx.usageLines
      ? await reportUsageInvoiceItems(
          {
            db: ctx.db,
            stripe: ctx.stripe,
            catalog: ctx.catalog,
            ...(ctx.now ? { now: ctx.now } : {}),
          },
          ctx.usageLines,
          organizationId ? { organizationId } : {},
        )
      : { synced: 0, failed: [] };
    if (result.failed.length > 0 || items.failed.length > 0)
      throw new Error(
        `usage report failed for ${result.failed.length} counters and ${items.failed.length} organizations' invoice items`,
      );
    return { reported: result.reported.length, invoiceItems: items.synced };
  },
});

export const billingJobs: readonly BillingJob[] = [
  processStripeEventJob,
  reconcileJob,
  reportUsageJob,
] as BillingJob[];
