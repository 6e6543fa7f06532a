"use client";
import { Activity, Play } from "lucide-react";
import { useState } from "react";
import type { RouterOutputs } from "@plinth/product/trpc";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card } from "@plinth/ui/card";
import { EmptyState } from "@plinth/ui/empty-state";
import { formatDateTime } from "@plinth/ui/lib/format";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@plinth/ui/table";
import { RunProgress, RUN_STATUS } from "~/components/run-progress.tsx";
import { reportError } from "@plinth/web-kit/feedback";
import { trpc } from "~/trpc/react.tsx";

type Run = RouterOutputs["run"]["list"][number];

export function RunsView({
  organizationId,
  initialRuns,
}: {
  organizationId: string;
  initialRuns: Run[];
}) {
  const utils = trpc.useUtils();
  const runs = trpc.run.list.useQuery({ organizationId }, { initialData: initialRuns });
  const [selected, setSelected] = useState<string | null>(null);
  const start = trpc.run.start.useMutation({
    onSuccess: async (run) => {
      setSelected(run.id);
      await utils.run.list.invalidate({ organizationId });
    },
    onError: (error) => reportError(error),
  });
  const rows = runs.data ?? [];
  const current = selected ?? rows[0]?.id ?? null;
  return (
    <div className="grid gap-6">
      <div>
        <Button
          loading={start.isPending}
          onClick={() => start.mutate({ organizationId, kind: "demo", steps: 10 })}
        >
          <Play aria-hidden="true" /> Start a demo run
        </Button>
      </div>
      {current ? (
        <RunProgress organizationId={organizationId} runId={current} />
      ) : (
        <EmptyState icon={<Activity aria-hidden="true" />} title="No runs yet">
          Start a demo run to watch the worker report progress.
        </EmptyState>
      )}
      {rows.length > 0 ? (
        <Card className="py-0">
          <Table aria-label="Runs">
            <TableHeader>
              <TableRow>
                <TableHead>Run</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Progress</TableHead>
                <TableHead>Started</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((run) => {
                const status = RUN_STATUS[run.status];
                return (
                  <TableRow key={run.id} data-state={run.id === current ? "selected" : undefined}>
                    <TableCell>
                      <Button
                        variant="link"
                        aria-current={run.id === current ? "true" : undefined}
                        onClick={() => setSelected(run.id)}
                      >
                        {run.kind} · {run.id.slice(-6)}
                      </Button>
                    </TableCell>
                    <TableCell>
                      <Badge variant={status.variant}>{status.label}</Badge>
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{run.progress}%</TableCell>
                    <TableCell className="whitespace-nowrap text-muted-foreground">
                      {formatDateTime(run.createdAt)}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </Card>
      ) : null}
    </div>
  );
}
