"use client";
// A run users can watch: status, a progress bar and the latest log lines, polled every second
// while the run is queued or running, with a cancel button the worker honours at its next
// checkpoint.
import { trpc } from "~/trpc/react.tsx";

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

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
  if (run.isLoading) return <p className="muted">Loading run…</p>;
  if (!run.data) return <p className="muted">Run not found.</p>;
  const { status, progress, logs, error, cancelRequestedAt } = run.data;
  return (
    <section className="run" aria-label={`Run ${runId}`} data-status={status}>
      <header className="run__header">
        <strong>{run.data.kind}</strong>
        <span className={`run__status run__status--${status.toLowerCase()}`}>
          {status.toLowerCase()}
        </span>
        {ACTIVE.has(status) ? (
          <button
            type="button"
            className="ui-button ui-button--secondary ui-button--sm"
            disabled={cancel.isPending || cancelRequestedAt !== null}
            onClick={() => cancel.mutate({ organizationId, runId })}
          >
            {cancelRequestedAt ? "Canceling…" : "Cancel"}
          </button>
        ) : null}
      </header>
      <progress className="run__progress" max={100} value={progress} aria-label="Progress">
        {progress}%
      </progress>
      <span className="muted">{progress}%</span>
      {error ? <p className="run__error">{error}</p> : null}
      <ol className="run__logs">
        {logs.map((line) => (
          <li key={line.id} className={`run__log run__log--${line.level}`}>
            <time dateTime={new Date(line.createdAt).toISOString()}>
              {new Date(line.createdAt).toLocaleTimeString()}
            </time>{" "}
            {line.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
