// The two statements of a task attempt's life on ai_tasks, one round trip each:
//   claimTask     QUEUED/RUNNING → RUNNING (or → CANCELLED when a cancel was requested before
//                 it started), answering everything the attempt needs: the input, the template,
//                 the organization's provider settings, whether it has its own key in the vault,
//                 the last chunk seq and the subscription's period (for the token meter)
//   completeTask  RUNNING → SUCCEEDED with the result, tokens, cost and latency, the stream's last
//                 chunk row and the `ai.tokens` counter, in one statement (data-modifying CTEs)
// The worker acts across tenants (system client): every statement is keyed by the task's id
// and its organization.
import { usagePeriodStart } from "@plinth/billing/entitlements";
import { advanceCountersSql } from "@plinth/billing/usage";
import { Prisma, type PrismaClient } from "@plinth/db";
import { z } from "zod";
import type { ChunkRow } from "./chunk-writer.ts";

const claimedRow = z.object({
  status: z.enum(["RUNNING", "CANCELLED"]),
  input: z.unknown(),
  attempts: z.number().int(),
  provider: z.string(),
  model: z.string(),
  systemPrompt: z.string(),
  promptTemplate: z.string(),
  variables: z.unknown(),
  temperature: z.number().nullable(),
  maxTokens: z.number().int().nullable(),
  outputSchema: z.unknown(),
  /** The organization's own OpenAI-compatible endpoint (ai_provider_settings), if any. */
  baseUrl: z.string().nullable(),
  /** Whether the vault holds the organization's own key (read only then). */
  hasOwnKey: z.boolean(),
  lastSeq: z.number().int().nullable(),
  currentPeriodStart: z.date().nullable(),
});
export type ClaimedTask = z.infer<typeof claimedRow>;

/**
 * Claims the task for this attempt: null when it is gone or already finished; status
 * CANCELLED when a cancellation was requested before it started (it is now finished).
 */
export async function claimTask(
  prisma: PrismaClient,
  task: { taskId: string; organizationId: string },
  ownKeySecretName: string,
): Promise<ClaimedTask | null> {
  const rows = await prisma.$queryRaw<unknown[]>`
    UPDATE ai_tasks AS t SET
      status = (CASE WHEN t.cancel_requested_at IS NULL THEN 'RUNNING' ELSE 'CANCELLED' END)::"AiTaskStatus",
      started_at = CASE WHEN t.cancel_requested_at IS NULL THEN now() AT TIME ZONE 'UTC' ELSE t.started_at END,
      finished_at = CASE WHEN t.cancel_requested_at IS NULL THEN t.finished_at ELSE now() AT TIME ZONE 'UTC' END,
      error_code = CASE WHEN t.cancel_requested_at IS NULL THEN NULL ELSE t.error_code END,
      error_message = CASE WHEN t.cancel_requested_at IS NULL THEN NULL ELSE t.error_message END,
      updated_at = now() AT TIME ZONE 'UTC'
    FROM ai_task_templates AS tpl
    WHERE t.id = ${task.taskId}
      AND t.organization_id = ${task.organizationId}
      AND t.status IN ('QUEUED', 'RUNNING')
      AND tpl.id = t.template_id
    RETURNING
      t.status::text AS status,
      t.input,
      t.attempts,
      tpl.provider,
      tpl.model,
      tpl.system_prompt AS "systemPrompt",
      tpl.prompt_template AS "promptTemplate",
      tpl.variables,
      tpl.temperature,
      tpl.max_tokens AS "maxTokens",
      tpl.output_schema AS "outputSchema",
      (SELECT s.base_url FROM ai_provider_settings AS s
        WHERE s.organization_id = t.organization_id) AS "baseUrl",
      EXISTS (SELECT 1 FROM vault_secrets AS v
        WHERE v.organization_id = t.organization_id AND v.name = ${ownKeySecretName}) AS "hasOwnKey",
      (SELECT max(c.seq) FROM ai_task_chunks AS c WHERE c.task_id = t.id) AS "lastSeq",
      (SELECT sub.current_period_start FROM subscriptions AS sub
        WHERE sub.organization_id = t.organization_id) AS "currentPeriodStart"`;
  const row = rows[0];
  return row === undefined ? null : claimedRow.parse(row);
}

export interface TaskOutcome {
  result: Prisma.InputJsonValue;
  resultText: string;
  provider: string;
  offline: boolean;
  keySource: "platform" | "organization" | "none";
  model: string;
  promptTokens: number;
  completionTokens: number;
  tokensEstimated: boolean;
  costMicroCents: bigint | null;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  attempts: number;
}

/**
 * RUNNING → SUCCEEDED in one statement: the outcome, the stream's last chunk (if any) and the
 * organization's `ai.tokens` counter (its period from the claim). False when the task was no
 * longer RUNNING (nothing written).
 */
export async function completeTask(
  prisma: PrismaClient,
  task: { taskId: string; organizationId: string; currentPeriodStart: Date | null },
  outcome: TaskOutcome,
  lastChunk: ChunkRow | null,
): Promise<boolean> {
  const tokens = outcome.promptTokens + outcome.completionTokens;
  const periodStart = usagePeriodStart({ currentPeriodStart: task.currentPeriodStart }, new Date());
  const chunk = lastChunk
    ? Prisma.sql`, last_chunk AS (
        INSERT INTO ai_task_chunks (organization_id, task_id, attempt, seq, text)
        SELECT done.organization_id, done.id, ${lastChunk.attempt}, ${lastChunk.seq}, ${lastChunk.text}
        FROM done)`
    : Prisma.empty;
  const rows = await prisma.$queryRaw<{ done: number }[]>`
    WITH done AS (
      UPDATE ai_tasks SET
        status = 'SUCCEEDED',
        result = ${JSON.stringify(outcome.result)}::jsonb,
        result_text = ${outcome.resultText},
        provider = ${outcome.provider},
        offline = ${outcome.offline},
        key_source = ${outcome.keySource},
        model = ${outcome.model},
        prompt_tokens = ${outcome.promptTokens},
        completion_tokens = ${outcome.completionTokens},
        tokens_estimated = ${outcome.tokensEstimated},
        cost_micro_cents = ${outcome.costMicroCents}::bigint,
        latency_ms = ${outcome.latencyMs},
        time_to_first_token_ms = ${outcome.timeToFirstTokenMs}::int,
        attempts = ${outcome.attempts},
        error_code = NULL,
        error_message = NULL,
        finished_at = now() AT TIME ZONE 'UTC',
        updated_at = now() AT TIME ZONE 'UTC'
      WHERE id = ${task.taskId} AND organization_id = ${task.organizationId} AND status = 'RUNNING'
      RETURNING id, organization_id
    )${chunk},
    -- The token meter: counted for every plan (metered plans bill its overage).
    tokens AS (
      SELECT done.organization_id, 'ai.tokens'::text AS meter,
        ${periodStart}::timestamp(3) AS period_start, ${tokens}::bigint AS quantity
      FROM done WHERE ${tokens}::bigint > 0
    ),
    counted AS (${Prisma.raw(advanceCountersSql("tokens"))})
    SELECT count(*)::int AS done FROM done`;
  return (rows[0]?.done ?? 0) > 0;
}
