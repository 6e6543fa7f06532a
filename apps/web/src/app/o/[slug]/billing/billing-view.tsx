"use client";
// Billing: the plan and its state, usage this period (per meter, per day), the plans to move
// to (checkout, or a previewed change), payment method and invoices.
import { Check } from "lucide-react";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import type { RouterOutputs } from "@plinth/product/trpc";
import { Badge } from "@plinth/ui/badge";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import {
  Card,
  CardContent,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
} from "@plinth/ui/card";
import { ConfirmDialog } from "@plinth/ui/confirm-dialog";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@plinth/ui/dialog";
import {
  formatCount,
  formatDay,
  formatDuration,
  formatMoney,
  type ValueFormat,
} from "@plinth/ui/lib/format";
import { usePagedRows } from "@plinth/ui/lib/sorting";
import { cn } from "@plinth/ui/lib/utils";
import { ClientPagination } from "@plinth/ui/pagination";
import { Progress } from "@plinth/ui/progress";
import { Skeleton } from "@plinth/ui/skeleton";
import {
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@plinth/ui/tabs";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { trpc } from "~/trpc/react.tsx";
import { pageLoaded } from "@plinth/ui/lib/after-load";

const UsageChart = dynamic(() => pageLoaded().then(() => import("./usage-chart.tsx")), {
  ssr: false,
  loading: () => <Skeleton className="h-60 w-full" />,
});

type Overview = RouterOutputs["billing"]["overview"];
type DailyUsage = RouterOutputs["billing"]["dailyUsage"];
type Invoice = RouterOutputs["billing"]["invoices"][number];
type Upcoming = NonNullable<RouterOutputs["billing"]["upcomingInvoice"]>;
type PaymentMethods = RouterOutputs["billing"]["paymentMethods"];
type PlanOption = Overview["plans"][number];
type Interval = "month" | "year";

interface Props {
  organizationId: string;
  initialOverview: Overview;
  initialUsage: DailyUsage;
  initialInvoices: Invoice[] | null;
  initialPaymentMethods: PaymentMethods | null;
}

const STATUS: Record<
  Overview["status"],
  { label: string; variant: "success" | "info" | "warning" | "destructive" }
> = {
  trialing: { label: "Trial", variant: "info" },
  active: { label: "Active", variant: "success" },
  past_due_grace: { label: "Payment overdue", variant: "warning" },
  trial_expired: { label: "Trial ended", variant: "destructive" },
  restricted: { label: "Restricted (read-only)", variant: "destructive" },
  inactive: { label: "Inactive", variant: "destructive" },
};

const METER_FORMAT: Record<string, ValueFormat> = { "session.minutes": "duration" };
const amount = (meter: string, value: number) =>
  METER_FORMAT[meter] === "duration" ? formatDuration(value) : formatCount(value);

export function BillingView({
  organizationId,
  initialOverview,
  initialUsage,
  initialInvoices,
  initialPaymentMethods,
}: Props) {
  const router = useRouter();
  const utils = trpc.useUtils();
  const overview = trpc.billing.overview.useQuery(
    { organizationId },
    { initialData: initialOverview },
  ).data;
  const usage = trpc.billing.dailyUsage.useQuery(
    { organizationId },
    { initialData: initialUsage },
  ).data;
  const canManage = overview.canManage;
  const invoices = trpc.billing.invoices.useQuery(
    { organizationId, limit: 24 },
    { initialData: initialInvoices ?? [], enabled: canManage },
  );
  const upcoming = trpc.billing.upcomingInvoice.useQuery(
    { organizationId },
    { enabled: canManage },
  );
  const paymentMethods = trpc.billing.paymentMethods.useQuery(
    { organizationId },
    {
      enabled: canManage,
      ...(initialPaymentMethods ? { initialData: initialPaymentMethods } : {}),
    },
  );
  const [interval, setInterval] = useState<Interval>(overview.interval ?? "month");
  const [pending, setPending] = useState<{ planKey: PlanOption["key"]; interval: Interval } | null>(
    null,
  );

  const refresh = async (message?: string) => {
    if (message) toast.success(message);
    await Promise.all([utils.billing.invalidate(), utils.organization.get.invalidate()]);
    router.refresh();
  };
  const onError = (error: Parameters<typeof reportError>[0]) => reportError(error);
  const checkout = trpc.billing.startCheckout.useMutation({
    onSuccess: ({ url }) => window.location.assign(url),
    onError,
  });
  const change = trpc.billing.changePlan.useMutation({
    onSuccess: async (result) => {
      setPending(null);
      await refresh(`You are now on ${result.plan.name}.`);
    },
    onError,
  });
  const cancel = trpc.billing.cancel.useMutation({ onError });
  const resume = trpc.billing.resume.useMutation({
    onSuccess: () => refresh("Your subscription continues."),
    onError,
  });
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
  const status = STATUS[overview.status];
  const facts: [string, ReactNode][] = [
    ["Plan", <span data-testid="billing-plan">{overview.plan.name}</span>],
    [
      "Status",
      <span className="flex flex-wrap gap-2">
        <Badge variant={status.variant} data-testid="billing-status">
          {status.label}
        </Badge>
        {overview.cancelAtPeriodEnd ? (
          <Badge variant="secondary">Cancels at period end</Badge>
        ) : null}
      </span>,
    ],
    ...(overview.interval
      ? ([["Billed", overview.interval === "year" ? "Yearly" : "Monthly"]] as [string, string][])
      : []),
    ...(overview.trialEndsAt
      ? ([["Trial ends", formatDay(overview.trialEndsAt)]] as [string, string][])
      : []),
    ...(overview.renewsAt
      ? ([["Renews on", formatDay(overview.renewsAt)]] as [string, string][])
      : []),
    ...(overview.endsAt ? ([["Ends on", formatDay(overview.endsAt)]] as [string, string][]) : []),
    ...(overview.graceEndsAt
      ? ([
          [
            overview.access === "full" ? "Write access until" : "Read-only since",
            formatDay(overview.graceEndsAt),
          ],
        ] as [string, string][])
      : []),
  ];

  return (
    <div className="grid gap-6">
      <Card aria-labelledby="current-plan-title">
        <CardHeader>
          <CardTitle id="current-plan-title">Current plan</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
            {facts.map(([term, value]) => (
              <div key={term} className="contents">
                <dt className="text-muted-foreground">{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {overview.status === "past_due_grace" ? (
            <Banner tone="warning" title="Payment overdue">
              The last payment failed. Everything keeps working for {overview.pastDueGraceDays} days
              after the failure (until {formatDay(overview.graceEndsAt)}); then the organization
              becomes read-only until the invoice is paid.
            </Banner>
          ) : overview.status === "restricted" ? (
            <Banner tone="danger" title="Read-only until paid">
              Pay the open invoice or update your payment method to make changes again.
            </Banner>
          ) : null}
        </CardContent>
        {canManage && overview.hasPaidSubscription ? (
          <CardFooter className="justify-end">
            {overview.cancelAtPeriodEnd ? (
              <Button
                variant="outline"
                loading={resume.isPending}
                disabled={busy}
                onClick={() => resume.mutate({ organizationId })}
              >
                Resume subscription
              </Button>
            ) : (
              <ConfirmDialog
                trigger={
                  <Button variant="outline" disabled={busy}>
                    Cancel at period end
                  </Button>
                }
                title={`Cancel ${overview.plan.name}?`}
                description={`It stays active until ${formatDay(overview.renewsAt)}, then the organization moves back to its free limits. You can resume until then.`}
                confirmLabel="Cancel subscription"
                onConfirm={async () => {
                  await cancel.mutateAsync({ organizationId });
                  await refresh(`${overview.plan.name} ends on ${formatDay(overview.renewsAt)}.`);
                }}
              />
            )}
          </CardFooter>
        ) : null}
      </Card>

      <Card aria-labelledby="usage-title">
        <CardHeader>
          <CardTitle id="usage-title">Usage this period</CardTitle>
          <CardDescription>Since {formatDay(overview.periodStart)}, per day (UTC).</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          <Tabs defaultValue={usage.series[0]?.meter}>
            <TabsList aria-label="Meter">
              {usage.series.map((series) => (
                <TabsTrigger key={series.meter} value={series.meter}>
                  {series.label}
                </TabsTrigger>
              ))}
            </TabsList>
            {usage.series.map((series) => {
              const { label } = series;
              const share =
                series.included && series.included > 0
                  ? Math.min(100, (series.total / series.included) * 100)
                  : null;
              return (
                <TabsContent key={series.meter} value={series.meter} className="grid gap-4">
                  <div className="grid gap-2">
                    <p className="text-sm">
                      <span className="text-2xl font-semibold">
                        {amount(series.meter, series.total)}
                      </span>{" "}
                      <span className="text-muted-foreground">
                        {series.included === null
                          ? "used · unlimited"
                          : `of ${amount(series.meter, series.included)} included`}
                      </span>
                    </p>
                    {share !== null ? (
                      <Progress
                        value={share}
                        aria-label={`${label}: ${Math.round(share)}% of the included amount`}
                        indicatorClassName={share >= 100 ? "bg-destructive" : undefined}
                      />
                    ) : null}
                  </div>
                  <UsageChart
                    label={`${label} per day`}
                    points={series.points}
                    format={METER_FORMAT[series.meter] ?? "count"}
                  />
                </TabsContent>
              );
            })}
          </Tabs>
          <Table aria-label="Usage">
            <TableHeader>
              <TableRow>
                <TableHead>Meter</TableHead>
                <TableHead className="text-right">Used</TableHead>
                <TableHead className="text-right">Included</TableHead>
                <TableHead className="text-right">Overage</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {overview.usage.map((row) => (
                <TableRow key={row.meter}>
                  <TableCell>{row.label}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {amount(row.meter, row.used)}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    {row.included === null ? "Unlimited" : amount(row.meter, row.included)}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    {row.overage > 0
                      ? `${amount(row.meter, row.overage)}${row.metered ? " (billed)" : " (over quota)"}`
                      : "—"}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>

      <Card aria-labelledby="plans-title">
        <CardHeader>
          <CardTitle id="plans-title">Plans</CardTitle>
          {!canManage ? (
            <CardDescription>Only owners and admins can change the plan.</CardDescription>
          ) : null}
        </CardHeader>
        <CardContent>
          <Tabs value={interval} onValueChange={(value) => setInterval(value as Interval)}>
            <TabsList aria-label="Billing interval">
              <TabsTrigger value="month">Monthly</TabsTrigger>
              <TabsTrigger value="year">Yearly</TabsTrigger>
            </TabsList>
            {(["month", "year"] as const).map((tab) => (
              <TabsContent
                key={tab}
                value={tab}
                className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4"
              >
                {overview.plans.map((plan) => {
                  const planInterval: Interval = plan.intervals.includes(tab) ? tab : "month";
                  const price = plan.prices[planInterval];
                  const current = isCurrent(plan, planInterval);
                  return (
                    <article
                      key={plan.key}
                      aria-label={plan.name}
                      data-testid={`plan-${plan.key}`}
                      className={cn(
                        "flex flex-col gap-3 rounded-lg border p-4",
                        current && "border-primary ring-1 ring-primary",
                      )}
                    >
                      <h3 className="font-semibold">{plan.name}</h3>
                      <p className="text-sm">
                        <span className="text-lg font-semibold">
                          {price !== undefined ? formatMoney(price) : "No base fee"}
                        </span>
                        {price !== undefined ? (
                          <span className="text-muted-foreground"> / {planInterval}</span>
                        ) : null}
                        {Object.values(plan.quotas).some(
                          (q) => q.overageMicroCents !== undefined,
                        ) ? (
                          <span className="block text-muted-foreground">+ metered usage</span>
                        ) : null}
                      </p>
                      <p className="text-sm text-muted-foreground">{plan.description}</p>
                      <ul className="grid gap-1 text-sm">
                        {[
                          plan.limits.projects === null
                            ? "Unlimited projects"
                            : `${plan.limits.projects} projects`,
                          plan.limits.seats === null
                            ? "Unlimited seats"
                            : `${plan.limits.seats} seat${plan.limits.seats === 1 ? "" : "s"}`,
                          plan.features["team.invite"] ? "Team invites" : "No team invites",
                        ].map((line) => (
                          <li key={line} className="flex gap-2">
                            <Check
                              className="mt-0.5 size-4 shrink-0 text-success"
                              aria-hidden="true"
                            />
                            {line}
                          </li>
                        ))}
                      </ul>
                      <div className="mt-auto pt-2">
                        {current ? (
                          <Badge variant="success">Current plan</Badge>
                        ) : canManage ? (
                          overview.hasPaidSubscription ? (
                            <Button
                              variant="outline"
                              className="w-full"
                              disabled={busy}
                              onClick={() =>
                                setPending({ planKey: plan.key, interval: planInterval })
                              }
                            >
                              Switch to {plan.name}
                            </Button>
                          ) : (
                            <Button
                              className="w-full"
                              loading={
                                checkout.isPending && checkout.variables.planKey === plan.key
                              }
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
                      </div>
                    </article>
                  );
                })}
              </TabsContent>
            ))}
          </Tabs>
        </CardContent>
      </Card>

      {canManage ? (
        <Card aria-labelledby="payment-title">
          <CardHeader>
            <CardTitle id="payment-title">Payment method</CardTitle>
          </CardHeader>
          <CardContent className="text-sm">
            {overview.testMode ? (
              <p className="text-muted-foreground">
                Test mode: no payment method is needed and nothing is charged.
              </p>
            ) : paymentMethods.data?.card ? (
              <p>
                <strong>{paymentMethods.data.card.brand.toUpperCase()}</strong> ending in{" "}
                {paymentMethods.data.card.last4}{" "}
                <span className="text-muted-foreground">
                  (expires {String(paymentMethods.data.card.expMonth).padStart(2, "0")}/
                  {paymentMethods.data.card.expYear})
                </span>
              </p>
            ) : (
              <p className="text-muted-foreground">No card on file.</p>
            )}
          </CardContent>
          {overview.provider === "stripe" ? (
            <CardFooter>
              <Button
                variant="outline"
                loading={portal.isPending}
                disabled={busy}
                onClick={() => portal.mutate({ organizationId })}
              >
                Manage payment methods in Stripe
              </Button>
            </CardFooter>
          ) : null}
        </Card>
      ) : null}

      {canManage && upcoming.data ? <UpcomingInvoice invoice={upcoming.data} /> : null}

      {canManage ? <Invoices invoices={invoices.data ?? []} /> : null}

      <PlanChangeDialog
        pending={pending}
        planName={overview.plans.find((p) => p.key === pending?.planKey)?.name ?? ""}
        preview={preview}
        changing={change.isPending}
        onConfirm={(prorationDate) =>
          pending && change.mutate({ organizationId, ...pending, prorationDate })
        }
        onClose={() => setPending(null)}
      />
    </div>
  );
}

function PlanChangeDialog({
  pending,
  planName,
  preview,
  changing,
  onConfirm,
  onClose,
}: {
  pending: { interval: Interval } | null;
  planName: string;
  preview: {
    data: RouterOutputs["billing"]["previewPlanChange"] | undefined;
    isLoading: boolean;
    error: { message: string } | null;
  };
  changing: boolean;
  onConfirm: (prorationDate: number) => void;
  onClose: () => void;
}) {
  const data = preview.data;
  return (
    <Dialog
      open={pending !== null}
      onOpenChange={(open) => {
        if (!open && !changing) onClose();
      }}
    >
      <DialogContent data-testid="plan-change-preview">
        <DialogHeader>
          <DialogTitle>
            {data?.direction === "downgrade" ? "Downgrade" : "Change"} to {planName} (
            {pending?.interval === "year" ? "yearly" : "monthly"})
          </DialogTitle>
          <DialogDescription>What the change costs now, prorated to the day.</DialogDescription>
        </DialogHeader>
        {preview.isLoading ? <Skeleton className="h-24 w-full" /> : null}
        {preview.error ? <Banner tone="danger">{preview.error.message}</Banner> : null}
        {data ? (
          <>
            <Table aria-label="Proration">
              <TableBody>
                {data.lines.map((line, index) => (
                  <TableRow key={index}>
                    <TableCell>{line.description ?? "—"}</TableCell>
                    <TableCell className="text-right whitespace-nowrap tabular-nums">
                      {formatMoney(line.amount, data.currency)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <p className="text-sm">
              {data.direction === "upgrade"
                ? "Charged now: "
                : "Credit towards your next invoice: "}
              <strong data-testid="preview-amount">
                {formatMoney(
                  data.direction === "upgrade" ? data.amountDue : -data.prorationAmount,
                  data.currency,
                )}
              </strong>
            </p>
          </>
        ) : null}
        <DialogFooter>
          <Button variant="outline" disabled={changing} onClick={onClose}>
            Keep current plan
          </Button>
          <Button
            loading={changing}
            disabled={!data}
            onClick={() => data && onConfirm(data.prorationDate)}
          >
            Confirm change
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

const INVOICE_BADGE: Record<string, "success" | "destructive" | "secondary"> = {
  paid: "success",
  open: "destructive",
};

/** The next invoice: recurring items and this period's API usage per endpoint so far. */
function UpcomingInvoice({ invoice }: { invoice: Upcoming }) {
  return (
    <Card aria-labelledby="upcoming-title" className="pb-3">
      <CardHeader>
        <CardTitle id="upcoming-title">Upcoming invoice</CardTitle>
        <CardDescription>
          Usage from {formatDay(invoice.periodStart)} to {formatDay(invoice.periodEnd)}, billed at
          each endpoint&apos;s prices; the total so far.
        </CardDescription>
      </CardHeader>
      <Table aria-label="Upcoming invoice">
        <TableHeader>
          <TableRow>
            <TableHead className="pl-5">Line</TableHead>
            <TableHead className="text-right">Calls</TableHead>
            <TableHead className="text-right">Units</TableHead>
            <TableHead className="pr-5 text-right">Amount</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {invoice.lines.length === 0 ? (
            <TableEmpty colSpan={4}>Nothing to invoice yet.</TableEmpty>
          ) : (
            invoice.lines.map((line, index) => (
              <TableRow key={`${line.kind}-${index}`}>
                <TableCell className="pl-5">{line.description}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {line.calls === null ? "—" : formatCount(line.calls)}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {line.units === null ? "—" : formatCount(line.units)}
                </TableCell>
                <TableCell className="pr-5 text-right whitespace-nowrap tabular-nums">
                  {formatMoney(line.amount, invoice.currency)}
                </TableCell>
              </TableRow>
            ))
          )}
          <TableRow>
            <TableCell className="pl-5 font-medium" colSpan={3}>
              Total
            </TableCell>
            <TableCell className="pr-5 text-right font-medium whitespace-nowrap tabular-nums">
              {formatMoney(invoice.total, invoice.currency)}
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
    </Card>
  );
}

function Invoices({ invoices }: { invoices: Invoice[] }) {
  const paged = usePagedRows(invoices, 6);
  return (
    <Card aria-labelledby="invoices-title" className="pb-3">
      <CardHeader>
        <CardTitle id="invoices-title">Invoices</CardTitle>
      </CardHeader>
      <Table aria-label="Invoices">
        <TableHeader>
          <TableRow>
            <TableHead className="pl-5">Date</TableHead>
            <TableHead>Number</TableHead>
            <TableHead>Description</TableHead>
            <TableHead className="text-right">Amount</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="pr-5 text-right">Links</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {paged.rows.length === 0 ? (
            <TableEmpty colSpan={6}>No invoices yet.</TableEmpty>
          ) : (
            paged.rows.map((invoice) => (
              <TableRow key={invoice.id}>
                <TableCell className="pl-5 whitespace-nowrap">
                  {formatDay(invoice.created)}
                </TableCell>
                <TableCell className="font-mono text-xs">{invoice.number ?? "—"}</TableCell>
                <TableCell>{invoice.description ?? "—"}</TableCell>
                <TableCell className="text-right whitespace-nowrap tabular-nums">
                  {formatMoney(invoice.amountDue, invoice.currency)}
                </TableCell>
                <TableCell>
                  <Badge variant={INVOICE_BADGE[invoice.status] ?? "secondary"}>
                    {invoice.status}
                  </Badge>
                </TableCell>
                <TableCell className="pr-5 text-right whitespace-nowrap">
                  {invoice.hostedInvoiceUrl ? (
                    <a
                      className="text-primary underline underline-offset-4 hover:decoration-2"
                      href={invoice.hostedInvoiceUrl}
                      target="_blank"
                      rel="noreferrer"
                    >
                      {invoice.status === "open" ? "Pay" : "View"}
                    </a>
                  ) : null}
                  {invoice.invoicePdf ? (
                    <>
                      {" · "}
                      <a
                        className="text-primary underline underline-offset-4 hover:decoration-2"
                        href={invoice.invoicePdf}
                        target="_blank"
                        rel="noreferrer"
                      >
                        PDF
                      </a>
                    </>
                  ) : null}
                  {!invoice.hostedInvoiceUrl && !invoice.invoicePdf ? (
                    <span className="text-muted-foreground">Test mode</span>
                  ) : null}
                </TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
      <ClientPagination
        className="px-5"
        page={paged.page}
        pageCount={paged.pageCount}
        onPageChange={paged.setPage}
      />
    </Card>
  );
}
