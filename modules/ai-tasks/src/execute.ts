// One attempt of one AI task, as the worker runs it (system client: the worker acts across
// tenants, by design). QUEUED → RUNNING, the provider call through @plinth/ai (the platform's
// key, the organization's own from the vault — at its own base URL if it saved one, behind the
// SSRF guard — or the offline demo provider), token deltas appended to ai_task_chunks (the
// task page streams them: the first at once, the rest batched across tasks, chunk-writer.ts),
// the result checked against the template's JSON Schema, tokens and cost recorded, `ai.tokens`
// counted. Claim and completion are one statement each (task-rows.ts). A
// retryable failure (429/5xx/timeout after the adapter's own retries, output that does not
// match the schema) schedules the next attempt as a new job at Retry-After or a backoff;
// cancellation (cancelRequestedAt, polled) aborts the provider call.
import {
  AiError,
  backoffDelayMs,
  costOf,
  createOfflineProvider,
  createOpenAICompatibleProvider,
  DEFAULT_RETRY_POLICY,
  destinationFetch,
  parseJsonOutput,
  ProviderError,
  scrubSecret,
  type AiProvider,
  type ChatResult,
  type PriceTable,
} from "@plinth/ai";
import type { AiEnv } from "@plinth/ai/env";
import type { Logger } from "@plinth/core/logger";
import { type Prisma, type PrismaClient } from "@plinth/db";
import { enqueue } from "@plinth/jobs";
import { isVaultError, readSecret, type Keyring } from "@plinth/vault";
import { watchCancellation } from "./cancel-watch.ts";
import { chunkWriter, type ChunkRow } from "./chunk-writer.ts";
import { aiTasksJobs, MAX_TASK_ATTEMPTS } from "./jobs.ts";
import { claimTask, completeTask, type ClaimedTask } from "./task-rows.ts";
import { outputSchemaOf, renderPrompt, taskInputSchema, templateVariablesSchema } from "./json.ts";

/** The vault entry of an organization's own OpenAI-compatible key. */
export const ORGANIZATION_KEY_SECRET = "ai.openai.api_key";

export interface ExecuteDeps {
  prisma: PrismaClient;
  log: Logger;
  /** The platform's provider settings (OPENAI_API_KEY, OPENAI_BASE_URL, timeouts). */
  env: AiEnv;
  /** The vault's keyring (default: ENCRYPTION_KEYS). */
  keyring?: Keyring | undefined;
  /** Model → price (micro-cents per 1M tokens); a model without one has no cost. */
  prices: PriceTable;
  /** How often running tasks are checked for a cancellation, all in one query (default 200 ms). */
  cancelPollMs?: number;
  /** Token deltas gathered per chunk row after the first (default 50 ms). */
  flushMs?: number;
  /** Offline provider's pause between tokens (demos look live; default 0). */
  offlineTokenDelayMs?: number;
  /** Task-level retry backoff (default: @plinth/ai's policy). */
  retryBaseDelayMs?: number;
}

export interface AttemptPayload {
  taskId: string;
  organizationId: string;
  attempt: number;
}

type Resolved =
  | {
      ok: true;
      provider: AiProvider;
      keySource: "platform" | "organization" | "none";
      key: string | null;
    }
  | { ok: false; message: string };

async function resolveProvider(
  deps: ExecuteDeps,
  organizationId: string,
  claimed: Pick<ClaimedTask, "provider" | "baseUrl" | "hasOwnKey">,
): Promise<Resolved> {
  if (claimed.provider === "offline") {
    return {
      ok: true,
      provider: createOfflineProvider({ tokenDelayMs: deps.offlineTokenDelayMs }),
      keySource: "none",
      key: null,
    };
  }
  let own: Awaited<ReturnType<typeof readSecret>> = null;
  // The claim said whether the vault holds a key: read (and decrypt) it only then.
  if (claimed.hasOwnKey) {
    try {
      own = await readSecret(
        deps.prisma,
        { organizationId, name: ORGANIZATION_KEY_SECRET },
        deps.keyring,
      );
    } catch (error) {
      // No vault configured: no organization can have stored a key (setKey refuses then).
      if (isVaultError(error, "NOT_CONFIGURED")) own = null;
      else return { ok: false, message: "The organization's own key cannot be read (vault)" };
    }
  }
  const settings = claimed.baseUrl === null ? null : { baseUrl: claimed.baseUrl };
  const common = {
    timeoutMs: deps.env.AI_REQUEST_TIMEOUT_MS,
    retry: { maxRetries: deps.env.AI_MAX_RETRIES },
    logger: deps.log,
  };
  if (settings) {
    // The organization's own endpoint takes only its own key: the platform's never goes there.
    const ownKey = own?.reveal();
    if (!ownKey) {
      return {
        ok: false,
        message:
          "The organization's own base URL needs its own key (AI settings): the platform's key is not sent to it",
      };
    }
    return {
      ok: true,
      provider: createOpenAICompatibleProvider({
        ...common,
        apiKey: ownKey,
        baseURL: settings.baseUrl,
        fetch: destinationFetch({ allowPrivateNetworks: deps.env.AI_ALLOW_PRIVATE_NETWORKS }),
      }),
      keySource: "organization",
      key: ownKey,
    };
  }
  const key = own?.reveal() ?? deps.env.OPENAI_API_KEY ?? null;
  if (!key) {
    return {
      ok: false,
      message:
        "No provider key: set the organization's own key (AI settings) or OPENAI_API_KEY, or use the offline provider",
    };
  }
  return {
    ok: true,
    provider: createOpenAICompatibleProvider({
      ...common,
      apiKey: key,
      ...(deps.env.OPENAI_BASE_URL ? { baseURL: deps.env.OPENAI_BASE_URL } : {}),
    }),
    keySource: own ? "organization" : "platform",
    key,
  };
}

function errorText(error: unknown, key: string | null): { code: string; message: string } {
  const raw =
    error instanceof AiError
      ? { code: error.code, message: error.message }
      : { code: "internal", message: "The task failed (see the worker log)" };
  return { code: raw.code, message: key ? scrubSecret(raw.message, key) : raw.message };
}

/** One attempt of a task (the aiTasks.run job). Never throws for a provider's failure. */
export async function executeTaskAttempt(
  deps: ExecuteDeps,
  payload: AttemptPayload,
  signal: AbortSignal,
): Promise<void> {
  const { prisma } = deps;
  const { taskId, organizationId, attempt } = payload;
  const task = await claimTask(prisma, { taskId, organizationId }, ORGANIZATION_KEY_SECRET);
  // Gone, finished, or cancelled before it started (the claim finished it).
  if (!task || task.status === "CANCELLED") return;
  const now = () => new Date();

  const fail = (error: { code: string; message: string }, attempts: number) =>
    prisma.aiTask.updateMany({
      where: { id: taskId, status: "RUNNING" },
      data: {
        status: "FAILED",
        errorCode: error.code,
        errorMessage: error.message.slice(0, 2_000),
        attempts,
        finishedAt: now(),
      },
    });

  const variables = templateVariablesSchema.safeParse(task.variables);
  const input = taskInputSchema.safeParse(task.input);
  let prompt: string;
  let outputSchema: ReturnType<typeof outputSchemaOf> | undefined;
  try {
    if (!variables.success || !input.success) throw new Error("stored template or input invalid");
    prompt = renderPrompt(task.promptTemplate, variables.data, input.data);
    outputSchema = task.outputSchema === null ? undefined : outputSchemaOf(task.outputSchema);
  } catch {
    await fail(
      { code: "template_invalid", message: "The template no longer accepts this input" },
      task.attempts,
    );
    return;
  }

  const resolved = await resolveProvider(deps, organizationId, task);
  if (!resolved.ok) {
    await fail({ code: "provider_not_configured", message: resolved.message }, task.attempts);
    return;
  }
  const { provider, keySource, key } = resolved;

  // Cancellation: the job's own signal (worker stopping) or a cancel request (polled).
  const controller = new AbortController();
  // One signal for the provider call; AbortSignal.any holds no listener on the worker's shared
  // signal (one per job on it would pile up with the concurrency).
  const callSignal = AbortSignal.any([signal, controller.signal]);
  let cancelled = false;
  const stopWatching = watchCancellation(prisma, taskId, deps.cancelPollMs ?? 200, () => {
    if (callSignal.aborted) return;
    cancelled = true;
    controller.abort(new Error("cancelled"));
  });

  const writer = chunkWriter(
    prisma,
    { organizationId, taskId, attempt },
    task.lastSeq ?? 0,
    deps.flushMs ?? 50,
  );
  let lastChunk: ChunkRow | null = null;
  let result: ChatResult | undefined;
  let failure: unknown;
  let providerAttempts = 1;
  try {
    const stream = provider.stream(
      {
        model: task.model,
        ...(task.systemPrompt ? { system: task.systemPrompt } : {}),
        messages: [{ role: "user", content: prompt }],
        ...(task.temperature !== null ? { temperature: task.temperature } : {}),
        ...(task.maxTokens !== null ? { maxTokens: task.maxTokens } : {}),
        ...(outputSchema ? { outputSchema } : {}),
      },
      { signal: callSignal },
    );
    for await (const delta of stream) writer.push(delta);
    result = await stream.result();
    providerAttempts = result.attempts;
  } catch (error) {
    failure = error;
    if (error instanceof ProviderError) providerAttempts = error.attempts;
  } finally {
    stopWatching();
    lastChunk = await writer.finish().catch((error: unknown) => {
      deps.log.warn({ err: error, taskId }, "ai task: chunk write failed");
      return null;
    });
  }
  // Every path but success writes the stream's rest now; success writes it with its outcome.
  const writeLastChunk = async () => {
    if (!lastChunk) return;
    const row = lastChunk;
    lastChunk = null;
    await prisma.aiTaskChunk.create({ data: row, select: { id: true } }).catch((error: unknown) => {
      deps.log.warn({ err: error, taskId }, "ai task: chunk write failed");
    });
  };
  const attempts = task.attempts + providerAttempts;

  if (cancelled) {
    await writeLastChunk();
    await prisma.aiTask.updateMany({
      where: { id: taskId, status: "RUNNING" },
      data: { status: "CANCELLED", attempts, finishedAt: now() },
    });
    return;
  }
  if (signal.aborted) {
    await writeLastChunk();
    // The worker is stopping: this attempt did not happen; graphile-worker runs the job again.
    await prisma.aiTask.updateMany({
      where: { id: taskId, status: "RUNNING" },
      data: { status: "QUEUED", attempts },
    });
    throw new Error("worker stopping: the attempt will run again");
  }

  let parsed: unknown;
  if (result && outputSchema) {
    try {
      parsed = parseJsonOutput(outputSchema, result.text);
    } catch (error) {
      failure = error;
    }
  }

  if (failure !== undefined || !result) {
    await writeLastChunk();
    const error = errorText(failure, key);
    const retryable = failure instanceof AiError && failure.retryable;
    if (!(failure instanceof AiError)) deps.log.error({ err: failure, taskId }, "ai task failed");
    if (retryable && attempt < MAX_TASK_ATTEMPTS) {
      const waitMs =
        (failure instanceof ProviderError ? failure.retryAfterMs : undefined) ??
        backoffDelayMs(attempt, {
          ...DEFAULT_RETRY_POLICY,
          baseDelayMs: deps.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
        });
      await prisma.$transaction(async (tx) => {
        await tx.aiTask.updateMany({
          where: { id: taskId, status: "RUNNING" },
          data: {
            status: "QUEUED",
            errorCode: error.code,
            errorMessage: `Attempt ${attempt} failed, retrying: ${error.message}`.slice(0, 2_000),
            attempts,
          },
        });
        await enqueue(
          tx,
          aiTasksJobs.run,
          { taskId, organizationId, attempt: attempt + 1 },
          { runAt: new Date(Date.now() + waitMs) },
        );
      });
      deps.log.info(
        { taskId, attempt, waitMs, code: error.code },
        "ai task: attempt failed, retrying",
      );
      return;
    }
    await fail(error, attempts);
    return;
  }

  const cost =
    costOf(deps.prices, task.model, result.usage) ??
    costOf(deps.prices, result.model, result.usage);
  await completeTask(
    prisma,
    { taskId, organizationId, currentPeriodStart: task.currentPeriodStart },
    {
      result: (outputSchema ? parsed : { text: result.text }) as Prisma.InputJsonValue,
      resultText: result.text,
      provider: task.provider,
      offline: provider.offline,
      keySource,
      model: result.model,
      promptTokens: result.usage.promptTokens,
      completionTokens: result.usage.completionTokens,
      tokensEstimated: result.usage.estimated,
      costMicroCents: cost ? BigInt(cost.totalMicroCents) : null,
      latencyMs: Math.round(result.latencyMs),
      timeToFirstTokenMs:
        result.timeToFirstTokenMs === undefined ? null : Math.round(result.timeToFirstTokenMs),
      attempts,
    },
    lastChunk,
  );
}
