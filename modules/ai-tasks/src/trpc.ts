// The ai-tasks module's tRPC adapter: a few lines per procedure — who may call it, the input
// schema (contract.ts), the service call (service.ts). `aiTask.stream` is a subscription
// (tRPC 11 over SSE, httpSubscriptionLink): the token chunks of a running task, resumable
// after the last event id (docs/ai.md, "Live tokens").
import { tracked, type inferRouterOutputs } from "@trpc/server";
import {
  createTRPCRouter,
  orgAdminProcedure,
  orgOrKeyProcedure,
  orgProcedure,
  type CallerOf,
  type ModuleApi,
} from "@plinth/trpc";
import {
  aiPreferencesInput,
  batchInput,
  createBatchInput,
  createTemplateInput,
  exportBatchInput,
  listTasksInput,
  listTemplatesInput,
  runTaskInput,
  setProviderBaseUrlInput,
  setProviderKeyInput,
  streamTaskInput,
  taskInput,
  templateInput,
  updateTemplateInput,
} from "./contract.ts";
import * as ai from "./service.ts";

export const aiTemplateRouter = createTRPCRouter({
  list: orgOrKeyProcedure
    .meta({ apiScope: "ai:read" })
    .input(listTemplatesInput)
    .query(({ ctx, input }) => ai.listTemplates(ctx.scope, input)),
  get: orgOrKeyProcedure
    .meta({ apiScope: "ai:read" })
    .input(templateInput)
    .query(({ ctx, input }) => ai.getTemplate(ctx.scope, input)),
  create: orgProcedure
    .input(createTemplateInput)
    .mutation(({ ctx, input }) => ai.createTemplate(ctx.scope, input)),
  update: orgProcedure
    .input(updateTemplateInput)
    .mutation(({ ctx, input }) => ai.updateTemplate(ctx.scope, input)),
  archive: orgProcedure
    .input(templateInput)
    .mutation(({ ctx, input }) => ai.archiveTemplate(ctx.scope, input)),
  delete: orgAdminProcedure
    .input(templateInput)
    .mutation(({ ctx, input }) => ai.deleteTemplate(ctx.scope, input)),
});

export const aiTaskRouter = createTRPCRouter({
  /** Queues a task (quota ai.tasks); also for API keys with ai:write. */
  run: orgOrKeyProcedure
    .meta({ apiScope: "ai:write" })
    .input(runTaskInput)
    .mutation(({ ctx, input }) => ai.runTask(ctx.scope, input)),
  get: orgOrKeyProcedure
    .meta({ apiScope: "ai:read" })
    .input(taskInput)
    .query(({ ctx, input }) => ai.getTask(ctx.scope, input)),
  list: orgOrKeyProcedure
    .meta({ apiScope: "ai:read" })
    .input(listTasksInput)
    .query(({ ctx, input }) => ai.listTasks(ctx.scope, input)),
  cancel: orgOrKeyProcedure
    .meta({ apiScope: "ai:write" })
    .input(taskInput)
    .mutation(({ ctx, input }) => ai.cancelTask(ctx.scope, input)),
  /** The task's token chunks as the worker writes them, then its final status. */
  stream: orgProcedure.input(streamTaskInput).subscription(async ({ ctx, input, signal }) => {
    await ai.getTask(ctx.scope, input); // NOT_FOUND before the stream opens
    const afterSeq = Number(input.lastEventId ?? 0);
    const events = ai.streamTask(
      ctx.scope,
      { taskId: input.taskId, afterSeq: Number.isSafeInteger(afterSeq) ? afterSeq : 0 },
      { signal },
    );
    return (async function* () {
      for await (const event of events) yield tracked(String(event.seq), event);
    })();
  }),
});

export const aiBatchRouter = createTRPCRouter({
  create: orgProcedure
    .input(createBatchInput)
    .mutation(({ ctx, input }) => ai.createBatch(ctx.scope, input)),
  get: orgOrKeyProcedure
    .meta({ apiScope: "ai:read" })
    .input(batchInput)
    .query(({ ctx, input }) => ai.getBatch(ctx.scope, input)),
  list: orgProcedure.query(({ ctx }) => ai.listBatches(ctx.scope)),
  /** The results as a CSV or JSON file (content + filename; the page downloads it). */
  export: orgOrKeyProcedure
    .meta({ apiScope: "ai:read" })
    .input(exportBatchInput)
    .query(({ ctx, input }) => ai.exportBatch(ctx.scope, input)),
});

export const aiSettingsRouter = createTRPCRouter({
  /** Whether the organization has its own key (masked hint only) and the platform has one. */
  key: orgProcedure.query(({ ctx }) => ai.getProviderKey(ctx.scope)),
  setKey: orgAdminProcedure
    .input(setProviderKeyInput)
    .mutation(({ ctx, input }) => ai.setProviderKey(ctx.scope, input)),
  deleteKey: orgAdminProcedure.mutation(({ ctx }) => ai.deleteProviderKey(ctx.scope)),
  /** The organization's own OpenAI-compatible base URL (null removes it). */
  setBaseUrl: orgAdminProcedure
    .input(setProviderBaseUrlInput)
    .mutation(({ ctx, input }) => ai.setProviderBaseUrl(ctx.scope, input)),
  preferences: orgProcedure.query(({ ctx }) => ai.getAiPreferences(ctx.scope)),
  setPreferences: orgProcedure
    .input(aiPreferencesInput)
    .mutation(({ ctx, input }) => ai.setAiPreferences(ctx.scope, input)),
});

/** The module's namespaces in the product's router. */
export const routers = {
  aiTemplate: aiTemplateRouter,
  aiTask: aiTaskRouter,
  aiBatch: aiBatchRouter,
  aiSettings: aiSettingsRouter,
};

/** What this module's pages' hooks and caller are typed by: core's routers and its own. */
export type AiTasksApi = ModuleApi<typeof routers>;
/** A caller of this module's procedures and core's (the web app's request caller is one). */
export type AiTasksCaller = CallerOf<AiTasksApi>;
export type AiTasksOutputs = inferRouterOutputs<AiTasksApi>;
