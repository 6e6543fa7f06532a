import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader } from "@plinth/ui/card";
import { CenteredPage } from "@plinth/ui/centered-page";
import { CreateOrganization } from "~/components/create-organization.tsx";
import { getSessionUser } from "~/server/session.ts";
import { api } from "~/server/trpc.ts";

export default async function HomePage() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  const organizations = await (await api()).organization.list();
  const first = organizations[0];
  if (first) redirect(`/o/${first.slug}`);
  if (user.platformRole === "SUPER_ADMIN") redirect("/admin");
  return (
    <CenteredPage>
      <Card>
        <CardHeader>
          <h1 className="text-xl font-semibold tracking-tight">Create your organization</h1>
          <CardDescription>You are not a member of any organization yet.</CardDescription>
        </CardHeader>
        <CardContent>
          <CreateOrganization />
        </CardContent>
      </Card>
    </CenteredPage>
  );
}
