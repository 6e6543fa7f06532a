"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RouterOutputs } from "@plinth/product/trpc";
import { Banner, Button } from "@plinth/ui";
import { trpc, type ClientError } from "~/trpc/react.tsx";

type Overview = RouterOutputs["billing"]["overview"];
type Invoice = RouterOutputs["billing"]["invoices"][number];
type PaymentMethods = RouterOutputs["billing"]["paymentMethods"];
type PlanOption = Overview["plans"][number];
type Interval = "month" | "year";

interface Props {
  organizationId: string;
  initialOverview: Overview;
  initialInvoices: Invoice[] | null;
  initialPaymentMethods: PaymentMethods | null;
}

const STATUS_LABEL: Record<Overview["status"], string> = {
  trialing: "Trial",
  active: "Active",
  past_due_grace: "Payment overdue",
  trial_expired: "Trial ended",
  restricted: "Restricted (read-only)",
  inactive: "Inactive",
};

export function formatMoney(cents: number, currency = "usd"): string {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: currency.toUpperCase(),
  }).format(cents / 100);
}

const day = (date: Date | null | undefined) => (date ? date.toISOString().slice(0, 10) : "—");
const number = (value: number) => value.toLocaleString("en-US");

export function BillingView({
  organizationId,
  initialOverview,
  initialInvoices,
  initialPaymentMethods,
}: Props) {
  const router = useRouter();
  const utils = trpc.useUtils();
  const overviewQuery = trpc.billing.overview.useQuery(
    { organizationId },
    { initialData: initialOverview },
  );
  const overview = overviewQuery.data;
  const canManage = overview.canManage;
  const invoices = trpc.billing.invoices.useQuery(
    { organizationId, limit: 24 },
    { initialData: initialInvoices ?? [], enabled: canManage },
  );
  const paymentMethods = trpc.billing.paymentMethods.useQuery(
    { organizationId },
    {
      enabled: canManage,
      ...(initialPaymentMethods ? { initialData: initialPaymentMethods } : {}),
    },
  );
  const [error, setError] = useState<string | null>(null);
  const [interval, setInterval] = useState<Interval>(overview.interval ?? "month");
  const [pending, setPending] = useState<{ planKey: PlanOption["key"]; interval: Interval } | null>(
    null,
  );

  const refresh = async () => {
    setError(null);
    await Promise.all([utils.billing.invalidate(), utils.organization.get.invalidate()]);
    router.refresh();
  };
  const onError = (e: ClientError) => setError(e.message);
  const checkout = trpc.billing.startCheckout.useMutation({
    onSuccess: ({ url }) => window.location.assign(url),
    onError,
  });
  const change = trpc.billing.changePlan.useMutation({
    onSuccess: async () => {
      setPending(null);
      await refresh();
    },
    onError,
  });
  const cancel = trpc.billing.cancel.useMutation({ onSuccess: refresh, onError });
  const resume = trpc.billing.resume.useMutation({ onSuccess: refresh, onError });
  const portal = trpc.billing.openPortal.useMutation({
    onSuccess: ({ url }) => {
      if (url) window.location.assign(url);
    },
    onError,
  });
  const preview = trpc.billing.previewPlanChange.useQuery(
    { organizationId, planKey: pending?.planKey ?? "pro", interval: pending?.interval ?? "month" },
    { enabled: pending !== null, staleTime: 0, retry: false },
  );

  const busy =
    checkout.isPending ||
    change.isPending ||
    cancel.isPending ||
    resume.isPending ||
    portal.isPending;
  const isCurrent = (plan: PlanOption, planInterval: Interval) =>
    overview.hasPaidSubscription &&
    overview.plan.key === plan.key &&
    (overview.interval ?? "month") === planInterval;

  return (
    <div className="stack-lg">
      {error ? (
        <Banner
          tone="danger"
          action={
            <Button variant="secondary" size="sm" onClick={() => setError(null)}>
              Dismiss
            </Button>
          }
        >
          {error}
        </Banner>
      ) : null}

      <section className="card card--flat stack" aria-label="Current plan">
        <h2>Current plan</h2>
        <dl className="billing-facts">
          <dt>Plan</dt>
          <dd data-testid="billing-plan">{overview.plan.name}</dd>
          <dt>Status</dt>
          <dd>
            <span
              className={overview.access === "full" ? "badge badge--ok" : "badge badge--danger"}
              data-testid="billing-status"
            >
              {STATUS_LABEL[overview.status]}
            </span>
            {overview.cancelAtPeriodEnd ? (
              <span className="badge badge--muted">Cancels at period end</span>
            ) : null}
          </dd>
          {overview.interval ? (
            <>
              <dt>Billed</dt>
              <dd>{overview.interval === "year" ? "Yearly" : "Monthly"}</dd>
            </>
          ) : null}
          {overview.trialEndsAt ? (
            <>
              <dt>Trial ends</dt>
              <dd>{day(overview.trialEndsAt)}</dd>
            </>
          ) : null}
          {overview.renewsAt ? (
            <>
              <dt>Renews on</dt>
              <dd>{day(overview.renewsAt)}</dd>
            </>
          ) : null}
          {overview.endsAt ? (
            <>
              <dt>Ends on</dt>
              <dd>{day(overview.endsAt)}</dd>
            </>
          ) : null}
          {overview.graceEndsAt ? (
            <>
              <dt>{overview.access === "full" ? "Write access until" : "Read-only since"}</dt>
              <dd>{day(overview.graceEndsAt)}</dd>
            </>
          ) : null}
        </dl>
        {overview.status === "past_due_grace" ? (
          <Banner tone="warning" title="Payment overdue">
            The last payment failed. Everything keeps working for {overview.pastDueGraceDays} days
            after the failure (until {day(overview.graceEndsAt)}); then the organization becomes
            read-only until the invoice is paid.
          </Banner>
        ) : overview.status === "restricted" ? (
          <Banner tone="danger" title="Read-only until paid">
            Pay the open invoice or update your payment method to make changes again.
          </Banner>
        ) : null}
        {canManage && overview.hasPaidSubscription ? (
          <div className="row-actions">
            {overview.cancelAtPeriodEnd ? (
              <Button
                variant="secondary"
                loading={resume.isPending}
                disabled={busy}
                onClick={() => resume.mutate({ organizationId })}
              >
                Resume subscription
              </Button>
            ) : (
              <Button
                variant="secondary"
                loading={cancel.isPending}
                disabled={busy}
                onClick={() => {
                  if (
                    window.confirm(
                      `Cancel ${overview.plan.name}? It stays active until ${day(overview.renewsAt)}.`,
                    )
                  )
                    cancel.mutate({ organizationId });
                }}
              >
                Cancel at period end
              </Button>
            )}
          </div>
        ) : null}
      </section>

      <section className="card card--flat stack" aria-label="Usage">
        <h2>Usage this period</h2>
        <p className="muted">Since {day(overview.periodStart)}.</p>
        <table className="table" aria-label="Usage">
          <thead>
            <tr>
              <th>Meter</th>
              <th>Used</th>
              <th>Included</th>
              <th>Overage</th>
            </tr>
          </thead>
          <tbody>
            {overview.usage.map((row) => (
              <tr key={row.meter}>
                <td>{row.label}</td>
                <td>{number(row.used)}</td>
                <td>{row.included === null ? "Unlimited" : number(row.included)}</td>
                <td>
                  {row.overage > 0
                    ? `${number(row.overage)}${row.metered ? " (billed)" : " (over quota)"}`
                    : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card card--flat stack" aria-label="Plans">
        <div className="page-head">
          <h2>Plans</h2>
          <div className="row-actions" role="group" aria-label="Billing interval">
            <Button
              size="sm"
              variant={interval === "month" ? "primary" : "secondary"}
              onClick={() => setInterval("month")}
            >
              Monthly
            </Button>
            <Button
              size="sm"
              variant={interval === "year" ? "primary" : "secondary"}
              onClick={() => setInterval("year")}
            >
              Yearly
            </Button>
          </div>
        </div>
        {!canManage ? <p className="muted">Only owners and admins can change the plan.</p> : null}
        <div className="plan-grid">
          {overview.plans.map((plan) => {
            const planInterval: Interval = plan.intervals.includes(interval) ? interval : "month";
            const price = plan.prices[planInterval];
            const current = isCurrent(plan, planInterval);
            return (
              <article
                key={plan.key}
                className={current ? "plan-card plan-card--current" : "plan-card"}
                data-testid={`plan-${plan.key}`}
              >
                <h3>{plan.name}</h3>
                <p className="plan-card__price">
                  {price !== undefined ? `${formatMoney(price)} / ${planInterval}` : "No base fee"}
                  {Object.values(plan.quotas).some((q) => q.overageMicroCents !== undefined) ? (
                    <span className="muted"> + metered usage</span>
                  ) : null}
                </p>
                <p className="muted">{plan.description}</p>
                <ul className="plan-card__limits">
                  <li>
                    {plan.limits.projects === null
                      ? "Unlimited projects"
                      : `${plan.limits.projects} projects`}
                  </li>
                  <li>
                    {plan.limits.seats === null
                      ? "Unlimited seats"
                      : `${plan.limits.seats} seat${plan.limits.seats === 1 ? "" : "s"}`}
                  </li>
                  <li>{plan.features["team.invite"] ? "Team invites" : "No team invites"}</li>
                </ul>
                {current ? (
                  <span className="badge badge--ok">Current plan</span>
                ) : canManage ? (
                  overview.hasPaidSubscription ? (
                    <Button
                      variant="secondary"
                      disabled={busy}
                      onClick={() => setPending({ planKey: plan.key, interval: planInterval })}
                    >
                      Switch to {plan.name}
                    </Button>
                  ) : (
                    <Button
                      loading={checkout.isPending && checkout.variables.planKey === plan.key}
                      disabled={busy}
                      onClick={() =>
                        checkout.mutate({
                          organizationId,
                          planKey: plan.key,
                          interval: planInterval,
                        })
                      }
                    >
                      Choose {plan.name}
                    </Button>
                  )
                ) : null}
              </article>
            );
          })}
        </div>
        {pending ? (
          <section
            className="card stack"
            aria-label="Plan change preview"
            data-testid="plan-change-preview"
          >
            <h3>
              {preview.data?.direction === "downgrade" ? "Downgrade" : "Change"} to{" "}
              {overview.plans.find((p) => p.key === pending.planKey)?.name} ({pending.interval}ly)
            </h3>
            {preview.isLoading ? <p className="muted">Calculating the proration…</p> : null}
            {preview.error ? <Banner tone="danger">{preview.error.message}</Banner> : null}
            {preview.data ? (
              <>
                <table className="table" aria-label="Proration">
                  <tbody>
                    {preview.data.lines.map((line, index) => (
                      <tr key={index}>
                        <td>{line.description ?? "—"}</td>
                        <td className="nowrap">
                          {formatMoney(line.amount, preview.data.currency)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p>
                  {preview.data.direction === "upgrade" ? (
                    <>
                      Charged now:{" "}
                      <strong data-testid="preview-amount">
                        {formatMoney(preview.data.amountDue, preview.data.currency)}
                      </strong>
                    </>
                  ) : (
                    <>
                      Credit towards your next invoice:{" "}
                      <strong data-testid="preview-amount">
                        {formatMoney(-preview.data.prorationAmount, preview.data.currency)}
                      </strong>
                    </>
                  )}
                </p>
                <div className="row-actions">
                  <Button
                    loading={change.isPending}
                    disabled={busy}
                    onClick={() =>
                      change.mutate({
                        organizationId,
                        ...pending,
                        prorationDate: preview.data.prorationDate,
                      })
                    }
                  >
                    Confirm change
                  </Button>
                  <Button
                    variant="secondary"
                    disabled={change.isPending}
                    onClick={() => setPending(null)}
                  >
                    Keep current plan
                  </Button>
                </div>
              </>
            ) : null}
          </section>
        ) : null}
      </section>

      {canManage ? (
        <section className="card card--flat stack" aria-label="Payment method">
          <h2>Payment method</h2>
          {overview.testMode ? (
            <p className="muted">Test mode: no payment method is needed and nothing is charged.</p>
          ) : paymentMethods.data?.card ? (
            <p>
              <strong>{paymentMethods.data.card.brand.toUpperCase()}</strong> ending in{" "}
              {paymentMethods.data.card.last4}{" "}
              <span className="muted">
                (expires {String(paymentMethods.data.card.expMonth).padStart(2, "0")}/
                {paymentMethods.data.card.expYear})
              </span>
            </p>
          ) : (
            <p className="muted">No card on file.</p>
          )}
          {!overview.testMode ? (
            <div className="row-actions">
              <Button
                variant="secondary"
                loading={portal.isPending}
                disabled={busy}
                onClick={() => portal.mutate({ organizationId })}
              >
                Manage payment methods in Stripe
              </Button>
            </div>
          ) : null}
        </section>
      ) : null}

      {canManage ? (
        <section className="card card--flat stack" aria-label="Invoices">
          <h2>Invoices</h2>
          {(invoices.data ?? []).length === 0 ? (
            <p className="empty">No invoices yet.</p>
          ) : (
            <table className="table" aria-label="Invoices">
              <thead>
                <tr>
                  <th>Date</th>
                  <th>Number</th>
                  <th>Description</th>
                  <th>Amount</th>
                  <th>Status</th>
                  <th className="actions-col">Links</th>
                </tr>
              </thead>
              <tbody>
                {(invoices.data ?? []).map((invoice) => (
                  <tr key={invoice.id}>
                    <td>{day(invoice.created)}</td>
                    <td>{invoice.number ?? "—"}</td>
                    <td>{invoice.description ?? "—"}</td>
                    <td className="nowrap">{formatMoney(invoice.amountDue, invoice.currency)}</td>
                    <td>
                      <span
                        className={
                          invoice.status === "paid"
                            ? "badge badge--ok"
                            : invoice.status === "open"
                              ? "badge badge--danger"
                              : "badge badge--muted"
                        }
                      >
                        {invoice.status}
                      </span>
                    </td>
                    <td className="actions-col">
                      {invoice.hostedInvoiceUrl ? (
                        <a href={invoice.hostedInvoiceUrl} target="_blank" rel="noreferrer">
                          {invoice.status === "open" ? "Pay" : "View"}
                        </a>
                      ) : null}
                      {invoice.invoicePdf ? (
                        <>
                          {" · "}
                          <a href={invoice.invoicePdf} target="_blank" rel="noreferrer">
                            PDF
                          </a>
                        </>
                      ) : null}
                      {!invoice.hostedInvoiceUrl && !invoice.invoicePdf ? (
                        <span className="muted">Test mode</span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </div>
  );
}
