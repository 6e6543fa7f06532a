import { requireOrganization } from "~/server/organization.ts";
import { RunsView } from "./runs-view.tsx";

export const dynamic = "force-dynamic";

export default async function RunsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { organization } = await requireOrganization(slug);
  return (
    <main className="page">
      <h1>Runs</h1>
      <p className="muted">Long work runs in the worker; progress and logs update live.</p>
      <RunsView organizationId={organization.id} />
    </main>
  );
}
