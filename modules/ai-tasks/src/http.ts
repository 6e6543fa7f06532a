// The ai-tasks module's public API routes (apps/gateway serves them under /api/v1): the same
// services as the tRPC router. POST /ai/tasks answers 202 with the queued task (the gateway's
// Idempotency-Key handling replays the first answer for a repeated key); GET /ai/tasks/{id}
// is the task with its result once it has finished. Schemas are classic zod (the gateway
// derives the OpenAPI document from them), bounded by the contract's input rule.
import { z } from "zod";
import { WELL_FORMED_TEXT } from "@plinth/core/inputs";
import { defineHttpRoute, type HttpRoutes } from "@plinth/platform/http";
import * as ai from "./service.ts";

const iso = z.date().transform((date) => date.toISOString());
const isoOrNull = z
  .date()
  .nullable()
  .transform((date) => date?.toISOString() ?? null);

const task = z.object({
  id: z.string(),
  templateId: z.string(),
  templateName: z.string(),
  batchId: z.string().nullable(),
  status: z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]),
  input: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  result: z.unknown().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  provider: z.string(),
  /** true: the offline demo provider answered — no model was called. */
  offline: z.boolean(),
  model: z.string(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  costMicroCents: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  attempts: z.number().int(),
  createdAt: iso,
  startedAt: isoOrNull,
  finishedAt: isoOrNull,
});

const cuid = z
  .string()
  .max(25)
  .check(WELL_FORMED_TEXT)
  .regex(/^c[a-z0-9]{24}$/, "Not a valid id");

const variableName = z
  .string()
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "Not a variable name");

function apiTask(view: ai.TaskView) {
  return {
    id: view.id,
    templateId: view.templateId,
    templateName: view.templateName,
    batchId: view.batchId,
    status: view.status,
    input: view.input,
    result: view.result,
    errorCode: view.errorCode,
    errorMessage: view.errorMessage,
    provider: view.provider,
    offline: view.offline,
    model: view.model,
    promptTokens: view.promptTokens,
    completionTokens: view.completionTokens,
    costMicroCents: view.costMicroCents,
    latencyMs: view.latencyMs,
    attempts: view.attempts,
    createdAt: view.createdAt,
    startedAt: view.startedAt,
    finishedAt: view.finishedAt,
  };
}

export const routes: HttpRoutes = [
  defineHttpRoute({
    method: "POST",
    path: "/ai/tasks",
    summary: "Queue an AI task from a template (202: poll GET /ai/tasks/{id} for the result)",
    apiScope: "ai:write",
    write: true,
    successStatus: 202,
    body: z.object({
      templateId: cuid,
      input: z
        .record(
          variableName,
          z.union([z.string().check(WELL_FORMED_TEXT).max(20_000), z.number(), z.boolean()]),
        )
        .default({}),
    }),
    response: task,
    handle: async (scope, { body }) => apiTask(await ai.runTask(scope, body)),
  }),
  defineHttpRoute({
    method: "GET",
    path: "/ai/tasks/{id}",
    summary: "One AI task: status, result, tokens, cost",
    apiScope: "ai:read",
    write: false,
    successStatus: 200,
    params: z.object({ id: cuid }),
    response: task,
    handle: async (scope, { params }) => apiTask(await ai.getTask(scope, { taskId: params.id })),
  }),
];
