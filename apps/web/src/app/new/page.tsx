import { redirect } from "next/navigation";
import { CreateOrganization } from "~/components/create-organization.tsx";
import { getSessionUser } from "~/server/session.ts";

export default async function NewOrganizationPage() {
  if (!(await getSessionUser())) redirect("/sign-in?callbackUrl=/new");
  return (
    <main className="auth-page">
      <div className="card">
        <h1>New organization</h1>
        <CreateOrganization />
      </div>
    </main>
  );
}
