import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader } from "@plinth/ui/card";
import { CenteredPage } from "@plinth/ui/centered-page";
import { CreateOrganization } from "~/components/create-organization.tsx";
import { getSessionUser } from "~/server/session.ts";

export const metadata: Metadata = { title: "New organization" };

export default async function NewOrganizationPage() {
  if (!(await getSessionUser())) redirect("/sign-in?callbackUrl=/new");
  return (
    <CenteredPage>
      <Card>
        <CardHeader>
          <h1 className="text-xl font-semibold tracking-tight">New organization</h1>
          <CardDescription>It starts on a 14-day trial; you become its owner.</CardDescription>
        </CardHeader>
        <CardContent>
          <CreateOrganization />
        </CardContent>
      </Card>
    </CenteredPage>
  );
}
