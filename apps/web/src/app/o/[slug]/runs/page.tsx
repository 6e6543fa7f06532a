import type { Metadata } from "next";
import { PageHeader } from "@plinth/ui/page-header";
import { requireOrganization } from "~/server/organization.ts";
import { RunsView } from "./runs-view.tsx";

export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { organization, caller } = await requireOrganization(slug);
  const runs = await caller.run.list({ organizationId: organization.id });
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Runs"
        description="Long work runs in the worker; progress and logs update live."
      />
      <RunsView organizationId={organization.id} initialRuns={runs} />
    </div>
  );
}
