import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@plinth/ui/badge";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { PageHeader } from "@plinth/ui/page-header";
import { requireOrganization } from "~/server/organization.ts";
import { BillingView } from "./billing-view.tsx";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ checkout?: string }>;
}) {
  const { slug } = await params;
  const { checkout } = await searchParams;
  const { organization, caller } = await requireOrganization(slug);
  const organizationId = organization.id;
  const [overview, usage] = await Promise.all([
    caller.billing.overview({ organizationId }),
    caller.billing.dailyUsage({ organizationId }),
  ]);
  const [invoices, paymentMethods] = overview.canManage
    ? await Promise.all([
        caller.billing.invoices({ organizationId }),
        caller.billing.paymentMethods({ organizationId }),
      ])
    : [null, null];
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Billing"
        description="Your plan, what you used this period and your invoices."
        actions={
          overview.testMode ? (
            <Badge
              variant="warning"
              title="No Stripe key configured: plans are activated by the local test-mode provider"
            >
              Test mode
            </Badge>
          ) : null
        }
      />
      {checkout === "success" ? (
        <Banner tone="success" title="Thank you">
          Your plan is being activated
          {overview.testMode
            ? ""
            : `; it shows here as soon as ${overview.provider === "razorpay" ? "Razorpay" : "Stripe"} confirms the payment`}
          .
        </Banner>
      ) : checkout === "canceled" ? (
        <Banner tone="info">Checkout was canceled; nothing changed.</Banner>
      ) : null}
      {overview.signUpPlan && overview.canManage && checkout !== "success" ? (
        // The paid plan chosen at sign-up and not paid yet: one step back to its checkout.
        <Banner
          tone="info"
          title={`${overview.signUpPlan.name} is waiting for you`}
          action={
            <Button asChild size="sm">
              <Link href="/sign-up/checkout">Continue to checkout</Link>
            </Button>
          }
        >
          You chose {overview.signUpPlan.name} when you signed up; you are on the trial until you
          check out.
        </Banner>
      ) : null}
      <BillingView
        organizationId={organizationId}
        initialOverview={overview}
        initialUsage={usage}
        initialInvoices={invoices}
        initialPaymentMethods={paymentMethods}
      />
    </div>
  );
}
