// Billing jobs: Stripe webhook processing (+ the dunning email on a failed payment), the
// reconcile and usage-report crons, and the dunning cron (reminder before the past-due grace
// period ends, notice when it has ended). Stripe is used only when the worker has a client
// (STRIPE_SECRET_KEY); on the local provider those jobs no-op and reconcile only ends local
// subscriptions cancelled at a passed period end.
//
// Dunning emails go out exactly once per event: the OrganizationNotification row (unique
// organization + kind + eventKey) and the emails are written in one transaction.
import { resolveEntitlements } from "@plinth/billing";
import { reconcileJob, reportUsageJob, type BillingJobContext } from "@plinth/billing/stripe/jobs";
import { deleteCustomer } from "@plinth/billing/service";
import { processStripeEvent } from "@plinth/billing/stripe/sync";
import {
  accessRestricted,
  paymentFailed,
  paymentGraceEnding,
  sendEmail,
  type RenderedEmail,
} from "@plinth/email";
import { enqueueSystem, jobs } from "@plinth/jobs";
import { productUsageLines } from "@plinth/platform/billing";
import { z } from "zod";
import { type HandlerContext, type JobHandler } from "./types.ts";

const DAY_MS = 86_400_000;
/** The "grace period ends soon" reminder goes out this long before write access is lost. */
export const GRACE_REMINDER_WINDOW_MS = 2 * DAY_MS;

function jobContext(ctx: HandlerContext): BillingJobContext {
  return {
    db: { system: ctx.prisma },
    catalog: ctx.product.catalog,
    stripe: ctx.billing.stripe,
    log: (line) => ctx.log.info(line),
    enqueueStripeEvent: (eventId) =>
      enqueueSystem(ctx.prisma, jobs.billingProcessStripeEvent, { eventId }),
    // The API catalog's endpoint-priced lines become Stripe invoice items in the usage report.
    usageLines: productUsageLines(ctx.product, ctx.prisma),
  };
}

const billingUrl = (ctx: HandlerContext, slug: string) =>
  new URL(`/o/${encodeURIComponent(slug)}/billing`, ctx.appUrl).toString();

/** Sends `email` to the organization's owners and admins once per (kind, eventKey). */
export async function notifyBillingContacts(
  ctx: HandlerContext,
  organizationId: string,
  kind: string,
  eventKey: string,
  render: (org: { name: string; slug: string }) => RenderedEmail,
): Promise<number> {
  const org = await ctx.prisma.organization.findUnique({
    where: { id: organizationId },
    select: {
      name: true,
      slug: true,
      memberships: {
        where: { role: { in: ["OWNER", "ADMIN"] }, user: { status: "ACTIVE", deletedAt: null } },
        select: { user: { select: { email: true } } },
      },
    },
  });
  if (!org) return 0;
  const rendered = render(org);
  const sent = await ctx.prisma.$transaction(async (tx) => {
    const inserted = await tx.organizationNotification.createMany({
      data: [{ organizationId, kind, eventKey }],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return 0;
    for (const { user } of org.memberships) await sendEmail(tx, { to: user.email, ...rendered });
    return org.memberships.length;
  });
  if (sent > 0)
    ctx.log.info({ organizationId, kind, eventKey, emails: sent }, "billing notification sent");
  return sent;
}

async function graceEndsAt(ctx: HandlerContext, organizationId: string): Promise<Date | null> {
  const org = await ctx.prisma.organization.findUnique({
    where: { id: organizationId },
    select: { trialEndsAt: true, createdAt: true, subscription: true },
  });
  if (!org) return null;
  return resolveEntitlements(ctx.product.catalog, {
    organization: org,
    subscription: org.subscription,
    now: new Date(),
    pastDueGraceDays: ctx.billing.pastDueGraceDays,
  }).graceEndsAt;
}

const failedInvoiceSchema = z
  .object({
    id: z.string(),
    amount_due: z.number().int().optional(),
    currency: z.string().optional(),
    attempt_count: z.number().int().optional(),
  })
  .loose();

function money(cents: number | undefined, currency: string | undefined): string | null {
  if (cents === undefined) return null;
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: (currency ?? "usd").toUpperCase(),
  }).format(cents / 100);
}

export const processStripeEventHandler: JobHandler<typeof jobs.billingProcessStripeEvent> = async (
  payload,
  ctx,
) => {
  const stripe = ctx.billing.stripe;
  if (!stripe) {
    const skipped = "stripe event skipped: the worker has no STRIPE_SECRET_KEY";
    ctx.log.warn({ eventId: payload.eventId }, skipped);
    return;
  }
  const outcome = await processStripeEvent(
    { db: { system: ctx.prisma }, stripe, catalog: ctx.product.catalog },
    payload.eventId,
  );
  ctx.log.info(
    {
      eventId: payload.eventId,
      status: outcome.status,
      ...(outcome.status === "synced"
        ? { organizationId: outcome.organizationId, changed: outcome.result.changed }
        : {}),
    },
    "stripe event processed",
  );
  if (outcome.status !== "synced" || outcome.event.type !== "invoice.payment_failed") return;
  const { event, organizationId } = outcome;
  const invoice = failedInvoiceSchema.safeParse(event.data.object);
  const eventKey = invoice.success
    ? `${invoice.data.id}:${invoice.data.attempt_count ?? 1}`
    : payload.eventId;
  const ends = await graceEndsAt(ctx, organizationId);
  await notifyBillingContacts(ctx, organizationId, "payment-failed", eventKey, (org) =>
    paymentFailed({
      organizationName: org.name,
      amount: invoice.success ? money(invoice.data.amount_due, invoice.data.currency) : null,
      graceEndsAt: ends,
      billingUrl: billingUrl(ctx, org.slug),
    }),
  );
};

export const reconcileHandler: JobHandler<typeof jobs.billingReconcile> = async (_payload, ctx) => {
  const result = await reconcileJob.handler(jobContext(ctx), {});
  ctx.log.info({ result }, "billing reconcile done");
};

export const reportUsageHandler: JobHandler<typeof jobs.billingReportUsage> = async (
  payload,
  ctx,
) => {
  const result = await reportUsageJob.handler(
    jobContext(ctx),
    payload.organizationId ? { organizationId: payload.organizationId } : {},
  );
  ctx.log.info({ result }, "usage report done");
};

/** Reminds before a past-due organization loses write access, and tells it when it has. */
export const dunningHandler: JobHandler<typeof jobs.billingDunning> = async (_payload, ctx) => {
  const now = new Date();
  const pastDue = await ctx.prisma.subscription.findMany({
    where: { status: { in: ["PAST_DUE", "UNPAID"] }, pastDueSince: { not: null } },
    select: { organizationId: true, pastDueSince: true },
  });
  let sent = 0;
  for (const { organizationId, pastDueSince } of pastDue) {
    if (!pastDueSince) continue;
    const ends = new Date(pastDueSince.getTime() + ctx.billing.pastDueGraceDays * DAY_MS);
    const eventKey = pastDueSince.toISOString();
    if (ends.getTime() <= now.getTime()) {
      sent += await notifyBillingContacts(
        ctx,
        organizationId,
        "payment-restricted",
        eventKey,
        (org) =>
          accessRestricted({ organizationName: org.name, billingUrl: billingUrl(ctx, org.slug) }),
      );
    } else if (ends.getTime() - now.getTime() <= GRACE_REMINDER_WINDOW_MS) {
      sent += await notifyBillingContacts(
        ctx,
        organizationId,
        "payment-grace-ending",
        eventKey,
        (org) =>
          paymentGraceEnding({
            organizationName: org.name,
            graceEndsAt: ends,
            billingUrl: billingUrl(ctx, org.slug),
          }),
      );
    }
  }
  ctx.log.info({ pastDue: pastDue.length, emails: sent }, "dunning checked");
};

/**
 * A deleted organization's customer at its provider (Stripe: customers.del; Razorpay: its
 * subscriptions cancelled). A failure throws, so graphile-worker retries with backoff; an
 * already-deleted customer is success.
 */
export const deleteCustomerHandler: JobHandler<typeof jobs.billingDeleteCustomer> = async (
  payload,
  ctx,
) => {
  const { alreadyGone } = await deleteCustomer(
    {
      db: { system: ctx.prisma },
      stripe: ctx.billing.stripe,
      razorpay: ctx.billing.razorpay ?? null,
    },
    payload,
  );
  ctx.log.info(
    { organizationId: payload.organizationId, provider: payload.provider, alreadyGone },
    "billing customer deleted",
  );
};
