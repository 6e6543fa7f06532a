import type { Metadata } from "next";
import Link from "next/link";
import { api } from "~/server/trpc.ts";
import { formatMoney } from "./format.ts";

export const metadata: Metadata = { title: "Overview" };

export default async function OperatorOverviewPage() {
  const overview = await (await api()).operator.overview();
  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Overview</h1>
      </div>
      <dl className="stats" aria-label="Platform totals">
        <div>
          <dt>Monthly recurring revenue</dt>
          <dd>{formatMoney(overview.mrrCents)}</dd>
        </div>
        <div>
          <dt>Organizations</dt>
          <dd>{overview.organizations}</dd>
        </div>
        <div>
          <dt>Users</dt>
          <dd>
            {overview.users.total}{" "}
            <span className="muted">
              (+{overview.users.newLast30Days} in 30 days, {overview.users.suspended} suspended)
            </span>
          </dd>
        </div>
        <div>
          <dt>Failed jobs</dt>
          <dd>
            <Link href="/admin/jobs">{overview.queue.failed}</Link>
          </dd>
        </div>
      </dl>
      <section className="stack">
        <h2>Subscriptions</h2>
        <table className="table" aria-label="Subscriptions by plan">
          <thead>
            <tr>
              <th>Plan</th>
              <th>Status</th>
              <th>Organizations</th>
            </tr>
          </thead>
          <tbody>
            {overview.subscriptions.map((row) => (
              <tr key={`${row.planKey}-${row.status}`}>
                <td>{row.planName}</td>
                <td>{row.status.toLowerCase().replace("_", " ")}</td>
                <td>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="stack">
        <h2>Usage this month</h2>
        <table className="table" aria-label="Usage this month">
          <thead>
            <tr>
              <th>Meter</th>
              <th>Units</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(overview.usageThisMonth).map(([meter, quantity]) => (
              <tr key={meter}>
                <td>
                  <code>{meter}</code>
                </td>
                <td>{quantity.toLocaleString("en-US")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="stack">
        <h2>Queue</h2>
        <p className="muted">
          {overview.queue.waiting} waiting · {overview.queue.running} running ·{" "}
          {overview.queue.scheduled} scheduled · oldest waiting{" "}
          {overview.queue.oldestWaitingSeconds} s
        </p>
      </section>
    </div>
  );
}
