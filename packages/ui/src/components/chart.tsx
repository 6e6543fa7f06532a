"use client";
// Charts on recharts, in the design system's colours: a time series (area), bars (grouped or
// stacked) and a donut. Values are formatted as money (cents), counts or durations (minutes)
// on the axis and in the tooltip; an all-zero or empty series shows an empty state instead of
// flat lines; every chart carries a visually hidden table of its numbers for screen readers.
//
// Import this module only from pages that draw charts (it carries recharts): in the app,
// through next/dynamic (see docs/ui.md), so other pages never load it.
import type { ReactNode } from "react";
import {
  Area,
  AreaChart,
  Bar,
  BarChart as RechartsBarChart,
  CartesianGrid,
  Cell,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatPeriodLabel, formatValue, type ValueFormat } from "../lib/format.ts";
import { cn } from "../lib/utils.ts";

export interface ChartSeries {
  /** The data key of this series in each row. */
  key: string;
  label: string;
  /** A CSS colour; defaults to the palette (--chart-1 … --chart-5) in order. */
  color?: string;
}

export type ChartRow = Record<string, string | number>;

const palette = (index: number) => `var(--chart-${(index % 5) + 1})`;
const colorOf = (series: ChartSeries, index: number) => series.color ?? palette(index);

interface CartesianProps {
  /** What the chart shows, for assistive technology ("API requests per day"). */
  label: string;
  data: ChartRow[];
  /** The category / period key of each row: "2026-11-02" (day) or "2026-11" (month). */
  xKey: string;
  series: ChartSeries[];
  format: ValueFormat;
  height?: number;
  emptyMessage?: ReactNode;
  className?: string;
}

function isEmpty(data: ChartRow[], keys: string[]): boolean {
  return data.length === 0 || data.every((row) => keys.every((key) => !Number(row[key] ?? 0)));
}

function ChartEmpty({ height, children }: { height: number; children: ReactNode }) {
  return (
    <div
      data-slot="chart-empty"
      className="flex items-center justify-center rounded-lg border border-dashed text-sm text-muted-foreground"
      style={{ height }}
    >
      {children}
    </div>
  );
}

/** The numbers behind a chart, as a table only screen readers see. */
function ChartTable({
  label,
  data,
  xKey,
  series,
  format,
}: Omit<CartesianProps, "height" | "emptyMessage" | "className">) {
  return (
    // A table ignores a 1px width: the visually hidden wrapper is a div.
    <div className="sr-only">
      <table>
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.map((row) => (
            <tr key={String(row[xKey])}>
              <th scope="row">{formatPeriodLabel(String(row[xKey]))}</th>
              {series.map((s) => (
                <td key={s.key}>{formatValue(Number(row[s.key] ?? 0), format)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface TooltipEntry {
  dataKey?: string | number;
  name?: string | number;
  value?: unknown;
  color?: string;
}

function ChartTooltip({
  active,
  payload,
  label,
  format,
  labelFormatter = formatPeriodLabel,
}: {
  active?: boolean;
  payload?: readonly TooltipEntry[];
  label?: string | number;
  format: ValueFormat;
  labelFormatter?: (label: string) => string;
}) {
  if (!active || !payload?.length) return null;
  return (
    <div className="grid min-w-32 gap-1.5 rounded-lg border bg-popover px-2.5 py-1.5 text-xs text-popover-foreground shadow-md">
      {label !== undefined ? (
        <div className="font-medium">{labelFormatter(String(label))}</div>
      ) : null}
      {payload.map((entry) => (
        <div key={String(entry.dataKey ?? entry.name)} className="flex items-center gap-2">
          <span
            className="size-2.5 shrink-0 rounded-[2px]"
            style={{ background: entry.color }}
            aria-hidden="true"
          />
          <span className="text-muted-foreground">{entry.name}</span>
          <span className="ml-auto font-mono font-medium tabular-nums">
            {formatValue(Number(entry.value ?? 0), format)}
          </span>
        </div>
      ))}
    </div>
  );
}

/** Legend labels in the text colour (recharts paints them in the series colour: low contrast). */
const legendText = (value: string) => <span className="text-foreground">{value}</span>;

const axisProps = {
  tickLine: false,
  axisLine: false,
  tick: { fill: "var(--muted-foreground)", fontSize: 12 },
} as const;

function Frame({
  label,
  className,
  children,
}: {
  label: string;
  className?: string | undefined;
  children: ReactNode;
}) {
  return (
    <figure
      data-slot="chart"
      aria-label={label}
      className={cn("m-0 w-full [&_.recharts-surface]:outline-none", className)}
    >
      {children}
    </figure>
  );
}

/** A value over time (days or months), one filled line per series. */
export function TimeSeriesChart({
  label,
  data,
  xKey,
  series,
  format,
  height = 240,
  emptyMessage = "No data for this period yet.",
  className,
}: CartesianProps) {
  if (
    isEmpty(
      data,
      series.map((s) => s.key),
    )
  ) {
    return (
      <Frame label={label} className={className}>
        <ChartEmpty height={height}>{emptyMessage}</ChartEmpty>
      </Frame>
    );
  }
  return (
    <Frame label={label} className={className}>
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={height}>
          <AreaChart
            accessibilityLayer={false}
            data={data}
            margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
          >
            <defs>
              {series.map((s, index) => (
                <linearGradient key={s.key} id={`fill-${s.key}`} x1="0" y1="0" x2="0" y2="1">
                  <stop offset="5%" stopColor={colorOf(s, index)} stopOpacity={0.35} />
                  <stop offset="95%" stopColor={colorOf(s, index)} stopOpacity={0.02} />
                </linearGradient>
              ))}
            </defs>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis
              dataKey={xKey}
              {...axisProps}
              tickFormatter={(value: string) => formatPeriodLabel(value)}
              minTickGap={24}
            />
            <YAxis
              {...axisProps}
              width={56}
              tickFormatter={(value: number) => formatValue(value, format, true)}
            />
            <Tooltip
              cursor={{ stroke: "var(--border)" }}
              content={(props) => (
                <ChartTooltip
                  active={props.active}
                  payload={props.payload as readonly TooltipEntry[]}
                  label={props.label}
                  format={format}
                />
              )}
            />
            {series.length > 1 ? <Legend iconType="square" formatter={legendText} /> : null}
            {series.map((s, index) => (
              <Area
                key={s.key}
                dataKey={s.key}
                name={s.label}
                type="monotone"
                stroke={colorOf(s, index)}
                strokeWidth={2}
                fill={`url(#fill-${s.key})`}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <ChartTable label={label} data={data} xKey={xKey} series={series} format={format} />
    </Frame>
  );
}

/** Bars per category or period; `stacked` piles the series instead of grouping them. */
export function BarChart({
  label,
  data,
  xKey,
  series,
  format,
  height = 240,
  stacked = false,
  emptyMessage = "No data for this period yet.",
  className,
}: CartesianProps & { stacked?: boolean }) {
  if (
    isEmpty(
      data,
      series.map((s) => s.key),
    )
  ) {
    return (
      <Frame label={label} className={className}>
        <ChartEmpty height={height}>{emptyMessage}</ChartEmpty>
      </Frame>
    );
  }
  return (
    <Frame label={label} className={className}>
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={height}>
          <RechartsBarChart
            accessibilityLayer={false}
            data={data}
            margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
          >
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis
              dataKey={xKey}
              {...axisProps}
              tickFormatter={(value: string) => formatPeriodLabel(value)}
              minTickGap={16}
            />
            <YAxis
              {...axisProps}
              width={48}
              allowDecimals={false}
              tickFormatter={(value: number) => formatValue(value, format, true)}
            />
            <Tooltip
              cursor={{ fill: "var(--muted)" }}
              content={(props) => (
                <ChartTooltip
                  active={props.active}
                  payload={props.payload as readonly TooltipEntry[]}
                  label={props.label}
                  format={format}
                />
              )}
            />
            {series.length > 1 ? <Legend iconType="square" formatter={legendText} /> : null}
            {series.map((s, index) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                fill={colorOf(s, index)}
                radius={stacked ? 0 : [4, 4, 0, 0]}
                {...(stacked ? { stackId: "stack" } : {})}
                isAnimationActive={false}
              />
            ))}
          </RechartsBarChart>
        </ResponsiveContainer>
      </div>
      <ChartTable label={label} data={data} xKey={xKey} series={series} format={format} />
    </Frame>
  );
}

/** Parts of a whole (subscriptions by plan), with the total in the middle. */
export function DonutChart({
  label,
  data,
  format,
  height = 240,
  totalLabel = "Total",
  emptyMessage = "Nothing to show yet.",
  className,
}: {
  label: string;
  data: { name: string; value: number; color?: string }[];
  format: ValueFormat;
  height?: number;
  totalLabel?: string;
  emptyMessage?: ReactNode;
  className?: string;
}) {
  const total = data.reduce((sum, slice) => sum + slice.value, 0);
  if (total === 0) {
    return (
      <Frame label={label} className={className}>
        <ChartEmpty height={height}>{emptyMessage}</ChartEmpty>
      </Frame>
    );
  }
  return (
    <Frame label={label} className={className}>
      <div aria-hidden="true" className="relative">
        <ResponsiveContainer width="100%" height={height}>
          <PieChart accessibilityLayer={false}>
            <Tooltip
              content={(props) => (
                <ChartTooltip
                  active={props.active}
                  payload={props.payload as readonly TooltipEntry[]}
                  format={format}
                />
              )}
            />
            <Pie
              data={data}
              dataKey="value"
              nameKey="name"
              innerRadius="60%"
              outerRadius="85%"
              paddingAngle={2}
              stroke="var(--background)"
              rootTabIndex={-1}
              isAnimationActive={false}
            >
              {data.map((slice, index) => (
                <Cell key={slice.name} fill={slice.color ?? palette(index)} />
              ))}
            </Pie>
            <Legend iconType="square" formatter={legendText} />
          </PieChart>
        </ResponsiveContainer>
        <div
          className="pointer-events-none absolute inset-x-0 top-0 flex flex-col items-center justify-center"
          style={{ height: height - 36 }}
        >
          <span className="text-2xl font-semibold">{formatValue(total, format)}</span>
          <span className="text-xs text-muted-foreground">{totalLabel}</span>
        </div>
      </div>
      {/* A table ignores a 1px width: the visually hidden wrapper is a div. */}
      <div className="sr-only">
        <table>
          <caption>{label}</caption>
          <tbody>
            {data.map((slice) => (
              <tr key={slice.name}>
                <th scope="row">{slice.name}</th>
                <td>{formatValue(slice.value, format)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Frame>
  );
}
