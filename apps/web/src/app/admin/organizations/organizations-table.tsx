"use client";
import Link from "next/link";
import type { RouterOutputs } from "@plinth/product/trpc";
import { Badge } from "@plinth/ui/badge";
import { Card } from "@plinth/ui/card";
import { formatDateTime } from "@plinth/ui/lib/format";
import { usePagedRows, useSortedRows, type SortValue } from "@plinth/ui/lib/sorting";
import { ClientPagination } from "@plinth/ui/pagination";
import {
  SortableHead,
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";

type Search = RouterOutputs["operator"]["organizations"];
type Organization = Search["organizations"][number];

const STATUS_VARIANT: Record<string, "success" | "info" | "warning" | "secondary"> = {
  ACTIVE: "success",
  TRIALING: "info",
  PAST_DUE: "warning",
};

/** The counted columns (one per limit of the enabled modules, e.g. projects) come with the data. */
export function OrganizationsTable({
  columns,
  organizations,
}: {
  columns: Search["columns"];
  organizations: Organization[];
}) {
  const sortBy: Record<string, (o: Organization) => SortValue> = {
    name: (o) => o.name,
    plan: (o) => o.subscription?.planKey ?? "trial",
    members: (o) => o.members,
    ...Object.fromEntries(
      columns.map((column) => [column.key, (o: Organization) => o.counts[column.key] ?? 0]),
    ),
    created: (o) => o.createdAt,
  };
  const sorted = useSortedRows(organizations, sortBy, { key: "created", direction: "desc" });
  const paged = usePagedRows(sorted.rows, 25);
  return (
    <div className="grid gap-3">
      <Card className="py-0">
        <Table aria-label="Organizations">
          <TableHeader>
            <TableRow>
              <SortableHead {...sorted.headProps("name")}>Name</SortableHead>
              <SortableHead {...sorted.headProps("plan")}>Plan</SortableHead>
              <TableHead>Status</TableHead>
              <SortableHead {...sorted.headProps("members")}>Members</SortableHead>
              {columns.map((column) => (
                <SortableHead key={column.key} {...sorted.headProps(column.key)}>
                  {column.label}
                </SortableHead>
              ))}
              <SortableHead {...sorted.headProps("created")}>Created</SortableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {paged.rows.length === 0 ? (
              <TableEmpty colSpan={5 + columns.length}>No organization matches.</TableEmpty>
            ) : (
              paged.rows.map((org) => {
                const status = org.subscription?.status ?? "TRIALING";
                return (
                  <TableRow key={org.id}>
                    <TableCell>
                      <Link
                        href={`/admin/organizations/${org.id}`}
                        className="font-medium underline-offset-4 hover:underline"
                      >
                        {org.name}
                      </Link>{" "}
                      <code className="text-muted-foreground">{org.slug}</code>
                    </TableCell>
                    <TableCell>{org.subscription?.planKey ?? "trial"}</TableCell>
                    <TableCell>
                      <Badge variant={STATUS_VARIANT[status] ?? "secondary"}>
                        {status.toLowerCase().replace("_", " ")}
                      </Badge>
                      {org.subscription?.cancelAtPeriodEnd ? (
                        <span className="ml-2 text-xs text-muted-foreground">
                          cancels at period end
                        </span>
                      ) : null}
                    </TableCell>
                    <TableCell className="tabular-nums">{org.members}</TableCell>
                    {columns.map((column) => (
                      <TableCell key={column.key} className="tabular-nums">
                        {org.counts[column.key] ?? 0}
                      </TableCell>
                    ))}
                    <TableCell className="whitespace-nowrap text-muted-foreground">
                      {formatDateTime(org.createdAt)}
                    </TableCell>
                  </TableRow>
                );
              })
            )}
          </TableBody>
        </Table>
      </Card>
      <ClientPagination
        page={paged.page}
        pageCount={paged.pageCount}
        onPageChange={paged.setPage}
      />
    </div>
  );
}
