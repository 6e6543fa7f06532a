import type { Metadata } from "next";
import type { ReactNode } from "react";
import { StateBadge } from "@plinth/hosting/pages";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatCount, formatDateTime } from "@plinth/ui/lib/format";
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
import { requireModule } from "~/server/modules.ts";
import { api } from "~/server/trpc.ts";
import { RunDurationChart, RunOutcomesChart } from "./hosting-charts.tsx";
import { RetryRunButton } from "./retry-run-button.tsx";

export const metadata: Metadata = { title: "Hosting" };

const IN_PROGRESS = ["REQUESTED", "PROVISIONING", "UPDATING", "DESTROYING"];
const percent = (rate: number | null) => (rate === null ? "—" : `${(rate * 100).toFixed(1)}%`);

function CountTable({
  label,
  rows,
  empty,
}: {
  label: string;
  rows: { key: string; name: ReactNode; count: number }[];
  empty: string;
}) {
  return (
    <Table aria-label={label}>
      <TableBody>
        {rows.length === 0 ? (
          <TableEmpty colSpan={2}>{empty}</TableEmpty>
        ) : (
          rows.map((row) => (
            <TableRow key={row.key}>
              <TableCell className="pl-5">{row.name}</TableCell>
              <TableCell className="pr-5 text-right tabular-nums">
                {formatCount(row.count)}
              </TableCell>
            </TableRow>
          ))
        )}
      </TableBody>
    </Table>
  );
}

export default async function OperatorHostingPage() {
  requireModule("hosting");
  const caller = await api();
  const [overview, provisioning, failed] = await Promise.all([
    caller.hostingOps.overview(),
    caller.hostingOps.provisioning(),
    caller.hostingOps.failedRuns({ limit: 50 }),
  ]);
  const countOf = (states: string[]) =>
    overview.byState.reduce((sum, row) => sum + (states.includes(row.state) ? row.count : 0), 0);
  const { totals } = provisioning;
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Hosting"
        description="Workspaces of every organization, their provisioning runs over the last 30 days and the runs that failed."
      />
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Hosting totals">
        <Stat
          label="Workspaces"
          value={formatCount(overview.live)}
          detail={`${countOf(["READY"])} ready · ${countOf(["SUSPENDED"])} suspended`}
        />
        <Stat label="Runs in progress" value={formatCount(countOf(IN_PROGRESS))} />
        <Stat label="Failed workspaces" value={formatCount(countOf(["FAILED"]))} />
        <Stat
          label="Success rate, 30 days"
          value={percent(totals.successRate)}
          detail={`${totals.succeeded} succeeded · ${totals.failed} failed`}
        />
      </dl>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="pb-0">
          <CardHeader>
            <CardTitle>By state</CardTitle>
            <CardDescription>Destroyed ones included.</CardDescription>
          </CardHeader>
          <CountTable
            label="Workspaces by state"
            empty="No workspaces yet."
            rows={overview.byState
              .filter((row) => row.count > 0)
              .map((row) => ({
                key: row.state,
                name: <StateBadge state={row.state} />,
                count: row.count,
              }))}
          />
        </Card>
        <Card className="pb-0">
          <CardHeader>
            <CardTitle>By app</CardTitle>
            <CardDescription>Not destroyed.</CardDescription>
          </CardHeader>
          <CountTable
            label="Workspaces by app"
            empty="No live workspaces."
            rows={overview.byApp.map((row) => ({ key: row.app, name: row.name, count: row.count }))}
          />
        </Card>
        <Card className="pb-0">
          <CardHeader>
            <CardTitle>By provider</CardTitle>
            <CardDescription>Not destroyed.</CardDescription>
          </CardHeader>
          <CountTable
            label="Workspaces by provider"
            empty="No live workspaces."
            rows={overview.byProvider.map((row) => ({
              key: row.provider,
              name: <code>{row.provider}</code>,
              count: row.count,
            }))}
          />
        </Card>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Runs per day</CardTitle>
            <CardDescription>
              Provision, update and destroy runs by the UTC day they finished.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <RunOutcomesChart days={provisioning.days} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Run duration</CardTitle>
            <CardDescription>
              Request to outcome of the succeeded runs, p50 and p95 per day.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <RunDurationChart days={provisioning.days} />
          </CardContent>
        </Card>
      </div>
      <Card className="pb-0">
        <CardHeader>
          <CardTitle>Failed runs</CardTitle>
          <CardDescription>
            The newest first. Retry runs a failed workspace&apos;s operation again (its latest run
            only, when no other run holds it).
          </CardDescription>
        </CardHeader>
        <Table aria-label="Failed runs">
          <TableHeader>
            <TableRow>
              <TableHead className="pl-5">Workspace</TableHead>
              <TableHead>Organization</TableHead>
              <TableHead>Operation</TableHead>
              <TableHead>Step</TableHead>
              <TableHead>Error</TableHead>
              <TableHead>Failed</TableHead>
              <TableHead className="pr-5 text-right">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {failed.length === 0 ? (
              <TableEmpty colSpan={7}>No failed runs.</TableEmpty>
            ) : (
              failed.map((row) => (
                <TableRow key={row.id} className="align-top">
                  <TableCell className="pl-5">
                    <div className="font-medium">{row.workspace.name}</div>
                    <div className="text-xs text-muted-foreground">
                      {row.workspace.app} · <StateBadge state={row.workspace.state} />
                    </div>
                  </TableCell>
                  <TableCell>
                    {row.organization.name}
                    <div className="text-xs text-muted-foreground">{row.organization.slug}</div>
                  </TableCell>
                  <TableCell>{row.action.toLowerCase()}</TableCell>
                  <TableCell>
                    <code>{row.failedStep ?? "—"}</code>
                  </TableCell>
                  <TableCell className="max-w-md text-xs">
                    <code className="break-words">{row.error ?? "—"}</code>
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">
                    {formatDateTime(row.failedAt)}
                  </TableCell>
                  <TableCell className="pr-5 text-right">
                    {row.retryable ? (
                      <RetryRunButton
                        workspaceId={row.workspace.id}
                        workspaceName={row.workspace.name}
                        organizationName={row.organization.name}
                        action={row.action}
                      />
                    ) : null}
                  </TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </Card>
    </div>
  );
}
