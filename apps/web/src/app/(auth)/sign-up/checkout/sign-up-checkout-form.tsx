"use client";
import { useState } from "react";
import { Button } from "@plinth/ui/button";
import { RadioCards } from "@plinth/ui/radio-group";
import { reportError } from "@plinth/web-kit/feedback";
import { trpc } from "~/trpc/react.tsx";

type Interval = "month" | "year";

const money = (cents: number) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(cents / 100);

/** Billing period choice, then billing.startCheckout for the sign-up's plan (its URL next). */
export function SignUpCheckoutForm({
  organizationId,
  plan,
  testMode,
}: {
  organizationId: string;
  plan: {
    key: string;
    name: string;
    intervals: Interval[];
    prices: Partial<Record<Interval, number>>;
  };
  testMode: boolean;
}) {
  const [interval, setInterval] = useState<Interval>(plan.intervals[0] ?? "month");
  const checkout = trpc.billing.startCheckout.useMutation({
    onSuccess: ({ url }) => window.location.assign(url),
    onError: (error) => reportError(error),
  });
  const price = (each: Interval) => {
    const cents = plan.prices[each];
    return cents === undefined ? "Usage-based" : `${money(cents)}/${each}`;
  };
  return (
    <form
      className="grid gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        checkout.mutate({ organizationId, planKey: plan.key, interval });
      }}
    >
      {plan.intervals.length > 1 ? (
        <RadioCards
          name="interval"
          legend="Billing period"
          value={interval}
          onChange={(value) => setInterval(value === "year" ? "year" : "month")}
          options={plan.intervals.map((each) => ({
            value: each,
            label: each === "year" ? "Yearly" : "Monthly",
            aside: price(each),
          }))}
        />
      ) : (
        <p className="text-sm">{price(interval)}</p>
      )}
      {testMode ? (
        <p className="text-sm text-muted-foreground">
          Test mode: no payment provider is configured, nothing will be charged.
        </p>
      ) : null}
      <Button type="submit" loading={checkout.isPending || checkout.isSuccess}>
        Continue to checkout
      </Button>
    </form>
  );
}
