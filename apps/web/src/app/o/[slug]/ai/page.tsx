import type { Metadata } from "next";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { AiView } from "./ai-view.tsx";

export const metadata: Metadata = { title: "AI tasks" };

export default async function AiTasksPage({ params }: { params: Promise<{ slug: string }> }) {
  requireModule("ai-tasks");
  const { slug } = await params;
  const { organization, caller } = await requireOrganization(slug);
  const organizationId = organization.id;
  const [templates, tasks, batches, key, preferences] = await Promise.all([
    caller.aiTemplate.list({ organizationId }),
    caller.aiTask.list({ organizationId, limit: 50 }),
    caller.aiBatch.list({ organizationId }),
    caller.aiSettings.key({ organizationId }),
    caller.aiSettings.preferences({ organizationId }),
  ]);
  return (
    <AiView
      organizationId={organizationId}
      slug={organization.slug}
      planName={organization.plan.name}
      isAdmin={organization.role === "OWNER" || organization.role === "ADMIN"}
      initial={{ templates, tasks, batches, key, preferences }}
    />
  );
}
