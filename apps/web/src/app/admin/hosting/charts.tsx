"use client";
import { BarChart } from "@plinth/ui/chart";

type Day = {
  day: string;
  succeeded: number;
  failed: number;
  p50Seconds: number | null;
  p95Seconds: number | null;
};

export function RunOutcomesChart({ days }: { days: Day[] }) {
  return (
    <BarChart
      label="Hosting runs per day, last 30 days: succeeded and failed"
      data={days.map(({ day, succeeded, failed }) => ({ day, succeeded, failed }))}
      xKey="day"
      series={[
        { key: "succeeded", label: "Succeeded", color: "var(--chart-2)" },
        { key: "failed", label: "Failed", color: "var(--destructive)" },
      ]}
      format="count"
      stacked
      emptyMessage="No hosting run finished in the last 30 days."
    />
  );
}

export function RunDurationChart({ days }: { days: Day[] }) {
  return (
    <BarChart
      label="Duration of succeeded hosting runs per day, last 30 days: p50 and p95"
      // A day without a succeeded run has no bar (0).
      data={days.map(({ day, p50Seconds, p95Seconds }) => ({
        day,
        p50: p50Seconds ?? 0,
        p95: p95Seconds ?? 0,
      }))}
      xKey="day"
      series={[
        { key: "p50", label: "p50" },
        { key: "p95", label: "p95", color: "var(--chart-4)" },
      ]}
      format="seconds"
      emptyMessage="No hosting run succeeded in the last 30 days."
    />
  );
}
