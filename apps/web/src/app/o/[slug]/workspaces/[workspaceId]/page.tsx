import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cuid, urlParameter } from "@plinth/core/inputs";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { WorkspaceView } from "./workspace-view.tsx";

export const metadata: Metadata = { title: "Workspace" };

export default async function WorkspacePage({
  params,
}: {
  params: Promise<{ slug: string; workspaceId: string }>;
}) {
  requireModule("hosting");
  const { slug, workspaceId: raw } = await params;
  const workspaceId = urlParameter(cuid, raw);
  if (!workspaceId) notFound();
  const { organization, caller } = await requireOrganization(slug);
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
