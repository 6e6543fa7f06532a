// One AI task (route /o/[slug]/ai/tasks/[taskId]): 404 for a malformed id or one the
// organization does not have; then the client view (streamed output while it runs).
import { notFound } from "next/navigation";
import { cuid, urlParameter } from "@plinth/core/inputs";
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { AiTasksCaller } from "../trpc.ts";
import { TaskView } from "./task-view.tsx";

export async function AiTaskPage({
  organization,
  caller,
  params,
}: ModulePageProps<AiTasksCaller, "taskId">) {
  const taskId = urlParameter(cuid, params.taskId);
  if (!taskId) notFound();
  const task = await caller.aiTask
    .get({ organizationId: organization.id, taskId })
    .catch(() => null);
  if (!task) notFound();
  return <TaskView organizationId={organization.id} slug={organization.slug} initial={task} />;
}
