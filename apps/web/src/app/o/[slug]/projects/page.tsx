import type { Metadata } from "next";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { ProjectsView } from "./projects-view.tsx";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  requireModule("projects");
  const { slug } = await params;
  const { project } = await searchParams;
  const { organization, caller } = await requireOrganization(slug);
  const initialProjects = await caller.project.list({
    organizationId: organization.id,
    status: "ALL",
  });
  return (
    <ProjectsView
      organizationId={organization.id}
      slug={organization.slug}
      planName={organization.plan.name}
      canDelete={organization.role === "OWNER" || organization.role === "ADMIN"}
      initialProjects={initialProjects}
      highlight={typeof project === "string" ? project : null}
    />
  );
}
