// The paid plan chosen at sign-up (organizations.sign_up_plan_key): the organization starts on
// the trial and its owner is sent to checkout for that plan. Once a checkout completes — the
// local test-mode checkout, or Stripe's/Razorpay's subscription mirrored live — the choice is
// fulfilled and cleared, whichever plan was bought. docs/plans.md, "Sign-up".
import type { Prisma } from "@plinth/db";
import type { Catalog } from "./catalog.ts";
import type { SubscriptionStatusValue } from "./entitlements.ts";

/** A paid subscription is live: ACTIVE, or trialing on a purchasable plan (its own trial). */
export function isPaidSubscriptionLive(
  catalog: Catalog,
  subscription: { planKey: string; status: SubscriptionStatusValue },
): boolean {
  if (subscription.status === "ACTIVE") return true;
  return (
    subscription.status === "TRIALING" &&
    subscription.planKey !== catalog.trialPlan.key &&
    catalog.getPlan(subscription.planKey)?.purchasable === true
  );
}

/** Clears the sign-up plan choice when `subscription` (just written) is a live paid one. */
export async function fulfilSignUpPlan(
  tx: Prisma.TransactionClient,
  catalog: Catalog,
  organizationId: string,
  subscription: { planKey: string; status: SubscriptionStatusValue },
): Promise<void> {
  if (!isPaidSubscriptionLive(catalog, subscription)) return;
  await tx.organization.updateMany({
    where: { id: organizationId, signUpPlanKey: { not: null } },
    data: { signUpPlanKey: null },
  });
}
