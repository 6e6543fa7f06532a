// The AI tasks page (route /o/[slug]/ai, a one-line file in apps/web): templates, recent tasks,
// batches, the organization's provider key and preferences, read on the server; then the
// client view (run, batches, settings for admins).
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { AiTasksCaller } from "../trpc.ts";
import { AiView } from "./ai-view.tsx";

export async function AiTasksPage({ organization, caller }: ModulePageProps<AiTasksCaller>) {
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
