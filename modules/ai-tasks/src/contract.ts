// The AI-task procedures' inputs: the router validates with these, and the web app's forms
// validate with the very same schemas before sending (client-safe: zod mini only).
import * as z from "zod/mini";
import { cuid, text } from "@plinth/core/inputs";

export const PROVIDER_IDS = ["offline", "openai"] as const;
export const TASK_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const templateId = cuid;
export const taskId = cuid;
export const batchId = cuid;
export const variableName = text(64, z.regex(IDENTIFIER, "Letters, digits and _ (not first)"));
export const providerId = z.enum(PROVIDER_IDS);

export const templateVariableInput = z.object({
  name: variableName,
  type: z.enum(["string", "number", "boolean"]),
  description: z.optional(text(200)),
  required: z._default(z.boolean(), true),
});

export const templateFields = {
  name: text(80, z.trim(), z.minLength(1, "Enter a name")),
  provider: providerId,
  model: text(200, z.trim(), z.minLength(1, "Enter a model")),
  systemPrompt: z._default(text(8_000), ""),
  promptTemplate: text(20_000, z.minLength(1, "Enter a prompt")),
  variables: z._default(z.array(templateVariableInput).check(z.maxLength(32)), []),
  temperature: z.optional(z.nullable(z.number().check(z.gte(0), z.lte(2)))),
  maxTokens: z.optional(z.nullable(z.int().check(z.gte(1), z.lte(100_000)))),
  /** A JSON Schema object, as text (the form's textarea); empty: free-text answers. */
  outputSchema: z.optional(z.nullable(text(20_000))),
};

export const createTemplateInput = z.object(templateFields);
export const updateTemplateInput = z.object({ templateId, ...templateFields });
export const templateInput = z.object({ templateId });
export const listTemplatesInput = z.object({
  includeArchived: z._default(z.boolean(), false),
});

export const taskVariables = z
  .record(variableName, z.union([text(20_000), z.number(), z.boolean()]))
  .check(z.refine((values) => Object.keys(values).length <= 32, "At most 32 variables"));

export const runTaskInput = z.object({
  templateId,
  input: taskVariables,
  /** The same key twice answers the first task (no second run, no second quota unit). */
  idempotencyKey: z.optional(text(255, z.minLength(1))),
});
export const taskInput = z.object({ taskId });
export const listTasksInput = z.object({
  status: z.optional(z.enum(TASK_STATUSES)),
  templateId: z.optional(templateId),
  batchId: z.optional(batchId),
  limit: z._default(z.int().check(z.gte(1), z.lte(200)), 50),
});
export const streamTaskInput = z.object({
  taskId,
  /** The last chunk seen (tRPC's tracked() event id): the stream resumes after it. */
  lastEventId: z.optional(z.nullable(text(20))),
});

export const BATCH_MAX_ROWS = 500;
export const createBatchInput = z.object({
  templateId,
  name: z.optional(text(80, z.trim())),
  format: z.enum(["csv", "json"]),
  /** CSV with a header row of variable names, or a JSON array of objects. */
  content: text(1_000_000, z.minLength(1, "The file is empty")),
});
export const batchInput = z.object({ batchId });
export const exportBatchInput = z.object({ batchId, format: z.enum(["csv", "json"]) });

export const setProviderKeyInput = z.object({
  apiKey: text(400, z.trim(), z.minLength(8, "Paste the whole key")),
});

/** The organization's own OpenAI-compatible endpoint (…/v1); null removes it. */
export const setProviderBaseUrlInput = z.object({
  baseUrl: z.nullable(text(2_000, z.trim(), z.minLength(1, "Enter the base URL"))),
});

export const aiPreferencesInput = z.object({
  defaultTemplateId: z.optional(z.nullable(templateId)),
  defaultProvider: z.optional(z.nullable(providerId)),
  defaultModel: z.optional(z.nullable(text(200, z.trim()))),
});
