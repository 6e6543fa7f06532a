import type { Metadata } from "next";
import { PageHeader } from "@plinth/ui/page-header";
import { api } from "~/server/trpc.ts";
import { SearchForm, searchQuery } from "../search-form.tsx";
import { OrganizationsTable } from "./organizations-table.tsx";

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
    <div className="grid gap-6">
      <PageHeader
        title="Organizations"
        description="Every tenant, newest first."
        actions={
          <SearchForm query={query} placeholder="Name or slug" label="Search organizations" />
        }
      />
      <OrganizationsTable columns={columns} organizations={organizations} />
    </div>
  );
}
