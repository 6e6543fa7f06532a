"use client";
// A run users can watch: status, a progress bar and the latest log lines, polled every second
// while the run is queued or running, with a cancel button the worker honours at its next
// checkpoint.
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardAction, CardContent, CardHeader, CardTitle } from "@plinth/ui/card";
import { Progress } from "@plinth/ui/progress";
import { Skeleton } from "@plinth/ui/skeleton";
import { trpc } from "~/trpc/react.tsx";

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

export const RUN_STATUS = {
  QUEUED: { label: "queued", variant: "secondary" },
  RUNNING: { label: "running", variant: "info" },
  SUCCEEDED: { label: "succeeded", variant: "success" },
  FAILED: { label: "failed", variant: "destructive" },
  CANCELED: { label: "canceled", variant: "warning" },
} as const;

export function RunProgress({ organizationId, runId }: { organizationId: string; runId: string }) {
  const utils = trpc.useUtils();
  const run = trpc.run.get.useQuery(
    { organizationId, runId, logLimit: 20 },
    {
      refetchInterval: (query) =>
        query.state.data && !ACTIVE.has(query.state.data.status) ? false : 1000,
    },
  );
  const cancel = trpc.run.cancel.useMutation({
    onSuccess: () => utils.run.get.invalidate({ organizationId, runId }),
  });
  if (run.isLoading) return <Skeleton className="h-40 w-full rounded-xl" />;
  if (!run.data) return <p className="text-sm text-muted-foreground">Run not found.</p>;
  const { status, progress, logs, error, cancelRequestedAt } = run.data;
  const badge = RUN_STATUS[status];
  return (
    <Card aria-label={`Run ${runId}`} data-status={status}>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          {run.data.kind} <Badge variant={badge.variant}>{badge.label}</Badge>
        </CardTitle>
        {ACTIVE.has(status) ? (
          <CardAction>
            <Button
              variant="outline"
              size="sm"
              disabled={cancel.isPending || cancelRequestedAt !== null}
              onClick={() => cancel.mutate({ organizationId, runId })}
            >
              {cancelRequestedAt ? "Canceling…" : "Cancel"}
            </Button>
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-3">
        <div className="flex items-center gap-3">
          <Progress value={progress} aria-label="Progress" />
          <span className="w-10 text-right text-sm tabular-nums text-muted-foreground">
            {progress}%
          </span>
        </div>
        {error ? <p className="text-sm text-destructive">{error}</p> : null}
        <ol className="max-h-56 overflow-auto rounded-md bg-muted p-3 font-mono text-xs">
          {logs.map((line) => (
            <li key={line.id} className="flex gap-2">
              <time
                className="text-muted-foreground"
                dateTime={new Date(line.createdAt).toISOString()}
              >
                {new Date(line.createdAt).toISOString().slice(11, 19)}
              </time>
              <span className={line.level === "error" ? "text-destructive" : undefined}>
                {line.message}
              </span>
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}
