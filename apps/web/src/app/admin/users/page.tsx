import type { Metadata } from "next";
import { Badge } from "@plinth/ui/badge";
import { Card } from "@plinth/ui/card";
import { formatDateTime } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
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
import { SearchForm, searchQuery } from "../search-form.tsx";
import { UserStatusButton } from "./user-status-button.tsx";

export const metadata: Metadata = { title: "Users" };

const STATUS_VARIANT = {
  ACTIVE: "success",
  SUSPENDED: "destructive",
  DELETED: "secondary",
} as const;

export default async function OperatorUsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = searchQuery(await searchParams);
  const users = await (await api()).operator.users({ query, limit: 100 });
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Users"
        description="Everyone with an account; suspending signs them out everywhere."
        actions={<SearchForm query={query} placeholder="Email or name" label="Search users" />}
      />
      <Card className="py-0">
        <Table aria-label="Users">
          <TableHeader>
            <TableRow>
              <TableHead>Email</TableHead>
              <TableHead>Name</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Created</TableHead>
              <TableHead className="text-right">Actions</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {users.length === 0 ? (
              <TableEmpty colSpan={6}>No user matches.</TableEmpty>
            ) : (
              users.map((user) => (
                <TableRow key={user.id}>
                  <TableCell className="font-medium">{user.email}</TableCell>
                  <TableCell>{user.name}</TableCell>
                  <TableCell>
                    {user.platformRole === "SUPER_ADMIN" ? (
                      <Badge variant="info">platform admin</Badge>
                    ) : (
                      "user"
                    )}
                  </TableCell>
                  <TableCell>
                    <Badge variant={STATUS_VARIANT[user.status]}>{user.status.toLowerCase()}</Badge>
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">
                    {formatDateTime(user.createdAt)}
                  </TableCell>
                  <TableCell className="text-right">
                    {user.status === "DELETED" ? null : (
                      <UserStatusButton userId={user.id} email={user.email} status={user.status} />
                    )}
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
