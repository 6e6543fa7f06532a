import { redirect } from "next/navigation";
import { getSessionUser } from "~/server/session.ts";
import { api } from "~/server/trpc.ts";
import { CreateOrganization } from "~/components/create-organization.tsx";

export default async function HomePage() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  const organizations = await (await api()).organization.list();
  const first = organizations[0];
  if (first) redirect(`/o/${first.slug}`);
  if (user.platformRole === "SUPER_ADMIN") redirect("/admin");
  return (
    <main className="auth-page">
      <div className="card">
        <h1>Create your organization</h1>
        <p className="muted">You are not a member of any organization yet.</p>
        <CreateOrganization />
      </div>
    </main>
  );
}
