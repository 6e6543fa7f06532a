import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatDay } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@plinth/ui/table";
import { ExportOrganizationData } from "~/components/download-data.tsx";
import { requireOrganization } from "~/server/organization.ts";
import { RenameOrganization } from "./rename-organization.tsx";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { organization, caller } = await requireOrganization(slug);
  const members = await caller.organization.members({ organizationId: organization.id });
  const isAdmin = organization.role === "OWNER" || organization.role === "ADMIN";
  const base = `/o/${organization.slug}`;
  return (
    <div className="grid gap-6">
      <PageHeader title="Settings" description={`${organization.name}'s details and plan.`} />
      <Card>
        <CardHeader>
          <CardTitle>Organization</CardTitle>
          <CardDescription>
            Slug <code>{organization.slug}</code> (in every URL; it does not change).
          </CardDescription>
        </CardHeader>
        <CardContent>
          {isAdmin ? (
            <RenameOrganization organizationId={organization.id} name={organization.name} />
          ) : (
            <p className="text-sm">
              {organization.name}{" "}
              <span className="text-muted-foreground">(only admins can rename it)</span>
            </p>
          )}
        </CardContent>
      </Card>
      {isAdmin ? (
        <Card id="api-keys">
          <CardHeader>
            <CardTitle>API keys</CardTitle>
            <CardDescription>
              Keys for the public API (/api/v1) and internal apps: scopes, expiry, rotation.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Button asChild variant="outline">
              <Link href={`${base}/settings/api-keys`}>Manage API keys</Link>
            </Button>
          </CardContent>
        </Card>
      ) : null}
      {isAdmin ? (
        <Card id="webhooks">
          <CardHeader>
            <CardTitle>Webhooks</CardTitle>
            <CardDescription>
              Signed callbacks to your servers when things happen: endpoints, delivery log, replay.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Button asChild variant="outline">
              <Link href={`${base}/settings/webhooks`}>Manage webhooks</Link>
            </Button>
          </CardContent>
        </Card>
      ) : null}
      {isAdmin ? (
        <Card id="data">
          <CardHeader>
            <CardTitle>Export data</CardTitle>
            <CardDescription>
              Everything the organization holds, every module's part, as one JSON file (never a key,
              hash or secret). Each export is recorded in the audit log.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ExportOrganizationData organizationId={organization.id} slug={organization.slug} />
          </CardContent>
        </Card>
      ) : null}
      <Card id="plan">
        <CardHeader>
          <CardTitle>Plan</CardTitle>
          <CardDescription>
            Billing and plan changes are managed on the billing page.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-wrap items-center justify-between gap-3">
          <p className="flex items-center gap-2 text-sm">
            <strong>{organization.plan.name}</strong>
            <Badge variant="secondary">{organization.status.replace("_", " ")}</Badge>
          </p>
          <Button asChild variant="outline">
            <Link href={`${base}/billing`}>Go to billing</Link>
          </Button>
        </CardContent>
      </Card>
      <Card className="pb-0">
        <CardHeader>
          <CardTitle>Members</CardTitle>
          <CardDescription>
            Invite teammates, change roles and transfer ownership on the{" "}
            <Link
              className="text-primary underline underline-offset-4 hover:decoration-2"
              href={`${base}/members`}
            >
              members page
            </Link>
            .
          </CardDescription>
        </CardHeader>
        <Table aria-label="Members">
          <TableHeader>
            <TableRow>
              <TableHead className="pl-5">Name</TableHead>
              <TableHead>Email</TableHead>
              <TableHead>Role</TableHead>
              <TableHead className="pr-5">Joined</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.map((member) => (
              <TableRow key={member.id}>
                <TableCell className="pl-5">{member.user.name ?? "—"}</TableCell>
                <TableCell>{member.user.email}</TableCell>
                <TableCell>
                  <Badge variant="outline">{member.role.toLowerCase()}</Badge>
                </TableCell>
                <TableCell className="pr-5 text-muted-foreground">
                  {formatDay(member.createdAt)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
    </div>
  );
}
