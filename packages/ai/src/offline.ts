// The built-in offline provider: no network, no model. It answers every request with text (or,
// given an output schema, JSON of that shape) derived deterministically from the request — the
// same request always gets the same answer — and streams it token by token, so a fresh
// checkout runs the AI product end to end without any key. Everything it returns says it is
// the offline demo: provider id "offline", and plain-text answers start with OFFLINE_PREFIX.
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { ProviderError } from "./errors.ts";
import {
  ChatStream,
  validateChatRequest,
  type AiProvider,
  type CallOptions,
  type ChatRequest,
  type ChatResult,
  type ValidChatRequest,
} from "./provider.ts";
import { UnsupportedSchemaError, sampleFromSchema } from "./schema-sample.ts";
import { countPromptTokens, tokenize } from "./tokenizer.ts";

export const OFFLINE_PROVIDER_ID = "offline";
export const OFFLINE_PROVIDER_NAME = "Offline demo provider (no network)";
export const OFFLINE_DEFAULT_MODEL = "offline-demo";
export const OFFLINE_PREFIX = "[Offline demo — no model was called]";

/** Completion length when the request sets no maxTokens. */
const DEFAULT_MAX_TOKENS = 256;

const VOCABULARY = [
  "customers",
  "the team",
  "this week",
  "the plan",
  "our goal",
  "results",
  "the next step",
  "priorities",
  "the release",
  "feedback",
  "a summary",
  "the numbers",
  "quality",
  "the budget",
  "risks",
  "the roadmap",
  "a decision",
  "the timeline",
  "progress",
  "the outcome",
];
const VERBS = [
  "improves",
  "supports",
  "clarifies",
  "shapes",
  "drives",
  "reflects",
  "depends on",
  "informs",
  "changes",
  "strengthens",
];

export interface OfflineProviderOptions {
  /** Pause between streamed tokens (demos that should look live). Default 0. */
  tokenDelayMs?: number | undefined;
}

export function createOfflineProvider(options: OfflineProviderOptions = {}): AiProvider {
  return new OfflineProvider(options.tokenDelayMs ?? 0);
}

/** A seeded PRNG (mulberry32): small, fast, and the same sequence for the same seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed of a request: a hash of everything that shapes the answer. */
function requestSeed(request: ValidChatRequest): number {
  const hash = createHash("sha256").update(
    JSON.stringify([
      request.model,
      request.system ?? null,
      request.messages,
      request.temperature ?? null,
      request.outputSchema
        ? z.toJSONSchema(request.outputSchema, { unrepresentable: "any" })
        : null,
    ]),
  );
  return hash.digest().readUInt32BE(0);
}

class OfflineProvider implements AiProvider {
  readonly id = OFFLINE_PROVIDER_ID;
  readonly name = OFFLINE_PROVIDER_NAME;
  readonly offline = true;

  constructor(private readonly tokenDelayMs: number) {}

  stream(request: ChatRequest, options: CallOptions = {}): ChatStream {
    return new ChatStream(this.#run(validateChatRequest(request), options.signal));
  }

  #answer(request: ValidChatRequest): string {
    const random = seededRandom(requestSeed(request));
    if (request.outputSchema) {
      try {
        return JSON.stringify(sampleFromSchema(request.outputSchema, random));
      } catch (error) {
        if (!(error instanceof UnsupportedSchemaError)) throw error;
        throw new ProviderError(
          "request_rejected",
          `The offline provider cannot answer with this output schema: ${error.message}`,
          { provider: this.id },
        );
      }
    }
    const lastUser = [...request.messages].reverse().find((message) => message.role === "user");
    const words = (lastUser?.content ?? "").trim().split(/\s+/).filter(Boolean);
    const quoted = words.slice(0, 12).join(" ") + (words.length > 12 ? " …" : "");
    const pick = (items: readonly string[]) => items[Math.floor(random() * items.length)] ?? "";
    const sentences = Array.from({ length: 2 + Math.floor(random() * 3) }, () => {
      const sentence = `${pick(VOCABULARY)} ${pick(VERBS)} ${pick(VOCABULARY)}`;
      return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
    });
    return `${OFFLINE_PREFIX} You asked: "${quoted}". ${sentences.join(" ")}`;
  }

  async *#run(
    request: ValidChatRequest,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<string, ChatResult, undefined> {
    const started = performance.now();
    const cancelled = () =>
      new ProviderError("cancelled", "The AI provider call was cancelled", { provider: this.id });
    if (signal?.aborted) throw cancelled();
    const pieces = tokenize(this.#answer(request));
    const limit = request.maxTokens ?? DEFAULT_MAX_TOKENS;
    const streamed = pieces.slice(0, limit);
    let timeToFirstTokenMs: number | undefined;
    for (const piece of streamed) {
      if (this.tokenDelayMs > 0) {
        try {
          await sleep(this.tokenDelayMs, undefined, { signal });
        } catch {
          throw cancelled();
        }
      }
      if (signal?.aborted) throw cancelled();
      timeToFirstTokenMs ??= performance.now() - started;
      yield piece;
    }
    const promptTokens = countPromptTokens(
      request.system,
      request.messages.map((message) => message.content),
    );
    return {
      provider: this.id,
      model: request.model,
      text: streamed.join(""),
      finishReason: pieces.length > limit ? "length" : "stop",
      usage: {
        promptTokens,
        completionTokens: streamed.length,
        totalTokens: promptTokens + streamed.length,
        estimated: true,
      },
      latencyMs: performance.now() - started,
      timeToFirstTokenMs,
      attempts: 1,
    };
  }
}
