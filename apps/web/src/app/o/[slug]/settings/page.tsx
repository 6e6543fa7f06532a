import type { Metadata } from "next";
import Link from "next/link";
import { requireOrganization } from "~/server/organization.ts";
import { RenameOrganization } from "./rename-organization.tsx";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { organization, caller } = await requireOrganization(slug);
  const members = await caller.organization.members({ organizationId: organization.id });
  const isAdmin = organization.role === "OWNER" || organization.role === "ADMIN";
  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <section className="card card--flat stack">
        <h2>Organization</h2>
        {isAdmin ? (
          <RenameOrganization organizationId={organization.id} name={organization.name} />
        ) : (
          <p>
            {organization.name} <span className="muted">(only admins can rename it)</span>
          </p>
        )}
        <p className="muted">
          Slug: <code>{organization.slug}</code>
        </p>
      </section>
      <section className="card card--flat stack" id="plan">
        <h2>Plan</h2>
        <p>
          <strong>{organization.plan.name}</strong>{" "}
          <span className="muted">({organization.status.replace("_", " ")})</span>
        </p>
        <p className="muted">
          Billing and plan changes are managed on the{" "}
          <a href={`/o/${organization.slug}/billing`}>billing page</a>.
        </p>
      </section>
      <section className="card card--flat stack">
        <h2>Members</h2>
        <p className="muted">
          Invite teammates, change roles and transfer ownership on the{" "}
          <Link href={`/o/${organization.slug}/members`}>members page</Link>.
        </p>
        <table className="table" aria-label="Members">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Joined</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.id}>
                <td>{member.user.name ?? "—"}</td>
                <td>{member.user.email}</td>
                <td>
                  <span className="badge">{member.role.toLowerCase()}</span>
                </td>
                <td>{member.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
