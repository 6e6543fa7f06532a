"use client";
// The billing page's daily usage chart, loaded on its own (next/dynamic) so recharts stays
// out of the page's first load.
import { TimeSeriesChart } from "@plinth/ui/chart";
import type { ValueFormat } from "@plinth/ui/lib/format";

export default function UsageChart({
  label,
  points,
  format,
}: {
  label: string;
  points: { day: string; quantity: number }[];
  format: ValueFormat;
}) {
  return (
    <TimeSeriesChart
      label={label}
      data={points}
      xKey="day"
      series={[{ key: "quantity", label }]}
      format={format}
      emptyMessage="No usage recorded this period yet."
    />
  );
}
