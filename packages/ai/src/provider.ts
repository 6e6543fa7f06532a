// The provider adapter interface: one chat request shape, one streaming result shape, for every
// provider (OpenAI-compatible servers, the offline demo provider, later others). Adapters are
// transport- and database-free: the caller (a job, the voice module) passes the key, the signal
// and a logger, and stores what comes back.
import { z } from "zod";
import { InvalidRequestError, issueList } from "./errors.ts";

export const chatMessageSchema = z.object({
  role: z.enum(["user", "assistant"]),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

const zodSchema = z.custom<z.ZodType>((value) => value instanceof z.ZodType, {
  message: "must be a zod schema",
});

/** What every adapter accepts (validated with chatRequestSchema before any provider call). */
export const chatRequestSchema = z.object({
  model: z.string().trim().min(1).max(200),
  /** The system prompt. */
  system: z.string().optional(),
  messages: z.array(chatMessageSchema).min(1),
  /** 0–2, as in the Chat Completions API. Unset: the provider's default. */
  temperature: z.number().min(0).max(2).optional(),
  /** Most completion tokens to generate. Unset: the provider's default. */
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  /**
   * Ask for JSON of this shape. Adapters pass it on (response_format json_schema) or generate
   * to it (offline); the caller validates the text with `parseJsonOutput` either way.
   */
  outputSchema: zodSchema.optional(),
});
export type ChatRequest = z.input<typeof chatRequestSchema>;

/** The request after validation (adapters work on this). */
export type ValidChatRequest = z.output<typeof chatRequestSchema>;

export function validateChatRequest(request: ChatRequest): ValidChatRequest {
  const parsed = chatRequestSchema.safeParse(request);
  if (!parsed.success) throw new InvalidRequestError(issueList(parsed.error.issues));
  return parsed.data;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** true: counted by the approximate tokenizer (offline, or a provider that sent no usage). */
  estimated: boolean;
}

/** Normalised from each provider's own values (OpenAI's tool_calls, function_call → other). */
export type FinishReason = "stop" | "length" | "content_filter" | "other";

export interface ChatResult {
  /** Adapter id: "openai-compatible" | "offline". */
  provider: string;
  /** The model that answered (as the provider names it; may differ from the requested alias). */
  model: string;
  text: string;
  finishReason: FinishReason;
  usage: TokenUsage;
  /** From the call to the last byte, retries and their waits included. */
  latencyMs: number;
  /** From the call to the first token (undefined when no token came). */
  timeToFirstTokenMs: number | undefined;
  /** Attempts made (1 = no retry). */
  attempts: number;
}

export interface CallOptions {
  /** Aborting it stops the provider call (the HTTP connection is closed). */
  signal?: AbortSignal | undefined;
}

export interface AiProvider {
  /** Stable id stored with each result: "openai-compatible", "offline". */
  readonly id: string;
  /** Human label for the UI ("Offline demo provider (no network)"). */
  readonly name: string;
  /** true for providers that never call a model (shown as such in the UI and results). */
  readonly offline: boolean;
  /** Starts the call; iterate the stream for token deltas, then read `result()`. */
  stream(request: ChatRequest, options?: CallOptions): ChatStream;
}

/**
 * The token deltas of one call, read once: `for await (const delta of stream)`, then
 * `await stream.result()`. `result()` alone reads the whole stream. Leaving the loop early
 * (break, throw) stops the provider call.
 */
export class ChatStream implements AsyncIterable<string> {
  readonly #source: AsyncGenerator<string, ChatResult, undefined>;
  #reading = false;
  readonly #settled: Promise<ChatResult>;
  #settle!: { resolve: (result: ChatResult) => void; reject: (error: unknown) => void };

  constructor(source: AsyncGenerator<string, ChatResult, undefined>) {
    this.#source = source;
    this.#settled = new Promise<ChatResult>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // Nobody may ever call result(): its rejection must not become an unhandled one.
    this.#settled.catch(() => {});
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string, void, undefined> {
    if (this.#reading) throw new Error("A ChatStream can be read only once");
    this.#reading = true;
    try {
      for (;;) {
        const next = await this.#source.next();
        if (next.done) {
          this.#settle.resolve(next.value);
          return;
        }
        yield next.value;
      }
    } catch (error) {
      this.#settle.reject(error);
      throw error;
    } finally {
      // Left early (break): let the source close its connection.
      await this.#source.return(undefined as never);
      this.#settle.reject(new Error("The stream was not read to the end"));
    }
  }

  /** The final result; reads the remaining deltas if nobody is iterating. */
  async result(): Promise<ChatResult> {
    if (!this.#reading) for await (const _delta of this) void _delta;
    return this.#settled;
  }

  /** The text of the whole call (reads the stream). */
  async text(): Promise<string> {
    return (await this.result()).text;
  }
}
