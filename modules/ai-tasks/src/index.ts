// The AI-tasks module (the AI-automation product): task templates (provider, model, prompts
// with typed variables, an optional JSON output schema), tasks the worker runs through
// @plinth/ai's provider adapters with live token streaming, batches over CSV/JSON inputs,
// the organization's own provider key (vault) and base URL. Meters `ai.tasks` (one per task, gated
// when queued) and `ai.tokens` (prompt + completion tokens, counted when a task succeeds).
// docs/ai.md; the product: docs/products/ai-automation.md.
import { defineModule } from "@plinth/platform";
import { aiTasksJobs } from "./jobs.ts";

export const aiTasksModule = defineModule({
  key: "ai-tasks",
  name: "AI tasks",
  description: "AI tasks run for the organization, metered per task and per token.",
  meters: {
    "ai.tasks": { description: "AI tasks", unit: "task" },
    "ai.tokens": { description: "AI tokens (prompt + completion)", unit: "token" },
  },
  apiScopes: {
    "ai:read": "Read AI tasks and their results",
    "ai:write": "Run AI tasks",
  },
  jobs: [aiTasksJobs.run],
  nav: [{ segment: "ai", label: "AI tasks", icon: "sparkles", order: 20 }],
  tenantModels: ["AiTaskTemplate", "AiTaskBatch", "AiTask", "AiTaskChunk"],
  operatorCounts: [
    {
      key: "aiTasks",
      label: "AI tasks",
      count: async (db, organizationIds) => {
        const groups = await db.aiTask.groupBy({
          by: ["organizationId"],
          where: { organizationId: { in: [...organizationIds] } },
          _count: { _all: true },
        });
        return new Map(groups.map((group) => [group.organizationId, group._count._all]));
      },
    },
  ],
  /** One offline template per name (the demo runs without any key). */
  demo: async (tx, { organizationId, ownerId, names }) => {
    for (const name of names) {
      await tx.aiTaskTemplate.create({
        data: {
          organizationId,
          createdById: ownerId,
          name,
          provider: "offline",
          model: "offline-demo",
          systemPrompt: "You are a concise assistant.",
          promptTemplate: "Summarise the following text in one sentence:\n\n{{text}}",
          variables: [{ name: "text", type: "string", required: true }],
          temperature: 0.2,
          maxTokens: 200,
        },
      });
    }
  },
  gdpr: {
    // What the user asked and got back; the organization keeps the tasks without the author.
    exportUser: async (tx, userId) => ({
      aiTaskTemplates: await tx.aiTaskTemplate.findMany({
        where: { createdById: userId },
        orderBy: { createdAt: "asc" },
        select: { id: true, organizationId: true, name: true, createdAt: true },
      }),
      aiTasks: await tx.aiTask.findMany({
        where: { createdById: userId },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          organizationId: true,
          status: true,
          input: true,
          result: true,
          createdAt: true,
        },
      }),
    }),
    deleteUser: async (tx, userId) => {
      const authored = { where: { createdById: userId }, data: { createdById: null } };
      await tx.aiTaskTemplate.updateMany(authored);
      await tx.aiTaskBatch.updateMany(authored);
      await tx.aiTask.updateMany(authored);
    },
    userReferences: [
      { table: "ai_task_templates", column: "created_by_id", onUserDeleted: "cleared" },
      { table: "ai_task_batches", column: "created_by_id", onUserDeleted: "cleared" },
      { table: "ai_tasks", column: "created_by_id", onUserDeleted: "cleared" },
    ],
    exportOrganization: async (tx, organizationId) => ({
      aiTaskTemplates: await tx.aiTaskTemplate.findMany({
        where: { organizationId },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          name: true,
          provider: true,
          model: true,
          systemPrompt: true,
          promptTemplate: true,
          variables: true,
          outputSchema: true,
          createdAt: true,
        },
      }),
      aiTasks: (
        await tx.aiTask.findMany({
          where: { organizationId },
          orderBy: { createdAt: "asc" },
          select: {
            id: true,
            templateId: true,
            status: true,
            input: true,
            result: true,
            provider: true,
            model: true,
            promptTokens: true,
            completionTokens: true,
            costMicroCents: true,
            createdAt: true,
          },
        })
      ).map((task) => ({
        ...task,
        costMicroCents: task.costMicroCents === null ? null : Number(task.costMicroCents),
      })),
      aiProviderSettings: await tx.aiProviderSettings.findUnique({
        where: { organizationId },
        select: { baseUrl: true, updatedAt: true },
      }),
    }),
    deleteOrganization: async (tx, organizationId) => {
      await tx.aiTaskChunk.deleteMany({ where: { organizationId } });
      await tx.aiTask.deleteMany({ where: { organizationId } });
      await tx.aiTaskBatch.deleteMany({ where: { organizationId } });
      await tx.aiTaskTemplate.deleteMany({ where: { organizationId } });
      await tx.aiProviderSettings.deleteMany({ where: { organizationId } });
    },
  },
});

export default aiTasksModule;
