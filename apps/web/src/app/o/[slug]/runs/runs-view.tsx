"use client";
import { useState } from "react";
import { RunProgress } from "~/components/run-progress.tsx";
import { trpc } from "~/trpc/react.tsx";

export function RunsView({ organizationId }: { organizationId: string }) {
  const utils = trpc.useUtils();
  const runs = trpc.run.list.useQuery({ organizationId });
  const [selected, setSelected] = useState<string | null>(null);
  const start = trpc.run.start.useMutation({
    onSuccess: async (run) => {
      setSelected(run.id);
      await utils.run.list.invalidate({ organizationId });
    },
  });
  const current = selected ?? runs.data?.[0]?.id ?? null;
  return (
    <div className="stack">
      <div>
        <button
          type="button"
          className="ui-button"
          disabled={start.isPending}
          onClick={() => start.mutate({ organizationId, kind: "demo", steps: 10 })}
        >
          Start a demo run
        </button>
        {start.error ? <p className="run__error">{start.error.message}</p> : null}
      </div>
      {current ? (
        <RunProgress organizationId={organizationId} runId={current} />
      ) : (
        <p className="muted">No runs yet.</p>
      )}
      {runs.data && runs.data.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              <th>Progress</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <tr key={run.id} aria-selected={run.id === current}>
                <td>
                  <button
                    type="button"
                    className="ui-button ui-button--link"
                    onClick={() => setSelected(run.id)}
                  >
                    {run.kind} · {run.id.slice(-6)}
                  </button>
                </td>
                <td>{run.status.toLowerCase()}</td>
                <td>{run.progress}%</td>
                <td>{run.createdAt.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
