// One test run (route /o/[slug]/tests/runs/[testRunId]): 404 for a malformed id or one the
// organization does not have; then the client view (results, polled while it runs).
import { notFound } from "next/navigation";
import { cuid, urlParameter } from "@plinth/core/inputs";
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { TestAutomationCaller } from "../trpc.ts";
import { RunView } from "./run-view.tsx";

export async function TestRunPage({
  organization,
  caller,
  params,
}: ModulePageProps<TestAutomationCaller, "testRunId">) {
  const testRunId = urlParameter(cuid, params.testRunId);
  if (!testRunId) notFound();
  const run = await caller.testRun
    .get({ organizationId: organization.id, testRunId })
    .catch(() => null);
  if (!run) notFound();
  return <RunView organizationId={organization.id} slug={organization.slug} initial={run} />;
}
