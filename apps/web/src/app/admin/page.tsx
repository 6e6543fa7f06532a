import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatCount, formatMoney } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Stat } from "@plinth/ui/stat";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@plinth/ui/table";
import { api } from "~/server/trpc.ts";
import { MrrChart, PlansChart, SignupsChart } from "./overview-charts.tsx";

export const metadata: Metadata = { title: "Overview" };

export default async function OperatorOverviewPage() {
  const caller = await api();
  const [overview, history] = await Promise.all([
    caller.operator.overview(),
    caller.operator.history(),
  ]);
  const lastMonth = history.months.at(-2);
  const growth =
    lastMonth && lastMonth.mrrCents > 0
      ? ((overview.mrrCents - lastMonth.mrrCents) / lastMonth.mrrCents) * 100
      : null;
  return (
    <div className="grid gap-6">
      <PageHeader title="Overview" description="Revenue, tenants, usage and the job queue." />
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Platform totals">
        <Stat
          label="Monthly recurring revenue"
          value={formatMoney(overview.mrrCents)}
          detail={
            growth === null || Math.abs(growth) < 0.05
              ? "flat fees, yearly plans as 1/12"
              : `${growth > 0 ? "+" : ""}${growth.toFixed(1)}% since last month`
          }
        />
        <Stat label="Organizations" value={formatCount(overview.organizations)} />
        <Stat
          label="Users"
          value={formatCount(overview.users.total)}
          detail={`+${overview.users.newLast30Days} in 30 days, ${overview.users.suspended} suspended`}
        />
        <Stat
          label="Failed jobs"
          value={
            <Link
              className="text-primary underline underline-offset-4 hover:decoration-2"
              href="/admin/jobs"
            >
              {overview.queue.failed}
            </Link>
          }
          detail={`${overview.queue.waiting} waiting · ${overview.queue.running} running`}
        />
      </dl>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Monthly recurring revenue</CardTitle>
            <CardDescription>At each month's end; this month so far.</CardDescription>
          </CardHeader>
          <CardContent>
            <MrrChart months={history.months} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>New vs churned</CardTitle>
            <CardDescription>Organizations created, paid subscriptions ended.</CardDescription>
          </CardHeader>
          <CardContent>
            <SignupsChart months={history.months} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Subscriptions by plan</CardTitle>
            <CardDescription>Live subscriptions and trials, now.</CardDescription>
          </CardHeader>
          <CardContent>
            <PlansChart plans={history.byPlan} />
          </CardContent>
        </Card>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="pb-0">
          <CardHeader>
            <CardTitle>Subscriptions</CardTitle>
          </CardHeader>
          <Table aria-label="Subscriptions by plan">
            <TableHeader>
              <TableRow>
                <TableHead className="pl-5">Plan</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="pr-5 text-right">Organizations</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {overview.subscriptions.map((row) => (
                <TableRow key={`${row.planKey}-${row.status}`}>
                  <TableCell className="pl-5">{row.planName}</TableCell>
                  <TableCell>{row.status.toLowerCase().replace("_", " ")}</TableCell>
                  <TableCell className="pr-5 text-right tabular-nums">{row.count}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
        <Card className="pb-0">
          <CardHeader>
            <CardTitle>Usage this month</CardTitle>
            <CardDescription>
              Queue: {overview.queue.scheduled} scheduled, oldest waiting{" "}
              {overview.queue.oldestWaitingSeconds} s.
            </CardDescription>
          </CardHeader>
          <Table aria-label="Usage this month">
            <TableHeader>
              <TableRow>
                <TableHead className="pl-5">Meter</TableHead>
                <TableHead className="pr-5 text-right">Units</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {Object.entries(overview.usageThisMonth).map(([meter, quantity]) => (
                <TableRow key={meter}>
                  <TableCell className="pl-5">{overview.meterLabels[meter] ?? meter}</TableCell>
                  <TableCell className="pr-5 text-right tabular-nums">
                    {formatCount(quantity)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      </div>
    </div>
  );
}
