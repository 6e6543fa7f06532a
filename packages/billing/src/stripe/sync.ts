// Converging Plinth's Subscription row on Stripe's current state. Every customer-related
// webhook event, whatever its type or age, triggers the same thing: list the customer's
// subscriptions from Stripe and write the one that matters. The event payload itself is never
// trusted for state, so duplicates and out-of-order deliveries converge on Stripe's truth.
import type { SubscriptionModel as Subscription } from "@plinth/db";
import type { Catalog } from "../catalog.ts";
import type { SubscriptionStatusValue } from "../entitlements.ts";
import { nowOf, type StripeDeps } from "./deps.ts";
import {
  eventCustomerId,
  stripeEventSchema,
  stripeSubscriptionSchema,
  type StripeEventPayload,
  type StripeSubscriptionSnapshot,
} from "./events.ts";
import { planFromPrice } from "./prices.ts";
import { syncStripeInvoices } from "../invoices.ts";
import { mirrorStripeItems } from "../items.ts";
import { fulfilSignUpPlan } from "../sign-up-plan.ts";

export const UNKNOWN_CUSTOMER = "unknown customer";

const STATUS: Record<StripeSubscriptionSnapshot["status"], SubscriptionStatusValue> = {
  incomplete: "INCOMPLETE",
  incomplete_expired: "INCOMPLETE_EXPIRED",
  trialing: "TRIALING",
  active: "ACTIVE",
  past_due: "PAST_DUE",
  canceled: "CANCELED",
  unpaid: "UNPAID",
  paused: "PAUSED",
};

/** Which of a customer's subscriptions Plinth mirrors: the most relevant live one. */
const STATUS_RANK: Record<StripeSubscriptionSnapshot["status"], number> = {
  active: 0,
  past_due: 0,
  trialing: 0,
  unpaid: 1,
  paused: 1,
  incomplete: 2,
  incomplete_expired: 3,
  canceled: 3,
};

export function pickCurrentSubscription(
  subscriptions: StripeSubscriptionSnapshot[],
): StripeSubscriptionSnapshot | undefined {
  return [...subscriptions].sort(
    (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || b.created - a.created,
  )[0];
}

/** The columns of a Subscription row derived from a Stripe subscription. */
export interface MirroredSubscription {
  planKey: string;
  status: SubscriptionStatusValue;
  interval: "MONTH" | "YEAR" | null;
  stripeSubscriptionId: string;
  stripePriceIds: string[];
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** When paying began: the end of the trial, if any, else the start. */
  startedAt: Date | null;
  canceledAt: Date | null;
  trialEndsAt: Date | null;
}

const fromUnix = (seconds: number | null | undefined) =>
  seconds == null ? null : new Date(seconds * 1000);

export function mirrorSubscription(
  catalog: Catalog,
  subscription: StripeSubscriptionSnapshot,
): MirroredSubscription {
  const items = subscription.items.data;
  const base = items.find((item) => item.price.recurring?.usage_type === "licensed") ?? items[0];
  const fromMetadata = subscription.metadata?.plinth_plan;
  const itemPlans = items
    .map((item) => planFromPrice(catalog, item.price))
    .filter((key) => key !== undefined);
  // Several plan-priced items (subscription items): the plan is the one the metadata names.
  const planKey =
    (fromMetadata && itemPlans.includes(fromMetadata) ? fromMetadata : undefined) ??
    itemPlans[0] ??
    (fromMetadata && catalog.getPlan(fromMetadata) ? fromMetadata : undefined);
  if (!planKey) throw new Error(`Stripe subscription ${subscription.id} has no Plinth price`);
  const interval = base?.price.recurring?.interval;
  const ended = subscription.status === "canceled" || subscription.status === "incomplete_expired";
  return {
    planKey,
    status: STATUS[subscription.status],
    interval: interval === "month" ? "MONTH" : interval === "year" ? "YEAR" : null,
    stripeSubscriptionId: subscription.id,
    stripePriceIds: items.map((item) => item.price.id).sort(),
    currentPeriodStart: fromUnix(base?.current_period_start),
    currentPeriodEnd: fromUnix(base?.current_period_end),
    cancelAtPeriodEnd:
      !ended && (subscription.cancel_at_period_end || subscription.cancel_at !== null),
    startedAt: fromUnix(subscription.trial_end ?? subscription.start_date ?? subscription.created),
    canceledAt: ended ? fromUnix(subscription.ended_at ?? subscription.canceled_at) : null,
    trialEndsAt: fromUnix(subscription.trial_end),
  };
}

const COMPARED = [
  "planKey",
  "status",
  "interval",
  "stripeSubscriptionId",
  "stripePriceIds",
  "currentPeriodStart",
  "currentPeriodEnd",
  "cancelAtPeriodEnd",
  "startedAt",
  "canceledAt",
  "trialEndsAt",
  "pastDueSince",
  "provider",
] as const;
type Compared = (typeof COMPARED)[number];

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

export interface CustomerSyncResult {
  organizationId: string;
  customerId: string;
  /** Fields that changed on the Subscription row (empty: already in sync). */
  changed: Compared[];
  before: Pick<Subscription, Compared> | null;
  after: Pick<Subscription, Compared> | null;
  /** subscription_items rows inserted, updated or deleted (0: already in sync). */
  itemsWritten: number;
}

/**
 * Reads the customer's subscriptions from Stripe and writes the organization's Subscription
 * row. Serialised per customer (advisory lock) so two workers cannot interleave an older read
 * with a newer write.
 */
export async function syncStripeCustomer(
  deps: StripeDeps,
  target: { organizationId: string; customerId: string },
): Promise<CustomerSyncResult> {
  const { system } = deps.db;
  return system.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`stripe-sync:${target.customerId}`}))`;
      const subscriptions: StripeSubscriptionSnapshot[] = [];
      for await (const raw of deps.stripe.subscriptions.list({
        customer: target.customerId,
        status: "all",
        limit: 100,
      })) {
        subscriptions.push(stripeSubscriptionSchema.parse(raw));
      }
      const existing = await tx.subscription.findUnique({
        where: { organizationId: target.organizationId },
      });
      const before = existing ? pick(existing) : null;
      const current = pickCurrentSubscription(subscriptions);
      if (!current) {
        // A customer without subscriptions (checkout started, never completed): nothing to mirror.
        return { ...target, changed: [], before, after: before, itemsWritten: 0 };
      }
      const mirrored = mirrorSubscription(deps.catalog, current);
      const now = nowOf(deps);
      const pastDueSince =
        mirrored.status === "PAST_DUE" || mirrored.status === "UNPAID"
          ? existing?.pastDueSince &&
            (existing.status === "PAST_DUE" || existing.status === "UNPAID")
            ? existing.pastDueSince
            : now
          : null;
      const data = { ...mirrored, pastDueSince, provider: "STRIPE" as const };
      const changed = COMPARED.filter((field) => !same(before?.[field], data[field]));
      const written =
        changed.length === 0 && existing
          ? existing
          : await tx.subscription.upsert({
              where: { organizationId: target.organizationId },
              create: { organizationId: target.organizationId, ...data },
              update: data,
            });
      // Its items too (quantities change without the row changing): idempotent.
      const itemsWritten = await mirrorStripeItems(
        tx,
        deps.catalog,
        { organizationId: target.organizationId, subscriptionId: written.id },
        current.items.data,
      );
      if (changed.length === 0) return { ...target, changed, before, after: before, itemsWritten };
      await fulfilSignUpPlan(tx, deps.catalog, target.organizationId, written);
      return { ...target, changed, before, after: pick(written), itemsWritten };
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}

function pick(row: Subscription): Pick<Subscription, Compared> {
  return Object.fromEntries(COMPARED.map((field) => [field, row[field]])) as Pick<
    Subscription,
    Compared
  >;
}

export type ProcessOutcome =
  | { status: "missing" }
  | { status: "already_processed" }
  | { status: "ignored" }
  | { status: "unknown_customer"; customerId: string }
  | {
      status: "synced";
      result: CustomerSyncResult;
      organizationId: string;
      event: StripeEventPayload;
    };

/**
 * Processes one inbox row (the worker's job handler calls this). Throws on transient failure
 * so the job is retried; the row keeps the error and attempt count either way.
 */
export async function processStripeEvent(
  deps: StripeDeps,
  eventId: string,
): Promise<ProcessOutcome> {
  const { system } = deps.db;
  const row = await system.stripeEvent.findUnique({ where: { id: eventId } });
  if (!row) return { status: "missing" };
  if (row.processedAt) return { status: "already_processed" };
  await system.stripeEvent.update({ where: { id: eventId }, data: { attempts: { increment: 1 } } });
  const done = (
    data: {
      error?: string | null;
      organizationId?: string | null;
      customerId?: string | null;
    } = {},
  ) =>
    system.stripeEvent.update({
      where: { id: eventId },
      data: { processedAt: nowOf(deps), error: null, ...data },
    });
  try {
    const parsed = stripeEventSchema.safeParse(row.payload);
    if (!parsed.success) {
      await done({ error: `invalid payload: ${parsed.error.issues[0]?.message ?? "unknown"}` });
      return { status: "ignored" };
    }
    const customerId = row.customerId ?? eventCustomerId(parsed.data);
    if (!customerId) {
      await done();
      return { status: "ignored" };
    }
    const org = await system.organization.findUnique({
      where: { stripeCustomerId: customerId },
      select: { id: true },
    });
    if (!org) {
      await done({ error: UNKNOWN_CUSTOMER, customerId });
      return { status: "unknown_customer", customerId };
    }
    const result = await syncStripeCustomer(deps, { organizationId: org.id, customerId });
    if (parsed.data.type.startsWith("invoice.")) {
      await syncStripeInvoices(deps, { organizationId: org.id, customerId });
    }
    await done({ organizationId: org.id, customerId });
    return { status: "synced", result, organizationId: org.id, event: parsed.data };
  } catch (error) {
    await system.stripeEvent.update({
      where: { id: eventId },
      data: { error: error instanceof Error ? error.message : String(error) },
    });
    throw error;
  }
}

/** Inbox rows that were stored but never processed (e.g. the enqueue after insert failed). */
export async function pendingStripeEventIds(
  deps: Pick<StripeDeps, "db">,
  options: { receivedBefore: Date; limit?: number },
): Promise<string[]> {
  const rows = await deps.db.system.stripeEvent.findMany({
    where: { provider: "STRIPE", processedAt: null, receivedAt: { lt: options.receivedBefore } },
    orderBy: { receivedAt: "asc" },
    take: options.limit ?? 500,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

export async function reconcileOrganization(
  deps: StripeDeps,
  organizationId: string,
): Promise<CustomerSyncResult | null> {
  const org = await deps.db.system.organization.findUnique({
    where: { id: organizationId },
    select: { stripeCustomerId: true },
  });
  if (!org?.stripeCustomerId) return null;
  return syncStripeCustomer(deps, { organizationId, customerId: org.stripeCustomerId });
}

function describe(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.join(", ")}]`;
  if (value === null || value === undefined) return "∅";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  return JSON.stringify(value) ?? typeof value;
}

export interface ReconcileReport {
  checked: number;
  repaired: CustomerSyncResult[];
  failed: { organizationId: string; error: string }[];
}

/** Compares every Stripe-billed organization with Stripe and repairs drift. */
export async function reconcileAll(
  deps: StripeDeps & { log?: (line: string) => void; batchSize?: number },
): Promise<ReconcileReport> {
  const log = deps.log ?? (() => {});
  const report: ReconcileReport = { checked: 0, repaired: [], failed: [] };
  let cursor: string | undefined;
  for (;;) {
    const orgs = await deps.db.system.organization.findMany({
      where: { stripeCustomerId: { not: null }, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: deps.batchSize ?? 100,
      select: { id: true, stripeCustomerId: true },
    });
    if (orgs.length === 0) break;
    for (const org of orgs) {
      cursor = org.id;
      if (!org.stripeCustomerId) continue;
      report.checked++;
      try {
        const result = await syncStripeCustomer(deps, {
          organizationId: org.id,
          customerId: org.stripeCustomerId,
        });
        if (result.changed.length > 0) {
          report.repaired.push(result);
          const changes = result.changed.map(
            (field) =>
              `${field} ${describe(result.before?.[field])} → ${describe(result.after?.[field])}`,
          );
          log(`reconcile: ${org.id} repaired ${changes.join(", ")}`);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        report.failed.push({ organizationId: org.id, error: message });
        log(`reconcile: ${org.id} failed: ${message}`);
      }
    }
  }
  return report;
}
