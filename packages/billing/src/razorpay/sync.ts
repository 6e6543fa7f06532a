// Converging Plinth's rows on Razorpay's state. An event only names the subscription it is
// about; its state is re-read from Razorpay (subscriptions.fetch) and its organization comes
// from the razorpay_subscriptions row written when Plinth created it at checkout — never from
// the payload, whose notes anyone who can reach the endpoint could write.
import type { SubscriptionStatusValue } from "../entitlements.ts";
import { nowOf } from "../stripe/deps.ts";
import type { RazorpayDeps } from "./deps.ts";
import {
  razorpayEventSchema,
  razorpayInvoiceListSchema,
  razorpayInvoiceSchema,
  razorpayPlanSchema,
  razorpaySubscriptionSchema,
  HANDLED_EVENTS,
  type RazorpayInvoiceSnapshot,
  type RazorpaySubscriptionSnapshot,
  type RazorpaySubscriptionStatus,
} from "./events.ts";
import { razorpayRejection } from "../provider-errors.ts";
import { catalogPlanOf } from "./plans.ts";
import { fulfilSignUpPlan } from "../sign-up-plan.ts";

export const UNKNOWN_SUBSCRIPTION = "unknown subscription";

export const RAZORPAY_STATUS: Record<RazorpaySubscriptionStatus, SubscriptionStatusValue> = {
  // Checkout started, not yet authorised: nothing is mirrored for it (see syncRazorpaySubscription).
  created: "INCOMPLETE",
  // Mandate authorised, first charge at start_at (a trial when that is in the future).
  authenticated: "TRIALING",
  active: "ACTIVE",
  // A charge failed and Razorpay is retrying.
  pending: "PAST_DUE",
  // Every retry failed: Razorpay stopped charging.
  halted: "UNPAID",
  cancelled: "CANCELED",
  // Every billing cycle was charged: the subscription is over.
  completed: "CANCELED",
  expired: "INCOMPLETE_EXPIRED",
  paused: "PAUSED",
};

/** Which of an organization's Razorpay subscriptions is mirrored: the most relevant one. */
const RANK: Record<RazorpaySubscriptionStatus, number> = {
  active: 0,
  pending: 0,
  authenticated: 0,
  halted: 1,
  paused: 1,
  cancelled: 2,
  completed: 2,
  expired: 3,
  created: 4,
};
const ENDED = new Set<RazorpaySubscriptionStatus>(["cancelled", "completed", "expired"]);
const LIVE = new Set<RazorpaySubscriptionStatus>(["authenticated", "active", "pending"]);

const isStatus = (value: string): value is RazorpaySubscriptionStatus => value in RANK;
const fromUnix = (seconds: number | null | undefined) =>
  seconds == null ? null : new Date(seconds * 1000);

export interface RazorpaySyncResult {
  organizationId: string;
  subscriptionId: string;
  status: RazorpaySubscriptionStatus;
  /** False when another of the organization's subscriptions is the current one (or none is). */
  mirrored: boolean;
}

/**
 * Re-reads one subscription from Razorpay and writes its razorpay_subscriptions row and, when
 * it is the organization's current one, the organization's Subscription row. Returns null for
 * a subscription Plinth did not create. Serialised per organization (advisory lock).
 */
export async function syncRazorpaySubscription(
  deps: RazorpayDeps,
  subscriptionId: string,
): Promise<RazorpaySyncResult | null> {
  const { system } = deps.db;
  const ours = await system.razorpaySubscription.findUnique({ where: { id: subscriptionId } });
  if (!ours) return null;
  return system.$transaction(
    async (tx) => {
      // Read Razorpay under the lock, so an older read can never be written after a newer one.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`razorpay-sync:${ours.organizationId}`}))`;
      const remote = razorpaySubscriptionSchema.parse(
        await deps.razorpay.subscriptions.fetch(subscriptionId),
      );
      if (remote.id !== ours.id) throw new Error(`Razorpay returned ${remote.id} for ${ours.id}`);
      const plan = await planOf(deps, remote, ours);
      const updated = await tx.razorpaySubscription.update({
        where: { id: ours.id },
        data: {
          status: remote.status,
          planKey: plan.planKey,
          interval: plan.interval === "year" ? "YEAR" : "MONTH",
          razorpayPlanId: remote.plan_id,
          ...(ENDED.has(remote.status) ? { cancelAtCycleEnd: false } : {}),
        },
      });
      const siblings = await tx.razorpaySubscription.findMany({
        where: { organizationId: ours.organizationId },
        orderBy: { createdAt: "desc" },
      });
      const current = [...siblings]
        .filter((row) => isStatus(row.status))
        .sort(
          (a, b) =>
            RANK[a.status as RazorpaySubscriptionStatus] -
              RANK[b.status as RazorpaySubscriptionStatus] ||
            b.createdAt.getTime() - a.createdAt.getTime(),
        )[0];
      const result = {
        organizationId: ours.organizationId,
        subscriptionId: ours.id,
        status: remote.status,
      };
      // A checkout nobody completed changes nothing; nor does a subscription superseded by another.
      if (remote.status === "created" || current?.id !== ours.id) {
        return { ...result, mirrored: false };
      }
      const existing = await tx.subscription.findUnique({
        where: { organizationId: ours.organizationId },
      });
      const status = RAZORPAY_STATUS[remote.status];
      const now = nowOf(deps);
      const trialing =
        remote.status === "authenticated" &&
        remote.start_at != null &&
        remote.start_at * 1000 > now.getTime();
      const pastDue = status === "PAST_DUE" || status === "UNPAID";
      const data = {
        planKey: plan.planKey,
        status: remote.status === "authenticated" && !trialing ? ("INCOMPLETE" as const) : status,
        provider: "RAZORPAY" as const,
        interval: plan.interval === "year" ? ("YEAR" as const) : ("MONTH" as const),
        stripeSubscriptionId: null,
        stripePriceIds: [],
        currentPeriodStart: fromUnix(remote.current_start) ?? (trialing ? now : null),
        currentPeriodEnd:
          fromUnix(remote.current_end) ?? (trialing ? fromUnix(remote.start_at) : null),
        cancelAtPeriodEnd: updated.cancelAtCycleEnd && LIVE.has(remote.status),
        startedAt: fromUnix(remote.start_at ?? remote.created_at),
        canceledAt: ENDED.has(remote.status) ? (fromUnix(remote.ended_at) ?? now) : null,
        trialEndsAt: trialing ? fromUnix(remote.start_at) : null,
        pastDueSince: pastDue
          ? existing?.pastDueSince &&
            (existing.status === "PAST_DUE" || existing.status === "UNPAID")
            ? existing.pastDueSince
            : now
          : null,
      };
      const written = await tx.subscription.upsert({
        where: { organizationId: ours.organizationId },
        create: { organizationId: ours.organizationId, ...data },
        update: data,
      });
      await fulfilSignUpPlan(tx, deps.catalog, ours.organizationId, written);
      return { ...result, mirrored: true };
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}

/** The catalog plan a subscription is on now (a plan change moves it to another plan id). */
async function planOf(
  deps: RazorpayDeps,
  remote: RazorpaySubscriptionSnapshot,
  ours: { razorpayPlanId: string; planKey: string; interval: "MONTH" | "YEAR" },
) {
  const stored = {
    planKey: ours.planKey,
    interval: ours.interval === "YEAR" ? "year" : "month",
  } as const;
  if (remote.plan_id === ours.razorpayPlanId) return stored;
  const plan = razorpayPlanSchema.parse(await deps.razorpay.plans.fetch(remote.plan_id));
  const mapped = catalogPlanOf(deps.catalog, plan);
  if (!mapped) throw new Error(`Razorpay plan ${plan.id} is not a Plinth plan`);
  return mapped;
}

const INVOICE_STATUS: Record<string, string> = {
  paid: "paid",
  issued: "open",
  partially_paid: "open",
  draft: "draft",
  cancelled: "void",
  deleted: "void",
  expired: "uncollectible",
};

/** Re-reads the subscription's invoices from Razorpay and upserts them. Returns how many. */
export async function syncRazorpayInvoices(
  deps: RazorpayDeps,
  target: { organizationId: string; subscriptionId: string },
): Promise<number> {
  const { items } = razorpayInvoiceListSchema.parse(
    await deps.razorpay.invoices.all({ subscription_id: target.subscriptionId, count: 50 }),
  );
  let written = 0;
  for (const invoice of items) {
    // Only this subscription's invoices, whatever the API's filter returned.
    if (invoice.subscription_id !== target.subscriptionId || invoice.status === "draft") continue;
    const row = invoiceRow(target.organizationId, invoice);
    await deps.db.system.invoice.upsert({
      where: { razorpayInvoiceId: invoice.id },
      create: { razorpayInvoiceId: invoice.id, ...row },
      update: row,
    });
    written++;
  }
  return written;
}

function invoiceRow(organizationId: string, invoice: RazorpayInvoiceSnapshot) {
  const paid = invoice.amount_paid ?? (invoice.status === "paid" ? invoice.amount : 0);
  return {
    organizationId,
    provider: "RAZORPAY" as const,
    number: invoice.receipt ?? null,
    status: INVOICE_STATUS[invoice.status] ?? invoice.status,
    currency: invoice.currency.toLowerCase(),
    amountDue: invoice.amount_due ?? invoice.amount - paid,
    amountPaid: paid,
    description: "Subscription charge",
    hostedInvoiceUrl: invoice.short_url ?? null,
    invoicePdf: null,
    periodStart: fromUnix(invoice.billing_start),
    periodEnd: fromUnix(invoice.billing_end),
    issuedAt: new Date((invoice.issued_at ?? invoice.created_at) * 1000),
  };
}

export type RazorpayProcessOutcome =
  | { status: "missing" }
  | { status: "already_processed" }
  | { status: "ignored" }
  | { status: "unknown_subscription"; subscriptionId: string }
  | { status: "synced"; result: RazorpaySyncResult; invoices: number };

/** The subscription an event is about: named by the event, or found through its invoice. */
async function subscriptionIdOf(
  deps: RazorpayDeps,
  event: ReturnType<typeof razorpayEventSchema.parse>,
): Promise<string | null> {
  const named = event.payload.subscription?.entity.id;
  if (named) return named;
  const invoiceId = event.payload.payment?.entity.invoice_id;
  if (!invoiceId) return null;
  const invoice = razorpayInvoiceSchema.parse(await deps.razorpay.invoices.fetch(invoiceId));
  return invoice.subscription_id ?? null;
}

/**
 * Processes one inbox row exactly once: the row is locked for the duration, so a redelivery
 * arriving meanwhile waits and then finds it processed. Throws on transient failure (the row
 * keeps the error and stays unprocessed, so Razorpay's next delivery retries it).
 */
export async function processRazorpayEvent(
  deps: RazorpayDeps,
  inboxId: string,
): Promise<RazorpayProcessOutcome> {
  const { system } = deps.db;
  try {
    return await system.$transaction(
      async (tx) => {
        const [locked] = await tx.$queryRaw<{ processed: boolean; payload: unknown }[]>`
        SELECT processed_at IS NOT NULL AS processed, payload FROM stripe_events
        WHERE id = ${inboxId} AND provider = 'RAZORPAY' FOR UPDATE`;
        if (!locked) return { status: "missing" as const };
        if (locked.processed) return { status: "already_processed" as const };
        const done = (data: { error?: string | null; organizationId?: string | null } = {}) =>
          tx.stripeEvent.update({
            where: { id: inboxId },
            data: { processedAt: nowOf(deps), error: null, attempts: { increment: 1 }, ...data },
          });
        {
          const parsed = razorpayEventSchema.safeParse(locked.payload);
          if (!parsed.success || !HANDLED_EVENTS.has(parsed.data.event)) {
            await done(parsed.success ? {} : { error: "invalid payload" });
            return { status: "ignored" as const };
          }
          const subscriptionId = await subscriptionIdOf(deps, parsed.data);
          if (!subscriptionId) {
            await done();
            return { status: "ignored" as const };
          }
          const result = await syncRazorpaySubscription(deps, subscriptionId);
          if (!result) {
            await done({ error: UNKNOWN_SUBSCRIPTION });
            return { status: "unknown_subscription" as const, subscriptionId };
          }
          const invoices = await syncRazorpayInvoices(deps, result);
          await done({ organizationId: result.organizationId });
          return { status: "synced" as const, result, invoices };
        }
      },
      { timeout: 90_000, maxWait: 90_000 },
    );
  } catch (error) {
    // The transaction rolled back: the row stays unprocessed, with the error recorded.
    const message = describeError(error);
    deps.log?.(`razorpay event ${inboxId}: ${message}`);
    await system.stripeEvent.updateMany({
      where: { id: inboxId, processedAt: null },
      data: { error: message.slice(0, 1000), attempts: { increment: 1 } },
    });
    throw error;
  }
}

/** The SDK rejects with `{ statusCode, error: { code, description } }`, not an Error. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  const parsed = razorpayRejection.safeParse(error);
  if (parsed.success) {
    const { statusCode, error: detail } = parsed.data;
    return `Razorpay ${statusCode}: ${detail?.description ?? detail?.code ?? "error"}`;
  }
  return String(error);
}
