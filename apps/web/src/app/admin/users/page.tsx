import type { Metadata } from "next";
import { api } from "~/server/trpc.ts";
import { formatDateTime } from "../format.ts";
import { SearchForm, searchQuery } from "../search-form.tsx";
import { UserStatusButton } from "./user-status-button.tsx";

export const metadata: Metadata = { title: "Users" };

export default async function OperatorUsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = searchQuery(await searchParams);
  const users = await (await api()).operator.users({ query, limit: 100 });
  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Users</h1>
        <SearchForm query={query} placeholder="Email or name" label="Search users" />
      </div>
      <table className="table" aria-label="Users">
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Role</th>
            <th>Status</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <td>{user.email}</td>
              <td>{user.name}</td>
              <td>{user.platformRole === "SUPER_ADMIN" ? "platform admin" : "user"}</td>
              <td>{user.status.toLowerCase()}</td>
              <td className="nowrap">{formatDateTime(user.createdAt)}</td>
              <td>
                {user.status === "DELETED" ? null : (
                  <UserStatusButton userId={user.id} email={user.email} status={user.status} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
