"use client";
import { BarChart, TimeSeriesChart } from "@plinth/ui/chart";

type Point = { label: string; calls: number; errors: number; costCents: number };

export function CallsChart({ points, label }: { points: Point[]; label: string }) {
  return (
    <BarChart
      label={label}
      data={points}
      xKey="label"
      series={[
        { key: "calls", label: "Calls" },
        { key: "errors", label: "5xx errors", color: "var(--chart-4)" },
      ]}
      format="count"
      emptyMessage="No calls in this period yet."
    />
  );
}

export function CostChart({ points, label }: { points: Point[]; label: string }) {
  return (
    <TimeSeriesChart
      label={label}
      data={points}
      xKey="label"
      series={[{ key: "costCents", label: "Cost" }]}
      format="money"
      emptyMessage="No cost in this period yet."
    />
  );
}
