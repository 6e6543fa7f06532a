// The members page (route /o/[slug]/members, a one-line file in apps/web): members and, for
// admins, pending invitations, read on the server; then the client view (roles, removal,
// ownership transfer, leaving, inviting).
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { TeamsCaller } from "../trpc.ts";
import { MembersView } from "./members-view.tsx";

export async function MembersPage({ organization, viewer, caller }: ModulePageProps<TeamsCaller>) {
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
      viewerId={viewer.id}
      viewerRole={organization.role}
      seats={organization.limits.seats ?? null}
      initialMembers={members}
      initialInvitations={invitations}
    />
  );
}
