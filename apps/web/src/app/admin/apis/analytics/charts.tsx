"use client";
import { BarChart } from "@plinth/ui/chart";

type Month = { month: string; mrrCents: number; meteredCents: number };

export function RevenueChart({ months }: { months: Month[] }) {
  return (
    <BarChart
      label="Revenue per month: subscriptions (MRR) and metered usage"
      data={months}
      xKey="month"
      series={[
        { key: "mrrCents", label: "MRR" },
        { key: "meteredCents", label: "Metered", color: "var(--chart-2)" },
      ]}
      format="money"
      emptyMessage="No revenue yet."
    />
  );
}
