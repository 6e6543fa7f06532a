// The sign-up's checkout step (issue 14): a paid plan chosen at sign-up (organizations.
// sign_up_plan_key) is bought here once the account exists — the organization already runs on
// the trial meanwhile. Paying needs a verified email (docs/identity.md), so an unverified owner
// is pointed to the verification email first; the verification page's "Continue" comes back
// here. Checkout goes through billing.startCheckout (Stripe, Razorpay or the local test-mode
// page); its completion clears the choice. Nothing pending: on to the organization.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Banner } from "@plinth/ui/banner";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@plinth/ui/card";
import { getSessionUser } from "~/server/session.ts";
import { api } from "~/server/trpc.ts";
import { SignUpCheckoutForm } from "./sign-up-checkout-form.tsx";

export const metadata: Metadata = { title: "Finish signing up" };
export const dynamic = "force-dynamic";

const SELF = "/sign-up/checkout";

export default async function SignUpCheckoutPage() {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(SELF)}`);
  const caller = await api();
  const owned = (await caller.organization.list()).filter((org) => org.role === "OWNER");
  let pending = null;
  for (const organization of owned) {
    const overview = await caller.billing.overview({ organizationId: organization.id });
    if (overview.signUpPlan) {
      pending = { organization, plan: overview.signUpPlan, testMode: overview.testMode };
      break;
    }
  }
  if (!pending) redirect("/");
  const { organization, plan } = pending;
  const profile = await caller.account.profile();
  const trialHref = `/o/${organization.slug}`;

  return (
    <Card aria-labelledby="sign-up-checkout-title">
      <CardHeader>
        <h1 id="sign-up-checkout-title" className="text-xl font-semibold tracking-tight">
          Finish signing up for {plan.name}
        </h1>
        <CardDescription>
          {organization.name} is ready and already on the trial. Check out to start {plan.name}; you
          can also do it later from the billing page.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {profile.emailVerified ? (
          <SignUpCheckoutForm
            organizationId={organization.id}
            plan={plan}
            testMode={pending.testMode}
          />
        ) : (
          <Banner tone="warning" title="Verify your email first" data-testid="sign-up-verify-first">
            Paying for a plan needs a verified address: open the link we sent to {profile.email},
            then come back here.{" "}
            <Link href="/account" className="font-medium underline underline-offset-4">
              Resend the link
            </Link>
          </Banner>
        )}
      </CardContent>
      <CardFooter className="text-sm text-muted-foreground">
        <Link
          href={trialHref}
          className="font-medium text-primary underline underline-offset-4 hover:decoration-2"
        >
          Continue on the trial for now
        </Link>
      </CardFooter>
    </Card>
  );
}
