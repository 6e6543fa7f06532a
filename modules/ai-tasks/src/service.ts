// AI tasks: plain (scope, input) functions over the organization's RLS-bound data access; the
// procedures (trpc.ts) and gateway routes (http.ts) add who may call them. Running a task is
// one transaction: the `ai.tasks` quota unit, the task row and its job (the worker runs it,
// worker.ts / execute.ts). A task is read back as an explicit shape, never a raw row.
import { changedFields, recordAudit, snapshot } from "@plinth/core/audit";
import { toCsv } from "@plinth/core/csv";
import { AppError, notFound } from "@plinth/core/errors";
import { actorUserId } from "@plinth/core/scope";
import { holdTransaction, Prisma, type TransactionClient } from "@plinth/db";
import { consumeQuota, planRefusal } from "@plinth/billing/gating";
import { checkProviderBaseUrl } from "@plinth/ai";
import { aiEnv, parseAiEnv } from "@plinth/ai/env";
import { coreEnv } from "@plinth/core/env";
import { userPreferencesSchema } from "@plinth/db/json";
import { enqueue } from "@plinth/jobs";
import { deleteSecret, describeSecret, isVaultError, putSecret } from "@plinth/vault";
import type { OrgScope } from "@plinth/platform";
import { z } from "zod";
import { BATCH_MAX_ROWS } from "./contract.ts";
import { parseBatchFile } from "./batch-format.ts";
import { ORGANIZATION_KEY_SECRET } from "./execute.ts";
import { aiTasksJobs } from "./jobs.ts";
import {
  checkPromptTemplate,
  parseOutputSchemaText,
  renderPrompt,
  taskInputSchema,
  templateVariablesSchema,
  type ProviderId,
  type TaskInput,
  type TemplateVariable,
} from "./json.ts";

// ─── Views ───────────────────────────────────────────────────────────────────────────────

const templateSelect = {
  id: true,
  name: true,
  provider: true,
  model: true,
  systemPrompt: true,
  promptTemplate: true,
  variables: true,
  temperature: true,
  maxTokens: true,
  outputSchema: true,
  archivedAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.AiTaskTemplateSelect;

type TemplateRow = Prisma.AiTaskTemplateGetPayload<{ select: typeof templateSelect }>;

const jsonObject = z.record(z.string(), z.unknown());

function templateView(row: TemplateRow) {
  const variables = templateVariablesSchema.safeParse(row.variables);
  const schema = jsonObject.safeParse(row.outputSchema);
  return {
    ...row,
    provider: row.provider as ProviderId,
    variables: variables.success ? variables.data : [],
    outputSchema: schema.success ? schema.data : null,
  };
}
export type TemplateView = ReturnType<typeof templateView>;

const taskSelect = {
  id: true,
  templateId: true,
  batchId: true,
  status: true,
  input: true,
  result: true,
  resultText: true,
  errorCode: true,
  errorMessage: true,
  provider: true,
  offline: true,
  keySource: true,
  model: true,
  promptTokens: true,
  completionTokens: true,
  tokensEstimated: true,
  costMicroCents: true,
  latencyMs: true,
  timeToFirstTokenMs: true,
  attempts: true,
  cancelRequestedAt: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  template: { select: { name: true } },
} as const satisfies Prisma.AiTaskSelect;

type TaskRow = Prisma.AiTaskGetPayload<{ select: typeof taskSelect }>;

function taskView(row: TaskRow) {
  const { template, costMicroCents, input, ...rest } = row;
  const parsedInput = taskInputSchema.safeParse(input);
  return {
    ...rest,
    templateName: template.name,
    input: parsedInput.success ? parsedInput.data : {},
    /** Micro-cents (1 cent = 10^6); null when the model has no price in the table. */
    costMicroCents: costMicroCents === null ? null : Number(costMicroCents),
  };
}
export type TaskView = ReturnType<typeof taskView>;

// ─── Templates ───────────────────────────────────────────────────────────────────────────

export interface TemplateFields {
  name: string;
  provider: ProviderId;
  model: string;
  systemPrompt: string;
  promptTemplate: string;
  variables: readonly {
    name: string;
    type: "string" | "number" | "boolean";
    description?: string | undefined;
    required: boolean;
  }[];
  temperature?: number | null | undefined;
  maxTokens?: number | null | undefined;
  outputSchema?: string | null | undefined;
}

function templateData(input: TemplateFields) {
  const variables: TemplateVariable[] = input.variables.map((variable) => ({
    name: variable.name,
    type: variable.type,
    required: variable.required,
    ...(variable.description ? { description: variable.description } : {}),
  }));
  checkPromptTemplate(input.promptTemplate, variables);
  const outputSchema = parseOutputSchemaText(input.outputSchema);
  return {
    name: input.name,
    provider: input.provider,
    model: input.model,
    systemPrompt: input.systemPrompt,
    promptTemplate: input.promptTemplate,
    variables: variables as Prisma.InputJsonValue,
    temperature: input.temperature ?? null,
    maxTokens: input.maxTokens ?? null,
    outputSchema: outputSchema === null ? Prisma.DbNull : (outputSchema as Prisma.InputJsonValue),
  };
}

function conflictOnName(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new AppError({ code: "CONFLICT", field: "name" });
  }
  throw error;
}

async function findTemplate(tx: TransactionClient, organizationId: string, templateId: string) {
  const row = await tx.aiTaskTemplate.findFirst({
    where: { id: templateId, organizationId },
    select: templateSelect,
  });
  if (!row) throw notFound("Template");
  return row;
}

export async function listTemplates(scope: OrgScope, input: { includeArchived: boolean }) {
  const rows = await scope.db.client.aiTaskTemplate.findMany({
    where: input.includeArchived ? {} : { archivedAt: null },
    orderBy: { createdAt: "desc" },
    select: templateSelect,
  });
  return rows.map(templateView);
}

export async function getTemplate(scope: OrgScope, input: { templateId: string }) {
  return scope.db.transaction(async (tx) =>
    templateView(await findTemplate(tx, scope.organization.id, input.templateId)),
  );
}

export function createTemplate(scope: OrgScope, input: TemplateFields) {
  const organizationId = scope.organization.id;
  const data = templateData(input);
  return scope.db.transaction(async (tx) => {
    const row = await tx.aiTaskTemplate
      .create({
        data: { organizationId, createdById: actorUserId(scope.actor), ...data },
        select: templateSelect,
      })
      .catch(conflictOnName);
    await recordAudit(tx, scope, {
      organizationId,
      action: "ai.template.created",
      targetType: "ai_task_template",
      targetId: row.id,
      changes: snapshot({ name: row.name, provider: row.provider, model: row.model }, "to"),
    });
    return templateView(row);
  });
}

export function updateTemplate(scope: OrgScope, input: TemplateFields & { templateId: string }) {
  const organizationId = scope.organization.id;
  const data = templateData(input);
  return scope.db.transaction(async (tx) => {
    const before = await findTemplate(tx, organizationId, input.templateId);
    const row = await tx.aiTaskTemplate
      .update({ where: { id: before.id }, data, select: templateSelect })
      .catch(conflictOnName);
    await recordAudit(tx, scope, {
      organizationId,
      action: "ai.template.updated",
      targetType: "ai_task_template",
      targetId: row.id,
      changes: changedFields(
        { name: before.name, provider: before.provider, model: before.model },
        { name: row.name, provider: row.provider, model: row.model },
      ),
    });
    return templateView(row);
  });
}

/** Archived templates keep their tasks and can no longer run. */
export function archiveTemplate(scope: OrgScope, input: { templateId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const before = await findTemplate(tx, organizationId, input.templateId);
    const row = await tx.aiTaskTemplate.update({
      where: { id: before.id },
      data: { archivedAt: before.archivedAt ?? scope.clock.now() },
      select: templateSelect,
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "ai.template.archived",
      targetType: "ai_task_template",
      targetId: row.id,
      changes: snapshot({ name: row.name }, "from"),
    });
    return templateView(row);
  });
}

export function deleteTemplate(scope: OrgScope, input: { templateId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const row = await findTemplate(tx, organizationId, input.templateId);
    const running = await tx.aiTask.count({
      where: { templateId: row.id, status: { in: ["QUEUED", "RUNNING"] } },
    });
    if (running > 0) {
      throw new AppError({
        code: "INVALID_STATE",
        detail: "Tasks of this template are still running: cancel them or archive it",
      });
    }
    await tx.aiTaskTemplate.delete({ where: { id: row.id } });
    await recordAudit(tx, scope, {
      organizationId,
      action: "ai.template.deleted",
      targetType: "ai_task_template",
      targetId: row.id,
      changes: snapshot({ name: row.name }, "from"),
    });
    return { id: row.id };
  });
}

// ─── Tasks ───────────────────────────────────────────────────────────────────────────────

/**
 * `ai.tokens` is counted when a task succeeds (its size is unknown before); a plan that caps
 * it (included, no overage price) refuses new tasks once the period's tokens are used up.
 */
async function requireTokensLeft(scope: OrgScope, tx: TransactionClient) {
  const quota = scope.entitlements.quotas["ai.tokens"];
  if (!quota || quota.included === null || quota.overageMicroCents !== undefined) return;
  const counter = await tx.usageCounter.findUnique({
    where: {
      organizationId_meter_periodStart: {
        organizationId: scope.organization.id,
        meter: "ai.tokens",
        periodStart: scope.entitlements.periodStart,
      },
    },
    select: { quantity: true },
  });
  const used = Number(counter?.quantity ?? 0);
  if (used >= quota.included) {
    throw planRefusal(scope, { kind: "quota", meter: "ai.tokens", used, included: quota.included });
  }
}

async function runnableTemplate(tx: TransactionClient, organizationId: string, id: string) {
  const row = await findTemplate(tx, organizationId, id);
  if (row.archivedAt) {
    throw new AppError({ code: "INVALID_STATE", detail: "This template is archived" });
  }
  return templateView(row);
}

/** The input as the template declares it (VALIDATION through INVALID_INPUT on `input`). */
function checkedInput(template: TemplateView, input: TaskInput): TaskInput {
  renderPrompt(template.promptTemplate, template.variables, input);
  return input;
}

async function createTasks(
  scope: OrgScope,
  tx: TransactionClient,
  template: TemplateView,
  inputs: readonly TaskInput[],
  extra: { batchId?: string; idempotencyKey?: string },
) {
  const organizationId = scope.organization.id;
  const createdById = actorUserId(scope.actor);
  const rows = await tx.aiTask.createManyAndReturn({
    data: inputs.map((input) => ({
      organizationId,
      templateId: template.id,
      input: input,
      provider: template.provider,
      offline: template.provider === "offline",
      model: template.model,
      createdById,
      ...(extra.batchId ? { batchId: extra.batchId } : {}),
      ...(extra.idempotencyKey ? { idempotencyKey: extra.idempotencyKey } : {}),
    })),
    select: { id: true },
  });
  for (const row of rows) {
    await enqueue(tx, aiTasksJobs.run, { taskId: row.id, organizationId, attempt: 1 });
  }
  return rows.map((row) => row.id);
}

/**
 * Queues one task of a template (quota `ai.tasks`: one unit, refused with the upgrade offer
 * when used up). An idempotency key already used answers that task, counting nothing.
 */
export async function runTask(
  scope: OrgScope,
  input: { templateId: string; input: TaskInput; idempotencyKey?: string | undefined },
) {
  const organizationId = scope.organization.id;
  if (input.idempotencyKey) {
    const existing = await scope.db.client.aiTask.findFirst({
      where: { idempotencyKey: input.idempotencyKey },
      select: taskSelect,
    });
    if (existing) return taskView(existing);
  }
  const id = await scope.db
    .transaction((tx) =>
      holdTransaction(organizationId, tx, async () => {
        const template = await runnableTemplate(tx, organizationId, input.templateId);
        const values = checkedInput(template, input.input);
        await requireTokensLeft(scope, tx);
        await consumeQuota(scope, "ai.tasks", 1);
        const [taskId] = await createTasks(scope, tx, template, [values], {
          ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
        });
        return taskId;
      }),
    )
    .catch((error: unknown) => {
      if (
        input.idempotencyKey &&
        error instanceof Prisma.PrismaClientKnownRequestError &&
        error.code === "P2002"
      ) {
        return null; // the same key, concurrently: answer the other request's task
      }
      throw error;
    });
  const task = await scope.db.client.aiTask.findFirst({
    where: id ? { id } : { idempotencyKey: input.idempotencyKey ?? "" },
    select: taskSelect,
  });
  if (!task) throw notFound("Task");
  return taskView(task);
}

export async function getTask(scope: OrgScope, input: { taskId: string }) {
  const task = await scope.db.client.aiTask.findFirst({
    where: { id: input.taskId, organizationId: scope.organization.id },
    select: taskSelect,
  });
  if (!task) throw notFound("Task");
  return taskView(task);
}

export async function listTasks(
  scope: OrgScope,
  input: {
    status?: TaskRow["status"] | undefined;
    templateId?: string | undefined;
    batchId?: string | undefined;
    limit: number;
  },
) {
  const rows = await scope.db.client.aiTask.findMany({
    where: {
      ...(input.status ? { status: input.status } : {}),
      ...(input.templateId ? { templateId: input.templateId } : {}),
      ...(input.batchId ? { batchId: input.batchId } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: input.limit,
    select: taskSelect,
  });
  return rows.map(taskView);
}

/**
 * A queued task is cancelled at once; a running one is marked, and its worker aborts the
 * provider call (the HTTP connection closes) within its cancellation poll.
 */
export async function cancelTask(scope: OrgScope, input: { taskId: string }) {
  const organizationId = scope.organization.id;
  const now = scope.clock.now();
  await scope.db.transaction(async (tx) => {
    const task = await tx.aiTask.findFirst({
      where: { id: input.taskId, organizationId },
      select: { id: true, status: true },
    });
    if (!task) throw notFound("Task");
    if (task.status !== "QUEUED" && task.status !== "RUNNING") {
      throw new AppError({ code: "INVALID_STATE", detail: "The task has already finished" });
    }
    await tx.aiTask.update({
      where: { id: task.id },
      data:
        task.status === "QUEUED"
          ? { status: "CANCELLED", cancelRequestedAt: now, finishedAt: now }
          : { cancelRequestedAt: now },
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "ai.task.cancelled",
      targetType: "ai_task",
      targetId: task.id,
      changes: {},
    });
  });
  return getTask(scope, input);
}

// ─── Streaming ───────────────────────────────────────────────────────────────────────────

export interface StreamEvent {
  /** The last chunk's sequence number (resume after it). */
  seq: number;
  kind: "chunk" | "status";
  attempt: number;
  text: string;
  status: TaskRow["status"];
}

const wait = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/**
 * The token chunks of a task as the worker appends them, then its final status: reads the
 * append-only chunk table after `afterSeq` every `pollMs` while the task runs (docs/ai.md,
 * "Live tokens"). Ends when the task has finished and every chunk was sent.
 */
export async function* streamTask(
  scope: OrgScope,
  input: { taskId: string; afterSeq: number },
  options: { signal?: AbortSignal | undefined; pollMs?: number } = {},
): AsyncGenerator<StreamEvent> {
  const pollMs = options.pollMs ?? 100;
  await getTask(scope, { taskId: input.taskId }); // NOT_FOUND for another tenant's
  let seq = input.afterSeq;
  while (!options.signal?.aborted) {
    const { chunks, task } = await scope.db.transaction(async (tx) => ({
      // Status first: a task read as finished has every chunk committed before it.
      task: await tx.aiTask.findFirst({
        where: { id: input.taskId },
        select: { status: true, attempts: true },
      }),
      chunks: await tx.aiTaskChunk.findMany({
        where: { taskId: input.taskId, seq: { gt: seq } },
        orderBy: { seq: "asc" },
        take: 500,
        select: { seq: true, attempt: true, text: true },
      }),
    }));
    if (!task) return;
    for (const chunk of chunks) {
      seq = chunk.seq;
      yield { seq, kind: "chunk", attempt: chunk.attempt, text: chunk.text, status: task.status };
    }
    const finished = task.status !== "QUEUED" && task.status !== "RUNNING";
    if (finished && chunks.length < 500) {
      yield { seq, kind: "status", attempt: task.attempts, text: "", status: task.status };
      return;
    }
    if (chunks.length < 500) await wait(pollMs, options.signal);
  }
}

// ─── Batches ─────────────────────────────────────────────────────────────────────────────

const batchSelect = {
  id: true,
  templateId: true,
  name: true,
  total: true,
  createdAt: true,
  template: { select: { name: true } },
} as const satisfies Prisma.AiTaskBatchSelect;

async function batchProgress(tx: TransactionClient, batchId: string) {
  const groups = await tx.aiTask.groupBy({
    by: ["status"],
    where: { batchId },
    _count: { _all: true },
  });
  const counts = { QUEUED: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, CANCELLED: 0 };
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}

function batchView(
  row: Prisma.AiTaskBatchGetPayload<{ select: typeof batchSelect }>,
  counts: Awaited<ReturnType<typeof batchProgress>>,
) {
  const { template, ...rest } = row;
  const done = counts.SUCCEEDED + counts.FAILED + counts.CANCELLED;
  return { ...rest, templateName: template.name, counts, done, finished: done >= row.total };
}

/**
 * One task per row of a CSV (header row = variable names) or JSON array, all or none: every
 * row is checked against the template and `ai.tasks` counts them together.
 */
export async function createBatch(
  scope: OrgScope,
  input: { templateId: string; name?: string | undefined; format: "csv" | "json"; content: string },
) {
  const organizationId = scope.organization.id;
  const parsed = parseBatchFile(input.format, input.content);
  if (!parsed.ok)
    throw new AppError({ code: "INVALID_INPUT", field: "content", reason: parsed.reason });
  if (parsed.rows.length === 0) {
    throw new AppError({ code: "INVALID_INPUT", field: "content", reason: "No rows" });
  }
  if (parsed.rows.length > BATCH_MAX_ROWS) {
    throw new AppError({
      code: "INVALID_INPUT",
      field: "content",
      reason: `At most ${BATCH_MAX_ROWS} rows per batch`,
    });
  }
  const batchId = await scope.db.transaction((tx) =>
    holdTransaction(organizationId, tx, async () => {
      const template = await runnableTemplate(tx, organizationId, input.templateId);
      const inputs = parsed.rows.map((row, index) => {
        const values = taskInputSchema.safeParse(row);
        if (!values.success) {
          throw new AppError({
            code: "INVALID_INPUT",
            field: "content",
            reason: `Row ${index + 1}: column names must be variable names`,
          });
        }
        try {
          return checkedInput(template, values.data);
        } catch (error) {
          if (error instanceof AppError && error.data.code === "INVALID_INPUT") {
            throw new AppError({
              code: "INVALID_INPUT",
              field: "content",
              reason: `Row ${index + 1}: ${error.data.reason}`,
            });
          }
          throw error;
        }
      });
      await requireTokensLeft(scope, tx);
      await consumeQuota(scope, "ai.tasks", inputs.length);
      const batch = await tx.aiTaskBatch.create({
        data: {
          organizationId,
          templateId: template.id,
          name: input.name || `${template.name} batch`,
          total: inputs.length,
          createdById: actorUserId(scope.actor),
        },
        select: { id: true },
      });
      await createTasks(scope, tx, template, inputs, { batchId: batch.id });
      await recordAudit(tx, scope, {
        organizationId,
        action: "ai.batch.created",
        targetType: "ai_task_batch",
        targetId: batch.id,
        changes: snapshot({ template: template.name, tasks: inputs.length }, "to"),
      });
      return batch.id;
    }),
  );
  return getBatch(scope, { batchId });
}

export function getBatch(scope: OrgScope, input: { batchId: string }) {
  return scope.db.transaction(async (tx) => {
    const row = await tx.aiTaskBatch.findFirst({
      where: { id: input.batchId, organizationId: scope.organization.id },
      select: batchSelect,
    });
    if (!row) throw notFound("Batch");
    return batchView(row, await batchProgress(tx, row.id));
  });
}

export function listBatches(scope: OrgScope) {
  return scope.db.transaction(async (tx) => {
    const rows = await tx.aiTaskBatch.findMany({
      orderBy: { createdAt: "desc" },
      take: 50,
      select: batchSelect,
    });
    return Promise.all(rows.map(async (row) => batchView(row, await batchProgress(tx, row.id))));
  });
}

/** The batch's results as a file: one line/object per task, in input order. */
export async function exportBatch(
  scope: OrgScope,
  input: { batchId: string; format: "csv" | "json" },
) {
  const batch = await getBatch(scope, input);
  const tasks = await scope.db.client.aiTask.findMany({
    where: { batchId: batch.id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: taskSelect,
  });
  const records = tasks.map(taskView).map((task) => ({
    taskId: task.id,
    status: task.status,
    ...task.input,
    result: task.result,
    error: task.errorMessage,
    provider: task.offline ? "offline (demo, no model called)" : task.provider,
    model: task.model,
    promptTokens: task.promptTokens,
    completionTokens: task.completionTokens,
    costMicroCents: task.costMicroCents,
    latencyMs: task.latencyMs,
    attempts: task.attempts,
  }));
  const base = `${batch.name.replace(/[^A-Za-z0-9._-]+/g, "-")}-${batch.id}`;
  if (input.format === "json") {
    return {
      filename: `${base}.json`,
      contentType: "application/json",
      content: JSON.stringify(records, null, 2),
    };
  }
  const variableColumns = [...new Set(tasks.flatMap((task) => Object.keys(taskView(task).input)))];
  const columns = [
    "taskId",
    "status",
    ...variableColumns,
    "result",
    "error",
    "provider",
    "model",
    "promptTokens",
    "completionTokens",
    "costMicroCents",
    "latencyMs",
    "attempts",
  ];
  const rows = records.map((record: Record<string, unknown>) =>
    columns.map((name) => record[name]),
  );
  return { filename: `${base}.csv`, contentType: "text/csv", content: toCsv(columns, rows) };
}

// ─── Keys (bring your own) ───────────────────────────────────────────────────────────────

/**
 * What the UI shows of the organization's provider: whether it has its own key (masked hint
 * only) and its own base URL (not a secret: shown as saved), and whether the platform has a key.
 */
export async function getProviderKey(scope: OrgScope) {
  const organizationId = scope.organization.id;
  const [own, settings] = await scope.db.transaction(async (tx) => [
    await describeSecret(tx, { organizationId, name: ORGANIZATION_KEY_SECRET }),
    await tx.aiProviderSettings.findUnique({
      where: { organizationId },
      select: { baseUrl: true, updatedAt: true },
    }),
  ]);
  return {
    organizationKey: own ? { hint: own.hint, updatedAt: own.updatedAt } : null,
    organizationBaseUrl: settings ? { url: settings.baseUrl, updatedAt: settings.updatedAt } : null,
    platformKeyConfigured: platformKeyConfigured(),
  };
}

/**
 * Saves (or, with null, removes) the organization's own OpenAI-compatible base URL: https only
 * outside development and tests, and a public address unless AI_ALLOW_PRIVATE_NETWORKS (the
 * worker's connection guard refuses the rest again at call time). Tasks then send the
 * organization's own key there; the platform's key never goes to it.
 */
export async function setProviderBaseUrl(scope: OrgScope, input: { baseUrl: string | null }) {
  const organizationId = scope.organization.id;
  let baseUrl: string | null = null;
  if (input.baseUrl !== null) {
    const checked = await checkProviderBaseUrl(input.baseUrl, {
      allowHttp: coreEnv().NODE_ENV !== "production",
      // Read per call, not once: the switch is an operator's, and tests flip it.
      allowPrivateNetworks: parseAiEnv().AI_ALLOW_PRIVATE_NETWORKS,
    });
    if (!checked.ok) {
      throw new AppError({ code: "INVALID_INPUT", field: "baseUrl", reason: checked.reason });
    }
    baseUrl = checked.url;
  }
  await scope.db.transaction(async (tx) => {
    const before = await tx.aiProviderSettings.findUnique({
      where: { organizationId },
      select: { baseUrl: true },
    });
    if (baseUrl === null) {
      if (!before) return;
      await tx.aiProviderSettings.delete({ where: { organizationId } });
    } else {
      await tx.aiProviderSettings.upsert({
        where: { organizationId },
        create: { organizationId, baseUrl },
        update: { baseUrl },
      });
    }
    await recordAudit(tx, scope, {
      organizationId,
      action: baseUrl === null ? "ai.base_url.deleted" : "ai.base_url.set",
      targetType: "ai_provider_settings",
      targetId: organizationId,
      changes: { baseUrl: { from: before?.baseUrl ?? null, to: baseUrl } },
    });
  });
  return getProviderKey(scope);
}

function platformKeyConfigured(): boolean {
  try {
    return Boolean(aiEnv().OPENAI_API_KEY);
  } catch {
    return false;
  }
}

/** Stores the organization's own key in the vault (encrypted); answers only its hint. */
export async function setProviderKey(scope: OrgScope, input: { apiKey: string }) {
  const organizationId = scope.organization.id;
  await scope.db.transaction(async (tx) => {
    await putSecret(tx, {
      organizationId,
      name: ORGANIZATION_KEY_SECRET,
      plaintext: input.apiKey,
    }).catch((error: unknown) => {
      if (isVaultError(error) && error.code === "NOT_CONFIGURED") {
        throw new AppError({
          code: "INVALID_STATE",
          detail: "The vault is not configured (ENCRYPTION_KEYS): keys cannot be stored",
        });
      }
      if (isVaultError(error) && error.code === "INVALID_INPUT") {
        throw new AppError({ code: "INVALID_INPUT", field: "apiKey", reason: "Not a valid key" });
      }
      throw error;
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "ai.key.set",
      targetType: "vault_secret",
      targetId: ORGANIZATION_KEY_SECRET,
      changes: {},
    });
  });
  return getProviderKey(scope);
}

export async function deleteProviderKey(scope: OrgScope) {
  const organizationId = scope.organization.id;
  await scope.db.transaction(async (tx) => {
    const deleted = await deleteSecret(tx, { organizationId, name: ORGANIZATION_KEY_SECRET });
    if (deleted) {
      await recordAudit(tx, scope, {
        organizationId,
        action: "ai.key.deleted",
        targetType: "vault_secret",
        targetId: ORGANIZATION_KEY_SECRET,
        changes: {},
      });
    }
  });
  return getProviderKey(scope);
}

// ─── Preferences (the signed-in user's, per organization) ────────────────────────────────

function memberId(scope: OrgScope): string {
  const userId = actorUserId(scope.actor);
  if (!userId) throw new AppError({ code: "API_KEY_NOT_ALLOWED" });
  return userId;
}

/** The user's AI defaults in this organization (User.preferences.ai[organizationId]). */
export async function getAiPreferences(scope: OrgScope) {
  const userId = memberId(scope);
  const user = await scope
    .asSystem("read the member's own AI preferences")
    .user.findUnique({ where: { id: userId }, select: { preferences: true } });
  const parsed = userPreferencesSchema.safeParse(user?.preferences ?? {});
  const mine = parsed.success ? parsed.data.ai?.[scope.organization.id] : undefined;
  return {
    defaultTemplateId: mine?.defaultTemplateId ?? null,
    defaultProvider: mine?.defaultProvider ?? null,
    defaultModel: mine?.defaultModel ?? null,
  };
}

export async function setAiPreferences(
  scope: OrgScope,
  input: {
    defaultTemplateId?: string | null | undefined;
    defaultProvider?: ProviderId | null | undefined;
    defaultModel?: string | null | undefined;
  },
) {
  const userId = memberId(scope);
  if (input.defaultTemplateId) await getTemplate(scope, { templateId: input.defaultTemplateId });
  const system = scope.asSystem("update the member's own AI preferences");
  await system.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { preferences: true },
    });
    const current = userPreferencesSchema.safeParse(user.preferences);
    const base = current.success ? current.data : userPreferencesSchema.parse({});
    const previous = base.ai?.[scope.organization.id] ?? {};
    const next = {
      ...previous,
      ...(input.defaultTemplateId !== undefined
        ? { defaultTemplateId: input.defaultTemplateId }
        : {}),
      ...(input.defaultProvider !== undefined ? { defaultProvider: input.defaultProvider } : {}),
      ...(input.defaultModel !== undefined ? { defaultModel: input.defaultModel } : {}),
    };
    const preferences = userPreferencesSchema.parse({
      ...base,
      ai: { ...base.ai, [scope.organization.id]: next },
    });
    await tx.user.update({
      where: { id: userId },
      data: { preferences: preferences },
    });
  });
  return getAiPreferences(scope);
}
