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

export interface BillingProvider {
  readonly name: BillingProviderName;
  /** A URL the customer completes the purchase at (hosted checkout). */
  startCheckout(input: ProviderCheckoutInput): Promise<{ url: string }>;
  previewPlanChange(input: ProviderPlanChangeInput): Promise<PlanChangePreview>;
  changePlan(input: ProviderPlanChangeInput): Promise<void>;
  cancelAtPeriodEnd(organizationId: string): Promise<void>;
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
}
