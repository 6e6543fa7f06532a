// The workspaces page (route /o/[slug]/workspaces, a one-line file in apps/web): the
// organization's workspaces (destroyed ones too) read on the server, then the client view
// (request form with its price preview, the list).
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { HostingCaller } from "../trpc.ts";
import { WorkspacesView } from "./workspaces-view.tsx";

export async function WorkspacesPage({ organization, caller }: ModulePageProps<HostingCaller>) {
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
