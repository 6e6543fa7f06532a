"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { RouterOutputs } from "@plinth/product/trpc";
import { useState } from "react";
import { TRPCClientError } from "@trpc/client";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@plinth/ui/alert-dialog";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { ConfirmDialog } from "@plinth/ui/confirm-dialog";
import {
  Form,
  FormControl,
  FormDescription,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
} from "@plinth/ui/form";
import { formatDay, formatMoney } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@plinth/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@plinth/ui/table";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { useContractForm } from "~/trpc/forms.ts";
import { trpc, type ClientError } from "~/trpc/react.tsx";

type View = RouterOutputs["operator"]["subscription"];
type Subscription = NonNullable<View["subscription"]>;
type ChangePreview = RouterOutputs["operator"]["previewPlanChange"];

const STATUS_VARIANT: Record<string, "success" | "info" | "warning" | "secondary"> = {
  ACTIVE: "success",
  TRIALING: "info",
  PAST_DUE: "warning",
};

export function SubscriptionView({ view }: { view: View }) {
  const { organization, subscription } = view;
  return (
    <div className="grid gap-6">
      <PageHeader
        title={organization.name}
        description={<code>{organization.slug}</code>}
        actions={
          <Button asChild variant="outline" size="sm">
            <Link href="/admin/organizations">All organizations</Link>
          </Button>
        }
      />
      <Card>
        <CardHeader>
          <CardTitle>Subscription</CardTitle>
          <CardDescription>
            Changes go through the billing provider, as the customer&apos;s own would, and are
            recorded in the platform audit log.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          {subscription ? (
            <SubscriptionDetails subscription={subscription} />
          ) : (
            <p className="text-sm text-muted-foreground">No subscription (trial).</p>
          )}
          {subscription?.manageable ? (
            <div className="grid gap-6 border-t pt-6">
              <ChangePlanForm
                organizationId={organization.id}
                subscription={subscription}
                plans={view.plans}
              />
              <CancelActions organizationId={organization.id} subscription={subscription} />
            </div>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}

function SubscriptionDetails({ subscription }: { subscription: Subscription }) {
  const facts: [string, string][] = [
    ["Plan", subscription.plan.name],
    ["Provider", subscription.provider],
    ["Interval", subscription.interval ?? "—"],
    [
      subscription.cancelAtPeriodEnd ? "Ends" : "Renews",
      subscription.currentPeriodEnd ? formatDay(subscription.currentPeriodEnd) : "—",
    ],
  ];
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center gap-2">
        <Badge variant={STATUS_VARIANT[subscription.status] ?? "secondary"}>
          {subscription.status.toLowerCase().replace("_", " ")}
        </Badge>
        {subscription.cancelAtPeriodEnd ? (
          <span className="text-sm text-muted-foreground">cancels at period end</span>
        ) : null}
      </div>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-muted-foreground">{label}</dt>
            <dd className="font-medium capitalize">{value}</dd>
          </div>
        ))}
      </dl>
      {subscription.items.length > 0 ? (
        <Table aria-label="Subscription items">
          <TableHeader>
            <TableRow>
              <TableHead>Item</TableHead>
              <TableHead>Quantity</TableHead>
              <TableHead>Unit price</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {subscription.items.map((item) => (
              <TableRow key={item.key}>
                <TableCell>{item.name}</TableCell>
                <TableCell className="tabular-nums">{item.quantity}</TableCell>
                <TableCell className="tabular-nums">{formatMoney(item.unitAmount)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </div>
  );
}

function ChangePlanForm({
  organizationId,
  subscription,
  plans,
}: {
  organizationId: string;
  subscription: Subscription;
  plans: View["plans"];
}) {
  const router = useRouter();
  const form = useContractForm("operatorChangePlanInput", {
    defaultValues: {
      organizationId,
      planKey: subscription.plan.key,
      interval: subscription.interval ?? "month",
    },
  });
  const planKey = form.watch("planKey");
  const intervals = plans.find((plan) => plan.key === planKey)?.intervals ?? [];
  const utils = trpc.useUtils();
  // The change is previewed first (proration lines and amounts), then confirmed in the dialog
  // at the preview's proration date, so the charge is what was shown.
  const [preview, setPreview] = useState<ChangePreview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const change = trpc.operator.changePlan.useMutation({
    onSuccess: (view) => {
      setPreview(null);
      toast.success(`Moved to ${view.subscription?.plan.name ?? planKey}`);
      router.refresh();
    },
    onError: (error) => reportError(error, { form }),
  });
  const showPreview = form.handleSubmit(async (values) => {
    setPreviewing(true);
    try {
      setPreview(
        await utils.operator.previewPlanChange.fetch({
          organizationId: values.organizationId,
          planKey: values.planKey,
          ...(values.interval ? { interval: values.interval } : {}),
        }),
      );
    } catch (error) {
      if (!(error instanceof TRPCClientError)) throw error;
      reportError(error as ClientError, { form });
    } finally {
      setPreviewing(false);
    }
  });
  return (
    <Form {...form}>
      <PlanChangePreviewDialog
        preview={preview}
        confirming={change.isPending}
        onCancel={() => setPreview(null)}
        onConfirm={(confirmed) =>
          change.mutate({
            organizationId,
            planKey: confirmed.to.key,
            interval: confirmed.interval,
            prorationDate: confirmed.prorationDate,
          })
        }
      />
      <form
        className="grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
        noValidate
        onSubmit={(event) => void showPreview(event)}
      >
        <FormField
          control={form.control}
          name="planKey"
          render={({ field }) => (
            <FormItem>
              <FormLabel>Plan</FormLabel>
              <Select value={field.value} onValueChange={field.onChange}>
                <FormControl>
                  <SelectTrigger className="w-full">
                    <SelectValue />
                  </SelectTrigger>
                </FormControl>
                <SelectContent>
                  {plans.map((plan) => (
                    <SelectItem key={plan.key} value={plan.key}>
                      {plan.name}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <FormMessage />
            </FormItem>
          )}
        />
        <FormField
          control={form.control}
          name="interval"
          render={({ field }) => (
            <FormItem>
              <FormLabel>Interval</FormLabel>
              <Select value={field.value ?? "month"} onValueChange={field.onChange}>
                <FormControl>
                  <SelectTrigger className="w-full">
                    <SelectValue />
                  </SelectTrigger>
                </FormControl>
                <SelectContent>
                  {intervals.map((interval) => (
                    <SelectItem key={interval} value={interval}>
                      {interval === "year" ? "Yearly" : "Monthly"}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <FormMessage />
            </FormItem>
          )}
        />
        <Button type="submit" loading={previewing || change.isPending}>
          Change plan…
        </Button>
        <FormDescription className="sm:col-span-3">
          Prorated as the customer&apos;s own change: an upgrade is invoiced now, a downgrade leaves
          a credit.
        </FormDescription>
      </form>
    </Form>
  );
}

function PlanChangePreviewDialog({
  preview,
  confirming,
  onCancel,
  onConfirm,
}: {
  preview: ChangePreview | null;
  confirming: boolean;
  onCancel: () => void;
  onConfirm: (preview: ChangePreview) => void;
}) {
  return (
    <AlertDialog open={preview !== null} onOpenChange={(open) => (open ? null : onCancel())}>
      <AlertDialogContent>
        {preview ? (
          <>
            <AlertDialogHeader>
              <AlertDialogTitle>
                {preview.direction === "upgrade" ? "Upgrade" : "Downgrade"} from {preview.from.name}{" "}
                to {preview.to.name}?
              </AlertDialogTitle>
              <AlertDialogDescription>
                {preview.amountDue > 0
                  ? `${formatMoney(preview.amountDue, preview.currency)} is invoiced now (${preview.provider}).`
                  : preview.amountDue < 0
                    ? `${formatMoney(-preview.amountDue, preview.currency)} is left as a credit (${preview.provider}).`
                    : `Nothing is due now (${preview.provider}).`}
              </AlertDialogDescription>
            </AlertDialogHeader>
            <Table aria-label="Proration">
              <TableHeader>
                <TableRow>
                  <TableHead>Line</TableHead>
                  <TableHead className="text-right">Amount</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {preview.lines.map((line, index) => (
                  <TableRow key={index}>
                    <TableCell>
                      {line.description ?? (line.proration ? "Proration" : "—")}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatMoney(line.amount, preview.currency)}
                    </TableCell>
                  </TableRow>
                ))}
                <TableRow>
                  <TableCell className="font-medium">Proration</TableCell>
                  <TableCell className="text-right font-medium tabular-nums">
                    {formatMoney(preview.prorationAmount, preview.currency)}
                  </TableCell>
                </TableRow>
              </TableBody>
            </Table>
            <AlertDialogFooter>
              <AlertDialogCancel disabled={confirming}>Keep {preview.from.name}</AlertDialogCancel>
              <Button loading={confirming} onClick={() => onConfirm(preview)}>
                Change plan
              </Button>
            </AlertDialogFooter>
          </>
        ) : null}
      </AlertDialogContent>
    </AlertDialog>
  );
}

function CancelActions({
  organizationId,
  subscription,
}: {
  organizationId: string;
  subscription: Subscription;
}) {
  const router = useRouter();
  const done = (message: string) => () => {
    toast.success(message);
    router.refresh();
  };
  const cancel = trpc.operator.cancelSubscription.useMutation();
  const resume = trpc.operator.resumeSubscription.useMutation({
    onSuccess: done("Cancellation withdrawn"),
    onError: (error) => reportError(error),
  });
  // The dialog stays open on failure; the toast says why.
  const cancelWith = (when: "period_end" | "now", message: string) => () =>
    cancel.mutateAsync({ organizationId, when }).then(done(message), (error: unknown) => {
      if (error && typeof error === "object" && "message" in error)
        toast.error(String(error.message));
      throw error;
    });
  const ends = subscription.currentPeriodEnd ? formatDay(subscription.currentPeriodEnd) : null;
  return (
    <div className="flex flex-wrap gap-2">
      {subscription.cancelAtPeriodEnd ? (
        <Button
          variant="outline"
          loading={resume.isPending}
          onClick={() => resume.mutate({ organizationId })}
        >
          Resume subscription
        </Button>
      ) : (
        <ConfirmDialog
          trigger={<Button variant="outline">Cancel at period end</Button>}
          title="Cancel at the period end?"
          description={`The plan stays until ${ends ?? "the period ends"}; the cancellation can be withdrawn until then.`}
          confirmLabel="Cancel at period end"
          onConfirm={cancelWith("period_end", "Cancels at the period end")}
        />
      )}
      <ConfirmDialog
        trigger={
          <Button variant="outline" className="text-destructive">
            Cancel now
          </Button>
        }
        title="End the subscription now?"
        description="It ends at once at the billing provider, without a refund of the period's rest; the organization becomes read-only. This cannot be undone."
        confirmLabel="End subscription"
        onConfirm={cancelWith("now", "Subscription ended")}
      />
    </div>
  );
}
