import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatCount, formatDay } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Progress } from "@plinth/ui/progress";
import { Stat } from "@plinth/ui/stat";
import {
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import { searchParam, type ModulePageProps } from "@plinth/web-kit/page";
import type { ApiCatalogCaller } from "../trpc.ts";
import { formatMicroCents } from "./format.ts";
import { CallsChart, CostChart } from "./usage-charts.tsx";

const BUCKETS = { hour: "hour", day: "day" } as const;

export async function ApiUsagePage({
  organization,
  caller,
  searchParams,
}: ModulePageProps<ApiCatalogCaller>) {
  const { slug } = organization;
  const bucket = searchParam(searchParams, "bucket") === "hour" ? BUCKETS.hour : BUCKETS.day;
  const days = bucket === "hour" ? 2 : 30;
  const organizationId = organization.id;
  const [summary, endpoints, series] = await Promise.all([
    caller.apis.usageSummary({ organizationId }),
    caller.apis.usageByEndpoint({ organizationId, days }),
    caller.apis.usageSeries({ organizationId, days, bucket }),
  ]);
  const points = series.points.map((point) => ({
    label:
      bucket === "hour"
        ? `${point.bucketStart.toISOString().slice(5, 10)} ${point.bucketStart.toISOString().slice(11, 13)}h`
        : point.bucketStart.toISOString().slice(0, 10),
    calls: point.calls,
    errors: point.errors,
    costCents: point.costMicroCents / 1_000_000,
  }));
  const base = `/o/${slug}/apis/usage`;
  return (
    <div className="grid gap-6">
      <PageHeader
        title="API usage"
        description={`This billing period (since ${formatDay(summary.periodStart)}): calls, units and cost at list prices. Updated every minute.`}
        actions={
          <Link className="text-sm underline underline-offset-4" href={`${base}/log`}>
            Detailed log
          </Link>
        }
      />
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Usage this period">
        {summary.meters.map((meter) => (
          <Stat
            key={meter.meter}
            label={meter.label}
            value={formatCount(meter.units)}
            detail={
              <>
                {formatCount(meter.calls)} calls · {formatMicroCents(meter.costMicroCents)}
                {meter.included !== null ? (
                  <div className="mt-2 grid gap-1">
                    <Progress
                      value={Math.min(100, (meter.utilisation ?? 0) * 100)}
                      aria-label={`${meter.label}: ${formatCount(meter.used)} of ${formatCount(meter.included)}`}
                    />
                    {formatCount(meter.used)} of {formatCount(meter.included)} included
                  </div>
                ) : null}
              </>
            }
          />
        ))}
      </dl>
      <Card>
        <CardHeader>
          <CardTitle>Over time</CardTitle>
          <CardDescription>
            {bucket === "hour" ? "Per hour, last 48 hours" : "Per day, last 30 days"} ·{" "}
            <Link
              className="underline underline-offset-4"
              href={`${base}?bucket=${bucket === "hour" ? "day" : "hour"}`}
            >
              {bucket === "hour" ? "per day" : "per hour"}
            </Link>
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6 lg:grid-cols-2">
          <CallsChart points={points} label="Calls and errors" />
          <CostChart points={points} label="Cost at list prices" />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>By endpoint</CardTitle>
          <CardDescription>Last {days === 2 ? "48 hours" : "30 days"}</CardDescription>
        </CardHeader>
        <CardContent>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Endpoint</TableHead>
                <TableHead className="text-right">Calls</TableHead>
                <TableHead className="text-right">Units</TableHead>
                <TableHead className="text-right">Errors</TableHead>
                <TableHead className="text-right">p50</TableHead>
                <TableHead className="text-right">p95</TableHead>
                <TableHead className="text-right">Cost</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {endpoints.length === 0 ? (
                <TableEmpty colSpan={7}>No calls yet.</TableEmpty>
              ) : (
                endpoints.map((row) => (
                  <TableRow key={`${row.method} ${row.route}`}>
                    <TableCell className="font-mono text-xs">
                      {row.method} {row.route}
                    </TableCell>
                    <TableCell className="text-right">{formatCount(row.calls)}</TableCell>
                    <TableCell className="text-right">{formatCount(row.units)}</TableCell>
                    <TableCell className="text-right">
                      {(row.errorRate * 100).toFixed(1)}%
                    </TableCell>
                    <TableCell className="text-right">
                      {row.p50Ms === null ? "—" : `${row.p50Ms.toFixed(1)} ms`}
                    </TableCell>
                    <TableCell className="text-right">
                      {row.p95Ms === null ? "—" : `${row.p95Ms.toFixed(1)} ms`}
                    </TableCell>
                    <TableCell className="text-right">
                      {formatMicroCents(row.costMicroCents)}
                    </TableCell>
                  </TableRow>
                ))
              )}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>By API key</CardTitle>
          <CardDescription>This billing period</CardDescription>
        </CardHeader>
        <CardContent>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Key</TableHead>
                <TableHead className="text-right">Calls</TableHead>
                <TableHead className="text-right">Units</TableHead>
                <TableHead className="text-right">Cost</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {summary.keys.length === 0 ? (
                <TableEmpty colSpan={4}>No calls yet.</TableEmpty>
              ) : (
                summary.keys.map((key) => (
                  <TableRow key={key.apiKeyId}>
                    <TableCell>
                      {key.name}{" "}
                      <span className="font-mono text-xs text-muted-foreground">{key.prefix}</span>
                    </TableCell>
                    <TableCell className="text-right">{formatCount(key.calls)}</TableCell>
                    <TableCell className="text-right">{formatCount(key.units)}</TableCell>
                    <TableCell className="text-right">
                      {formatMicroCents(key.costMicroCents)}
                    </TableCell>
                  </TableRow>
                ))
              )}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </div>
  );
}
