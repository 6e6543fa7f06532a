import type { Metadata } from "next";
import { api } from "~/server/trpc.ts";
import { formatDateTime } from "../format.ts";
import { UserStatusButton } from "./user-status-button.tsx";

export const metadata: Metadata = { title: "Users" };

export default async function OperatorUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { q } = await searchParams;
  const query = typeof q === "string" ? q.slice(0, 100) : undefined;
  const users = await (await api()).operator.users({ query, limit: 100 });
  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Users</h1>
        <form role="search" className="inline-form inline-form--tight">
          <input className="ui-input" type="search" name="q" defaultValue={query} placeholder="Email or name" aria-label="Search users" />
          <button type="submit" className="ui-button ui-button--secondary">
            Search
          </button>
        </form>
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
              <td>{user.status === "DELETED" ? null : <UserStatusButton userId={user.id} email={user.email} status={user.status} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
