// One Stripe customer per organization, created at most once even when two checkouts start
// at the same moment: a transaction-scoped advisory lock per organization serialises
// creators, the Stripe idempotency key `org-<id>-customer` makes a retried create return the
// same customer, and the conditional update never overwrites an existing stripeCustomerId.
import Stripe from "stripe";
import type { StripeDeps } from "./deps.ts";

export class OrganizationNotFoundError extends Error {
  override readonly name = "OrganizationNotFoundError";
  constructor(readonly organizationId: string) {
    super(`Organization ${organizationId} not found`);
  }
}

export async function ensureStripeCustomer(
  deps: StripeDeps,
  organizationId: string,
  details: { email?: string } = {},
): Promise<string> {
  const { system } = deps.db;
  const found = await system.organization.findUnique({
    where: { id: organizationId },
    select: { stripeCustomerId: true },
  });
  if (!found) throw new OrganizationNotFoundError(organizationId);
  if (found.stripeCustomerId) return found.stripeCustomerId;

  return system.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`stripe-customer:${organizationId}`}))`;
      const org = await tx.organization.findUniqueOrThrow({
        where: { id: organizationId },
        select: { id: true, name: true, slug: true, stripeCustomerId: true },
      });
      if (org.stripeCustomerId) return org.stripeCustomerId;
      const customer = await deps.stripe.customers.create(
        {
          name: org.name,
          ...(details.email ? { email: details.email } : {}),
          metadata: { organizationId: org.id, organizationSlug: org.slug },
        },
        { idempotencyKey: `org-${org.id}-customer` },
      );
      const updated = await tx.organization.updateMany({
        where: { id: org.id, stripeCustomerId: null },
        data: { stripeCustomerId: customer.id },
      });
      if (updated.count === 0) {
        const current = await tx.organization.findUniqueOrThrow({ where: { id: org.id } });
        if (current.stripeCustomerId) return current.stripeCustomerId;
      }
      return customer.id;
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}

/**
 * Deletes the customer at Stripe (customers.del also cancels its subscriptions at once).
 * Idempotent: a customer Stripe no longer has — deleted before, by us or in the dashboard —
 * is success, so a retried deletion job converges.
 */
export async function deleteStripeCustomer(
  stripe: Stripe,
  customerId: string,
): Promise<{ alreadyGone: boolean }> {
  try {
    await stripe.customers.del(customerId);
    return { alreadyGone: false };
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError && error.code === "resource_missing") {
      return { alreadyGone: true };
    }
    throw error;
  }
}
