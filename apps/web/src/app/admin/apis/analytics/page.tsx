import type { Metadata } from "next";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatCount, formatMoney } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
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
import { formatMicroCents } from "@plinth/api-catalog/format";
import { requireModule } from "~/server/modules.ts";
import { api } from "~/server/trpc.ts";
import { RevenueCsvButton } from "./csv-button.tsx";
import { RevenueChart } from "./revenue-chart.tsx";

export const metadata: Metadata = { title: "API analytics" };
const MONTHS = 12;

export default async function OperatorApiAnalyticsPage() {
  requireModule("api-catalog");
  const caller = await api();
  const analytics = await caller.apiCatalog.analytics({ months: MONTHS });
  const current = analytics.months.at(-1);
  const calls = analytics.endpoints.reduce((sum, row) => sum + row.calls, 0);
  const errors = analytics.endpoints.reduce((sum, row) => sum + row.errors, 0);
  return (
    <div className="grid gap-6">
      <PageHeader
        title="API analytics"
        description="Revenue from subscriptions and metered usage (list prices, from the usage rollups), top organizations and endpoints over the last 30 days."
        actions={<RevenueCsvButton months={MONTHS} />}
      />
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="This month">
        <Stat label="MRR" value={formatMoney(current?.mrrCents ?? 0)} />
        <Stat label="Metered this month" value={formatMoney(current?.meteredCents ?? 0)} />
        <Stat label="Calls, 30 days" value={formatCount(calls)} />
        <Stat
          label="5xx rate, 30 days"
          value={`${calls ? ((errors / calls) * 100).toFixed(2) : "0.00"}%`}
        />
      </dl>
      <Card>
        <CardHeader>
          <CardTitle>Revenue over time</CardTitle>
        </CardHeader>
        <CardContent>
          <RevenueChart months={analytics.months} />
        </CardContent>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Top organizations</CardTitle>
            <CardDescription>By cost at list prices, last 30 days</CardDescription>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Organization</TableHead>
                  <TableHead className="text-right">Calls</TableHead>
                  <TableHead className="text-right">Revenue</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {analytics.topOrganizations.length === 0 ? (
                  <TableEmpty colSpan={3}>No usage yet.</TableEmpty>
                ) : (
                  analytics.topOrganizations.map((row) => (
                    <TableRow key={row.organizationId}>
                      <TableCell>{row.name}</TableCell>
                      <TableCell className="text-right">{formatCount(row.calls)}</TableCell>
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
            <CardTitle>Endpoints</CardTitle>
            <CardDescription>
              Calls, revenue, errors (5xx) and refusals (4xx: limits, quotas, bad input)
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Endpoint</TableHead>
                  <TableHead className="text-right">Calls</TableHead>
                  <TableHead className="text-right">Revenue</TableHead>
                  <TableHead className="text-right">5xx</TableHead>
                  <TableHead className="text-right">4xx</TableHead>
                  <TableHead className="text-right">p95</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {analytics.endpoints.length === 0 ? (
                  <TableEmpty colSpan={6}>No calls yet.</TableEmpty>
                ) : (
                  analytics.endpoints.slice(0, 20).map((row) => (
                    <TableRow key={`${row.method} ${row.route}`}>
                      <TableCell className="font-mono text-xs">
                        {row.method} {row.route}
                      </TableCell>
                      <TableCell className="text-right">{formatCount(row.calls)}</TableCell>
                      <TableCell className="text-right">
                        {formatMicroCents(row.costMicroCents)}
                      </TableCell>
                      <TableCell className="text-right">
                        {(row.errorRate * 100).toFixed(1)}%
                      </TableCell>
                      <TableCell className="text-right">
                        {(row.refusalRate * 100).toFixed(1)}%
                      </TableCell>
                      <TableCell className="text-right">
                        {row.p95Ms === null ? "—" : `${row.p95Ms.toFixed(0)} ms`}
                      </TableCell>
                    </TableRow>
                  ))
                )}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
