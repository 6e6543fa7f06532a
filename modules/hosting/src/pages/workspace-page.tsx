// One workspace (route /o/[slug]/workspaces/[workspaceId]): 404 for a malformed id or one the
// organization does not have; then the client view (size, retry, destroy, domains).
import { notFound } from "next/navigation";
import { cuid, urlParameter } from "@plinth/core/inputs";
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { HostingCaller } from "../trpc.ts";
import { WorkspaceView } from "./workspace-view.tsx";

export async function WorkspacePage({
  organization,
  caller,
  params,
}: ModulePageProps<HostingCaller, "workspaceId">) {
  const workspaceId = urlParameter(cuid, params.workspaceId);
  if (!workspaceId) notFound();
  const workspace = await caller.workspace
    .get({ organizationId: organization.id, workspaceId })
    .catch(() => null);
  if (!workspace) notFound();
  return (
    <WorkspaceView
      organizationId={organization.id}
      slug={organization.slug}
      planName={organization.plan.name}
      canRetry={organization.role === "OWNER" || organization.role === "ADMIN"}
      initial={workspace}
    />
  );
}
