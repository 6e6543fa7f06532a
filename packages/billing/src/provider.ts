// The operations every billing provider offers the billing facade (service.ts). Razorpay
// implements it in razorpay/provider.ts; Stripe (stripe/checkout.ts) and the local provider
// (local/provider.ts) offer the same operations through the facade's own branches.
import type { SubscriptionItemsChange, SubscriptionItemsInput } from "./items.ts";
import type { PlanChangePreview } from "./stripe/checkout.ts";
import type { Interval } from "./stripe/prices.ts";

export type BillingProviderName = "stripe" | "razorpay" | "local";

export interface ProviderCheckoutInput {
  organizationId: string;
  planKey: string;
  interval: Interval;
  successUrl: string;
  cancelUrl: string;
  email?: string;
}

export interface ProviderPlanChangeInput {
  organizationId: string;
  planKey: string;
  interval: Interval;
  prorationDate?: number;
}

/**
 * What identifies an organization's customer at its provider, kept apart from the organization
 * (whose rows are gone by the time the provider is asked): a deletion job's payload.
 */
export interface ProviderCustomer {
  /** Stripe's customer id (cus_…); null for Razorpay (its subscriptions carry no customer). */
  customerId: string | null;
  /** Razorpay: the organization's subscriptions, cancelled in place of a customer deletion. */
  subscriptionIds: readonly string[];
}

export interface BillingProvider {
  readonly name: BillingProviderName;
  /** A URL the customer completes the purchase at (hosted checkout). */
  startCheckout(input: ProviderCheckoutInput): Promise<{ url: string }>;
  previewPlanChange(input: ProviderPlanChangeInput): Promise<PlanChangePreview>;
  changePlan(input: ProviderPlanChangeInput): Promise<void>;
  cancelAtPeriodEnd(organizationId: string): Promise<void>;
  /** Ends the subscription now (no refund of the period's rest). */
  cancelNow(organizationId: string): Promise<void>;
  resume(organizationId: string): Promise<void>;
  /** Where the customer manages billing; null when the provider has no such page. */
  openPortal(input: { organizationId: string; returnUrl: string }): Promise<{ url: string | null }>;
  /**
   * What setting the subscription's items (add / remove / change quantity) would cost now:
   * the proration at `input.prorationDate` (default now). Nothing changes.
   */
  previewSubscriptionItems(input: SubscriptionItemsInput): Promise<SubscriptionItemsChange>;
  /**
   * Sets the subscription's priced items to `input.items` (declarative: missing ones are
   * removed), prorated at `input.prorationDate` (Stripe: proration_behavior create_prorations).
   * A provider without items refuses with BillingError UNSUPPORTED.
   */
  setSubscriptionItems(input: SubscriptionItemsInput): Promise<SubscriptionItemsChange>;
  /**
   * Removes the customer at the provider (its subscriptions end with it). Idempotent: a
   * customer that is already gone answers `{ alreadyGone: true }`, not an error.
   */
  deleteCustomer(customer: ProviderCustomer): Promise<{ alreadyGone: boolean }>;
}
