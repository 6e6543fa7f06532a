import type { Metadata } from "next";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { TestsView } from "./tests-view.tsx";

export const metadata: Metadata = { title: "Tests" };

export default async function TestsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  requireModule("test-automation");
  const { slug } = await params;
  const { project } = await searchParams;
  const { organization, caller } = await requireOrganization(slug);
  const organizationId = organization.id;
  const projects = (await caller.project.list({ organizationId, status: "ACTIVE" })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const current = projects.find((p) => p.id === project) ?? projects[0] ?? null;
  const data = current
    ? await Promise.all([
        caller.testSuite.list({ organizationId, projectId: current.id }),
        caller.testEnvironment.list({ organizationId, projectId: current.id }),
        caller.testRun.list({ organizationId, projectId: current.id, limit: 20 }),
        caller.testRun.dashboard({ organizationId, projectId: current.id, days: 30 }),
        caller.testWatcher.list({ organizationId, projectId: current.id }),
      ])
    : null;
  return (
    <TestsView
      organizationId={organizationId}
      slug={organization.slug}
      projects={projects.map((p) => ({ id: p.id, name: p.name }))}
      projectId={current?.id ?? null}
      canDelete={organization.role === "OWNER" || organization.role === "ADMIN"}
      initial={
        data
          ? {
              suites: data[0],
              environments: data[1],
              runs: data[2],
              dashboard: data[3],
              watchers: data[4],
            }
          : null
      }
    />
  );
}
