import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cuid, urlParameter } from "@plinth/core/inputs";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { TaskView } from "./task-view.tsx";

export const metadata: Metadata = { title: "AI task" };

export default async function AiTaskPage({
  params,
}: {
  params: Promise<{ slug: string; taskId: string }>;
}) {
  requireModule("ai-tasks");
  const { slug, taskId } = await params;
  if (urlParameter(cuid, taskId) === undefined) notFound();
  const { organization, caller } = await requireOrganization(slug);
  const task = await caller.aiTask
    .get({ organizationId: organization.id, taskId })
    .catch(() => null);
  if (!task) notFound();
  return <TaskView organizationId={organization.id} slug={organization.slug} initial={task} />;
}
