// Chat completions from any OpenAI-compatible server (OpenAI, Azure OpenAI's v1 endpoint,
// OpenRouter, vLLM, Ollama) through the official `openai` SDK, streamed.
//
// Retries are ours, not the SDK's (it runs with maxRetries: 0). Checked against the test server
// (scripts/sdk-retry-check.ts, docs/ai.md): the SDK also retries 408 and 409, sleeps through any
// Retry-After however long (an hour holds a worker slot for an hour), and does not wake up when
// the call is cancelled during that sleep. Here: only 429 and 5xx (and connection failures and
// timeouts) are retried, only before the first token (a retry after streamed output would
// repeat it), a cancelled call stops waiting at once, and a Retry-After above
// `maxRetryAfterMs` fails fast with `retryAfterMs` so the job is rescheduled instead.
import { setTimeout as sleep } from "node:timers/promises";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAI,
} from "openai";
import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import { z } from "zod";
import type { Logger } from "@plinth/core/logger";
import { destinationRefusal } from "@plinth/core/ssrf";
import { ProviderError, type ProviderErrorCode } from "./errors.ts";
import { scrubSecret } from "./keys.ts";
import {
  ChatStream,
  validateChatRequest,
  type AiProvider,
  type CallOptions,
  type ChatRequest,
  type ChatResult,
  type FinishReason,
  type ValidChatRequest,
} from "./provider.ts";
import {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  isRetryableStatus,
  retryAfterMs,
  type RetryPolicy,
} from "./retry.ts";
import { countPromptTokens, countTokens } from "./tokenizer.ts";

export const OPENAI_COMPATIBLE_PROVIDER_ID = "openai-compatible";
export const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
export const DEFAULT_TIMEOUT_MS = 60_000;

export const openAICompatibleOptionsSchema = z.object({
  /**
   * The platform key or an organization's own: always given, never read from the environment
   * here (the SDK would fall back to OPENAI_API_KEY, sending the platform's key to whatever
   * base URL an organization configured). Servers without auth (Ollama) take any placeholder.
   */
  apiKey: z.string().trim().min(1),
  baseURL: z.url({ protocol: /^https?$/ }).default(DEFAULT_OPENAI_BASE_URL),
  /** Longest silence from the provider: before the response starts and between chunks. */
  timeoutMs: z.number().int().positive().default(DEFAULT_TIMEOUT_MS),
  retry: z
    .object({
      maxRetries: z.number().int().min(0).max(10),
      baseDelayMs: z.number().int().min(0),
      maxDelayMs: z.number().int().min(0),
      maxRetryAfterMs: z.number().int().min(0),
    })
    .partial()
    .default({}),
  /** Extra headers on every request (OpenRouter's HTTP-Referer / X-Title, a proxy's tenant). */
  headers: z.record(z.string(), z.string()).default({}),
  /** Extra query parameters (Azure's pre-v1 `api-version`). */
  query: z.record(z.string(), z.string()).default({}),
  /**
   * How an output schema is asked for: `json_schema` (OpenAI, Azure, vLLM, Ollama ≥ 0.5),
   * `json_object` (servers with JSON mode only), `none` (the prompt must ask for JSON).
   */
  jsonMode: z.enum(["json_schema", "json_object", "none"]).default("json_schema"),
  /** OpenAI's reasoning models refuse `max_tokens`; some older servers know only it. */
  maxTokensParameter: z
    .enum(["max_completion_tokens", "max_tokens"])
    .default("max_completion_tokens"),
});

export type OpenAICompatibleOptions = z.input<typeof openAICompatibleOptionsSchema> & {
  /** Retries and failures are logged here (never the key). Default: no logging. */
  logger?: Logger | undefined;
  /** Jitter source (tests). */
  random?: (() => number) | undefined;
  /**
   * The HTTP client (default: the SDK's, global fetch). An organization's own base URL gets
   * destinationFetch (the SSRF guard); a refusal becomes `destination_refused`.
   */
  fetch?: typeof fetch | undefined;
};

/** Why the adapter aborted its own request (the caller's signal carries the caller's reason). */
const TIMED_OUT = Symbol("timed out");

export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions): AiProvider {
  return new OpenAICompatibleProvider(options);
}

class OpenAICompatibleProvider implements AiProvider {
  readonly id = OPENAI_COMPATIBLE_PROVIDER_ID;
  readonly name = "OpenAI-compatible API";
  readonly offline = false;
  readonly baseURL: string;
  // Private fields: the SDK client holds the key; util.inspect, JSON and loggers never see it.
  readonly #client: OpenAI;
  readonly #apiKey: string;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #jsonMode: "json_schema" | "json_object" | "none";
  readonly #maxTokensParameter: "max_completion_tokens" | "max_tokens";
  readonly #logger: Logger | undefined;
  readonly #random: () => number;

  constructor({ logger, random, fetch, ...input }: OpenAICompatibleOptions) {
    const parsed = openAICompatibleOptionsSchema.safeParse(input);
    if (!parsed.success) {
      // Only the names of the bad options: a message must not carry the key it was given.
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".")))];
      throw new TypeError(`Invalid OpenAI-compatible provider options: ${fields.join(", ")}`);
    }
    const config = parsed.data;
    this.baseURL = config.baseURL;
    this.#apiKey = config.apiKey;
    this.#timeoutMs = config.timeoutMs;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...config.retry };
    this.#jsonMode = config.jsonMode;
    this.#maxTokensParameter = config.maxTokensParameter;
    this.#logger = logger;
    this.#random = random ?? Math.random;
    this.#client = new OpenAI({
      apiKey: config.apiKey,
      baseURL: config.baseURL,
      // Explicit nulls: otherwise the SDK reads OPENAI_ORG_ID / OPENAI_PROJECT_ID from the
      // environment and sends the platform's organization with an organization's own key.
      organization: null,
      project: null,
      defaultHeaders: config.headers,
      defaultQuery: config.query,
      maxRetries: 0,
      timeout: config.timeoutMs,
      // The SDK logs to the console by default; this package logs through pino.
      logLevel: "off",
      ...(fetch ? { fetch } : {}),
    });
  }

  stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
    const valid = validateChatRequest(request);
    return new ChatStream(this.#run(valid, options.signal));
  }

  #body(request: ValidChatRequest): ChatCompletionCreateParamsStreaming {
    const messages: ChatCompletionMessageParam[] = [
      ...(request.system === undefined
        ? []
        : [{ role: "system" as const, content: request.system }]),
      ...request.messages,
    ];
    return {
      model: request.model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.maxTokens === undefined ? {} : { [this.#maxTokensParameter]: request.maxTokens }),
      ...(request.outputSchema === undefined || this.#jsonMode === "none"
        ? {}
        : this.#jsonMode === "json_object"
          ? { response_format: { type: "json_object" } }
          : {
              response_format: {
                type: "json_schema",
                json_schema: {
                  name: "output",
                  schema: z.toJSONSchema(request.outputSchema, {
                    io: "input",
                    unrepresentable: "any",
                  }),
                  strict: false,
                },
              },
            }),
    };
  }

  async *#run(
    request: ValidChatRequest,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<string, ChatResult, undefined> {
    const started = performance.now();
    const body = this.#body(request);
    for (let attempt = 1; ; attempt++) {
      const controller = new AbortController();
      const cancel = () => controller.abort(signal?.reason);
      signal?.addEventListener("abort", cancel, { once: true });
      let silence: NodeJS.Timeout | undefined;
      const stopSilenceTimer = () => clearTimeout(silence);
      const startSilenceTimer = () => {
        stopSilenceTimer();
        silence = setTimeout(() => controller.abort(TIMED_OUT), this.#timeoutMs);
      };
      let timeToFirstTokenMs: number | undefined;
      try {
        if (signal?.aborted) throw this.#cancelled(attempt);
        startSilenceTimer();
        const stream = await this.#client.chat.completions.create(body, {
          signal: controller.signal,
        });
        startSilenceTimer();
        let text = "";
        let model = request.model;
        let finishReason: FinishReason = "other";
        let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
        for await (const chunk of stream) {
          startSilenceTimer();
          if (chunk.model) model = chunk.model;
          if (chunk.usage) usage = chunk.usage;
          const choice = chunk.choices[0];
          if (choice?.finish_reason) finishReason = normaliseFinishReason(choice.finish_reason);
          const delta = choice?.delta?.content;
          if (delta) {
            text += delta;
            timeToFirstTokenMs ??= performance.now() - started;
            // The consumer's pace is not the provider's silence.
            stopSilenceTimer();
            yield delta;
            startSilenceTimer();
          }
        }
        // The SDK ends the iteration quietly when its request is aborted: that is no answer.
        if (controller.signal.aborted) throw new Error("aborted");
        const promptTokens =
          usage?.prompt_tokens ??
          countPromptTokens(
            request.system,
            request.messages.map((message) => message.content),
          );
        const completionTokens = usage?.completion_tokens ?? countTokens(text);
        return {
          provider: this.id,
          model,
          text,
          finishReason,
          usage: {
            promptTokens,
            completionTokens,
            totalTokens: promptTokens + completionTokens,
            estimated: usage === undefined,
          },
          latencyMs: performance.now() - started,
          timeToFirstTokenMs,
          attempts: attempt,
        };
      } catch (error) {
        const failure = this.#classify(error, controller.signal, signal, {
          attempt,
          streamed: timeToFirstTokenMs !== undefined,
        });
        // Once tokens went out, a retry would repeat them: the caller decides.
        const delayMs =
          timeToFirstTokenMs === undefined ? this.#retryDelay(failure, attempt) : undefined;
        if (delayMs === undefined) {
          this.#logger?.warn(
            {
              provider: this.id,
              model: request.model,
              attempt,
              code: failure.code,
              status: failure.status,
              error: failure.message,
            },
            "AI provider call failed",
          );
          throw failure;
        }
        this.#logger?.warn(
          {
            provider: this.id,
            model: request.model,
            attempt,
            code: failure.code,
            status: failure.status,
            error: failure.message,
            delayMs,
          },
          "AI provider call failed; retrying",
        );
        try {
          await sleep(delayMs, undefined, { signal });
        } catch {
          throw this.#cancelled(attempt);
        }
      } finally {
        stopSilenceTimer();
        signal?.removeEventListener("abort", cancel);
        // Closes the connection when the consumer stopped reading early.
        controller.abort();
      }
    }
  }

  /** How long to wait before the next attempt, or undefined when this failure is final. */
  #retryDelay(failure: ProviderError, attempt: number): number | undefined {
    const retriedInPlace: readonly ProviderErrorCode[] = [
      "rate_limited",
      "provider_unavailable",
      "timeout",
      "connection_failed",
    ];
    if (!retriedInPlace.includes(failure.code) || attempt > this.#retry.maxRetries)
      return undefined;
    if (failure.retryAfterMs !== undefined) {
      return failure.retryAfterMs > this.#retry.maxRetryAfterMs ? undefined : failure.retryAfterMs;
    }
    return backoffDelayMs(attempt, this.#retry, this.#random);
  }

  #cancelled(attempt: number): ProviderError {
    return new ProviderError("cancelled", "The AI provider call was cancelled", {
      provider: this.id,
      attempts: attempt,
    });
  }

  #classify(
    error: unknown,
    attemptSignal: AbortSignal,
    callerSignal: AbortSignal | undefined,
    { attempt, streamed }: { attempt: number; streamed: boolean },
  ): ProviderError {
    if (error instanceof ProviderError) return error;
    const details = { provider: this.id, attempts: attempt };
    const scrub = (message: string) => scrubSecret(message, this.#apiKey);
    if (callerSignal?.aborted) return this.#cancelled(attempt);
    if (
      attemptSignal.reason === TIMED_OUT ||
      error instanceof APIConnectionTimeoutError ||
      (error instanceof APIUserAbortError && attemptSignal.reason === TIMED_OUT)
    ) {
      return new ProviderError(
        "timeout",
        `The AI provider sent nothing for ${this.#timeoutMs} ms`,
        details,
      );
    }
    if (error instanceof APIError && typeof error.status === "number") {
      const status = error.status;
      const code: ProviderErrorCode =
        status === 429
          ? "rate_limited"
          : isRetryableStatus(status)
            ? "provider_unavailable"
            : status === 401 || status === 403
              ? "authentication_failed"
              : "request_rejected";
      return new ProviderError(code, `AI provider answered ${scrub(error.message)}`, {
        ...details,
        status,
        retryAfterMs: retryAfterMs(error.headers as Headers | undefined),
      });
    }
    const message = error instanceof Error ? scrub(error.message) : "unknown error";
    if (streamed) {
      return new ProviderError(
        "stream_interrupted",
        `The AI provider's stream broke off: ${message}`,
        details,
      );
    }
    const refused = destinationRefusal(error);
    if (refused) return new ProviderError("destination_refused", refused.message, details);
    if (error instanceof APIConnectionError) {
      return new ProviderError(
        "connection_failed",
        `Could not reach the AI provider: ${message}`,
        details,
      );
    }
    // An error event inside the stream, before any token, or a body the SDK could not read.
    return new ProviderError("provider_unavailable", `The AI provider failed: ${message}`, details);
  }
}

function normaliseFinishReason(reason: string): FinishReason {
  return reason === "stop" || reason === "length" || reason === "content_filter" ? reason : "other";
}
