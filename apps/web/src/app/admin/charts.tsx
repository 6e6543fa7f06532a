"use client";
import { BarChart, DonutChart, TimeSeriesChart } from "@plinth/ui/chart";

type Month = { month: string; mrrCents: number; newOrganizations: number; churned: number };

export function MrrChart({ months }: { months: Month[] }) {
  return (
    <TimeSeriesChart
      label="Monthly recurring revenue, last 12 months"
      data={months}
      xKey="month"
      series={[{ key: "mrrCents", label: "MRR" }]}
      format="money"
      emptyMessage="No paid subscriptions yet."
    />
  );
}

export function SignupsChart({ months }: { months: Month[] }) {
  return (
    <BarChart
      label="New organizations and churned subscriptions per month"
      data={months}
      xKey="month"
      series={[
        { key: "newOrganizations", label: "New organizations", color: "var(--chart-2)" },
        { key: "churned", label: "Churned", color: "var(--chart-4)" },
      ]}
      format="count"
      emptyMessage="No sign-ups or churn in the last 12 months."
    />
  );
}

export function PlansChart({ plans }: { plans: { planName: string; count: number }[] }) {
  return (
    <DonutChart
      label="Organizations by plan"
      data={plans.map((plan) => ({ name: plan.planName, value: plan.count }))}
      format="count"
      totalLabel="organizations"
    />
  );
}
