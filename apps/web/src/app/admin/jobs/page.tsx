import type { Metadata } from "next";
import { Card, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatDateTime } from "@plinth/ui/lib/format";
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
import { api } from "~/server/trpc.ts";
import { RetryJobButton } from "./retry-job-button.tsx";

export const metadata: Metadata = { title: "Jobs" };

export default async function OperatorJobsPage() {
  const caller = await api();
  const [queue, failed] = await Promise.all([
    caller.operator.queue(),
    caller.operator.failedJobs({ limit: 200 }),
  ]);
  return (
    <div className="grid gap-6">
      <PageHeader title="Jobs" description="The background queue (graphile-worker)." />
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Queue">
        <Stat
          label="Waiting"
          value={queue.waiting}
          detail={`oldest ${queue.oldestWaitingSeconds} s`}
        />
        <Stat label="Running" value={queue.running} />
        <Stat label="Scheduled" value={queue.scheduled} />
        <Stat label="Failed" value={queue.failed} />
      </dl>
      <Card className="pb-0">
        <CardHeader>
          <CardTitle>Failed jobs</CardTitle>
          <CardDescription>
            Jobs that used up their attempts. Retry gives them a fresh set.
          </CardDescription>
        </CardHeader>
        <Table aria-label="Failed jobs">
          <TableHeader>
            <TableRow>
              <TableHead className="pl-5">Job</TableHead>
              <TableHead>Attempts</TableHead>
              <TableHead>Last error</TableHead>
              <TableHead>Failed</TableHead>
              <TableHead className="pr-5 text-right">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {failed.length === 0 ? (
              <TableEmpty colSpan={5}>No failed jobs.</TableEmpty>
            ) : (
              failed.map((job) => (
                <TableRow key={job.id} className="align-top">
                  <TableCell className="pl-5">
                    <code>{job.name}</code> <span className="text-muted-foreground">#{job.id}</span>
                    {job.queue ? (
                      <span className="text-muted-foreground"> · queue {job.queue}</span>
                    ) : null}
                  </TableCell>
                  <TableCell className="tabular-nums">
                    {job.attempts}/{job.maxAttempts}
                  </TableCell>
                  <TableCell className="max-w-md text-xs">
                    <code className="break-words">
                      {job.lastError?.split("\n")[0]?.slice(0, 300) ?? "—"}
                    </code>
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">
                    {formatDateTime(job.updatedAt)}
                  </TableCell>
                  <TableCell className="pr-5 text-right">
                    <RetryJobButton jobId={job.id} />
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
