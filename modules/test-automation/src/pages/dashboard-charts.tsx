"use client";
// The project dashboard's charts (loaded on their own with next/dynamic, so recharts stays
// out of the page's first load): pass rate and mean run duration per day.
import { TimeSeriesChart } from "@plinth/ui/chart";

export default function DashboardCharts({
  daily,
}: {
  daily: { day: string; passRate: number; avgDurationMs: number; runs: number }[];
}) {
  const rows = daily.map((d) => ({
    day: d.day,
    passRate: d.passRate,
    seconds: Math.round(d.avgDurationMs / 100) / 10,
  }));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <TimeSeriesChart
        label="Pass rate (% of tests)"
        data={rows}
        xKey="day"
        series={[{ key: "passRate", label: "Pass rate %" }]}
        format="count"
        emptyMessage="No finished runs in the last 30 days."
      />
      <TimeSeriesChart
        label="Mean run duration (s)"
        data={rows}
        xKey="day"
        series={[{ key: "seconds", label: "Seconds" }]}
        format="count"
        emptyMessage="No finished runs in the last 30 days."
      />
    </div>
  );
}
