// The projects page (route /o/[slug]/projects, a one-line file in apps/web): the list read on
// the server with the request's caller, then the client view (create, rename, archive, delete).
import { searchParam, type ModulePageProps } from "@plinth/web-kit/page";
import type { ProjectsCaller } from "../trpc.ts";
import { ProjectsView } from "./projects-view.tsx";

export async function ProjectsPage({
  organization,
  caller,
  searchParams,
}: ModulePageProps<ProjectsCaller>) {
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
      highlight={searchParam(searchParams, "project")}
    />
  );
}
