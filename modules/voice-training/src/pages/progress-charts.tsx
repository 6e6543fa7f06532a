"use client";
// The progress charts (loaded on their own with next/dynamic, so recharts stays out of the
// page's first load): score, pace, fillers and talk ratio per day (the day's mean when a
// trainee practised more than once).
import { TimeSeriesChart } from "@plinth/ui/chart";
import type { VoiceTrainingOutputs } from "../trpc.ts";

type Point = VoiceTrainingOutputs["practice"]["progress"]["points"][number];
type Metric = "overallScore" | "wordsPerMinute" | "fillersPerMinute" | "talkListenRatio";
/** One chart per metric: its title and its series' label. */
const CHARTS: { metric: Metric; label: string; series: string }[] = [
  { metric: "overallScore", label: "Score (0–100)", series: "Score" },
  { metric: "wordsPerMinute", label: "Pace (words per minute)", series: "Words/min" },
  { metric: "fillersPerMinute", label: "Filler words per minute", series: "Fillers/min" },
  { metric: "talkListenRatio", label: "Talk ratio (you ÷ prospect)", series: "Talk ratio" },
];
const METRICS = CHARTS.map((chart) => chart.metric);

const round = (value: number) => Math.round(value * 10) / 10;

/** One row per day with each metric's mean of that day (left out when none had a value). */
export function dailyMeans(points: readonly Point[]) {
  const days = new Map<string, Record<Metric, number[]>>();
  for (const point of points) {
    const day = point.date.toISOString().slice(0, 10);
    const sums = days.get(day) ?? {
      overallScore: [],
      wordsPerMinute: [],
      fillersPerMinute: [],
      talkListenRatio: [],
    };
    for (const metric of METRICS) {
      const value = point[metric];
      if (value !== null) sums[metric].push(value);
    }
    days.set(day, sums);
  }
  return [...days.entries()].map(([day, sums]) => {
    const row: Record<string, string | number> = { day };
    for (const metric of METRICS) {
      const values = sums[metric];
      if (values.length > 0) row[metric] = round(values.reduce((a, b) => a + b, 0) / values.length);
    }
    return row;
  });
}

export default function ProgressCharts({ points }: { points: readonly Point[] }) {
  const rows = dailyMeans(points);
  const empty = "No finished sessions with feedback in this period.";
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {CHARTS.map((chart) => (
        <TimeSeriesChart
          key={chart.metric}
          label={chart.label}
          data={rows}
          xKey="day"
          series={[{ key: chart.metric, label: chart.series }]}
          format="count"
          emptyMessage={empty}
        />
      ))}
    </div>
  );
}
