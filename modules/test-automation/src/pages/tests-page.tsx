// The tests page (route /o/[slug]/tests, a one-line file in apps/web): one of the
// organization's active projects (?project=, else the first by name) with its suites,
// environments, recent runs, 30-day dashboard and watchers, read on the server; then the
// client view.
import { searchParam, type ModulePageProps } from "@plinth/web-kit/page";
import type { TestAutomationCaller } from "../trpc.ts";
import { TestsView } from "./tests-view.tsx";

/**
 * The page picks a project with the projects module's `project.list` (every preset with test
 * automation enables projects: suites belong to projects). A module imports no other module,
 * so this names only what the page reads; the app's caller has it.
 */
interface ProjectsReader {
  project: {
    list(input: {
      organizationId: string;
      status: "ACTIVE";
    }): Promise<{ id: string; name: string }[]>;
  };
}

export async function TestsPage({
  organization,
  caller,
  searchParams,
}: ModulePageProps<TestAutomationCaller & ProjectsReader>) {
  const organizationId = organization.id;
  const projects = (await caller.project.list({ organizationId, status: "ACTIVE" })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const requested = searchParam(searchParams, "project");
  const current = projects.find((p) => p.id === requested) ?? projects[0] ?? null;
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
