import type { Metadata } from "next";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { WorkspacesView } from "./workspaces-view.tsx";

export const metadata: Metadata = { title: "Workspaces" };

export default async function WorkspacesPage({ params }: { params: Promise<{ slug: string }> }) {
  requireModule("hosting");
  const { slug } = await params;
  const { organization, caller } = await requireOrganization(slug);
  const workspaces = await caller.workspace.list({
    organizationId: organization.id,
    includeDestroyed: true,
  });
  return (
    <WorkspacesView
      organizationId={organization.id}
      slug={organization.slug}
      planName={organization.plan.name}
      initial={workspaces}
    />
  );
}
