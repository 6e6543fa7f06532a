import type { Metadata } from "next";
import { Banner } from "@plinth/ui";
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
  const overview = await caller.billing.overview({ organizationId });
  const [invoices, paymentMethods] = overview.canManage
    ? await Promise.all([
        caller.billing.invoices({ organizationId }),
        caller.billing.paymentMethods({ organizationId }),
      ])
    : [null, null];
  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Billing</h1>
        {overview.testMode ? (
          <span
            className="badge badge--test"
            title="No Stripe key configured: plans are activated by the local test-mode provider"
          >
            Test mode
          </span>
        ) : null}
      </div>
      {checkout === "success" ? (
        <Banner tone="success" title="Thank you">
          Your plan is being activated
          {overview.testMode ? "" : "; it shows here as soon as Stripe confirms the payment"}.
        </Banner>
      ) : checkout === "canceled" ? (
        <Banner tone="info">Checkout was canceled; nothing changed.</Banner>
      ) : null}
      <BillingView
        organizationId={organizationId}
        initialOverview={overview}
        initialInvoices={invoices}
        initialPaymentMethods={paymentMethods}
      />
    </div>
  );
}
