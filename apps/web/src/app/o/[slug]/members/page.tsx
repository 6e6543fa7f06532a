import type { Metadata } from "next";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { MembersView } from "./members-view.tsx";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  requireModule("teams");
  const { slug } = await params;
  const { user, organization, caller } = await requireOrganization(slug);
  const isAdmin = organization.role === "OWNER" || organization.role === "ADMIN";
  const [members, invitations] = await Promise.all([
    caller.organization.members({ organizationId: organization.id }),
    isAdmin ? caller.invitation.list({ organizationId: organization.id }) : Promise.resolve([]),
  ]);
  return (
    <MembersView
      organizationId={organization.id}
      slug={organization.slug}
      planName={organization.plan.name}
      viewerId={user.id}
      viewerRole={organization.role}
      seats={organization.limits.seats ?? null}
      initialMembers={members}
      initialInvitations={invitations}
    />
  );
}
