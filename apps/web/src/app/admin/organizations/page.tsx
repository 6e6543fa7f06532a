import type { Metadata } from "next";
import { api } from "~/server/trpc.ts";
import { formatDateTime } from "../format.ts";
import { SearchForm, searchQuery } from "../search-form.tsx";

export const metadata: Metadata = { title: "Organizations" };

export default async function OperatorOrganizationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = searchQuery(await searchParams);
  const { columns, organizations } = await (
    await api()
  ).operator.organizations({ query, limit: 100 });
  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Organizations</h1>
        <SearchForm query={query} placeholder="Name or slug" label="Search organizations" />
      </div>
      <table className="table" aria-label="Organizations">
        <thead>
          <tr>
            <th>Name</th>
            <th>Plan</th>
            <th>Status</th>
            <th>Members</th>
            {columns.map((column) => (
              <th key={column.key}>{column.label}</th>
            ))}
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {organizations.map((org) => (
            <tr key={org.id}>
              <td>
                {org.name} <code className="muted">{org.slug}</code>
              </td>
              <td>{org.subscription?.planKey ?? "trial"}</td>
              <td>
                {(org.subscription?.status ?? "TRIALING").toLowerCase().replace("_", " ")}
                {org.subscription?.cancelAtPeriodEnd ? " (cancels at period end)" : ""}
              </td>
              <td>{org.members}</td>
              {columns.map((column) => (
                <td key={column.key}>{org.counts[column.key] ?? 0}</td>
              ))}
              <td className="nowrap">{formatDateTime(org.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
