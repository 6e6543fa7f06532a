import type { Metadata } from "next";
import { api } from "~/server/trpc.ts";
import { formatDateTime } from "../format.ts";
import { RetryJobButton } from "./retry-job-button.tsx";

export const metadata: Metadata = { title: "Jobs" };

export default async function OperatorJobsPage() {
  const caller = await api();
  const [queue, failed] = await Promise.all([
    caller.operator.queue(),
    caller.operator.failedJobs({ limit: 200 }),
  ]);
  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Jobs</h1>
      </div>
      <p className="muted">
        {queue.waiting} waiting · {queue.running} running · {queue.scheduled} scheduled ·{" "}
        {queue.failed} failed · oldest waiting {queue.oldestWaitingSeconds} s
      </p>
      <section className="stack">
        <h2>Failed jobs</h2>
        {failed.length === 0 ? (
          <p className="empty">No failed jobs.</p>
        ) : (
          <table className="table" aria-label="Failed jobs">
            <thead>
              <tr>
                <th>Job</th>
                <th>Attempts</th>
                <th>Last error</th>
                <th>Failed</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {failed.map((job) => (
                <tr key={job.id}>
                  <td>
                    <code>{job.name}</code> <span className="muted">#{job.id}</span>
                    {job.queue ? <span className="muted"> · queue {job.queue}</span> : null}
                  </td>
                  <td>
                    {job.attempts}/{job.maxAttempts}
                  </td>
                  <td className="changes">
                    <code>{job.lastError?.split("\n")[0]?.slice(0, 300) ?? "—"}</code>
                  </td>
                  <td className="nowrap">{formatDateTime(job.updatedAt)}</td>
                  <td>
                    <RetryJobButton jobId={job.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
