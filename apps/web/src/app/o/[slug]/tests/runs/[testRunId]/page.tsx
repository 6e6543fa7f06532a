import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cuid, urlParameter } from "@plinth/core/inputs";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { RunView } from "./run-view.tsx";

export const metadata: Metadata = { title: "Test run" };

export default async function TestRunPage({
  params,
}: {
  params: Promise<{ slug: string; testRunId: string }>;
}) {
  requireModule("test-automation");
  const { slug, testRunId: raw } = await params;
  const testRunId = urlParameter(cuid, raw);
  if (!testRunId) notFound();
  const { organization, caller } = await requireOrganization(slug);
  const run = await caller.testRun
    .get({ organizationId: organization.id, testRunId })
    .catch(() => null);
  if (!run) notFound();
  return <RunView organizationId={organization.id} slug={organization.slug} initial={run} />;
}
