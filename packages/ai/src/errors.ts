// The typed failures of @plinth/ai. Every error says whether trying the same thing again may
// succeed (`retryable`) and, when the provider said so, how long to wait first (`retryAfterMs`),
// so the job that runs an AI task can reschedule instead of guessing. Messages never contain an
// API key: provider text is scrubbed before it becomes a message (see keys.ts).

/** Why a provider call failed. */
export type ProviderErrorCode =
  /** 429 from the provider. */
  | "rate_limited"
  /** 5xx from the provider. */
  | "provider_unavailable"
  /** The provider stayed silent longer than the timeout (before or during the stream). */
  | "timeout"
  /** No HTTP answer at all (refused, reset, DNS). */
  | "connection_failed"
  /** The stream broke after tokens had arrived (not retried in place: output was emitted). */
  | "stream_interrupted"
  /** 401 / 403: the key is wrong or lacks access. */
  | "authentication_failed"
  /** Any other 4xx: the request itself is wrong (unknown model, too many tokens, …). */
  | "request_rejected"
  /** The caller's AbortSignal fired. */
  | "cancelled"
  /** The SSRF guard refused the base URL's address (private, loopback, link-local). */
  | "destination_refused";

export type AiErrorCode =
  | ProviderErrorCode
  | "invalid_request"
  | "invalid_output"
  | "template_invalid"
  | "template_variables_invalid";

export abstract class AiError extends Error {
  abstract readonly code: AiErrorCode;
  /** Trying the same call again may succeed. */
  abstract readonly retryable: boolean;
}

const RETRYABLE: Record<ProviderErrorCode, boolean> = {
  rate_limited: true,
  provider_unavailable: true,
  timeout: true,
  connection_failed: true,
  stream_interrupted: true,
  authentication_failed: false,
  request_rejected: false,
  cancelled: false,
  destination_refused: false,
};

export interface ProviderErrorDetails {
  /** Id of the adapter that failed ("openai-compatible", "offline"). */
  provider: string;
  /** HTTP status from the provider, when there was one. */
  status?: number | undefined;
  /** What the provider asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number | undefined;
  /** Attempts made, the failing one included. */
  attempts?: number | undefined;
}

export class ProviderError extends AiError {
  override name = "ProviderError";
  readonly retryable: boolean;
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;

  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    details: ProviderErrorDetails,
  ) {
    super(message);
    this.retryable = RETRYABLE[code];
    this.provider = details.provider;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts ?? 1;
  }

  /** The same failure after `attempts` attempts in total. */
  withAttempts(attempts: number): ProviderError {
    return new ProviderError(this.code, this.message, {
      provider: this.provider,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      attempts,
    });
  }
}

/** The request does not satisfy chatRequestSchema (empty messages, temperature out of range…). */
export class InvalidRequestError extends AiError {
  override name = "InvalidRequestError";
  readonly code = "invalid_request" as const;
  readonly retryable = false;
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(
      `Invalid AI request: ${issues.map((i) => `${i.path || "(request)"}: ${i.message}`).join("; ")}`,
    );
  }
}

/**
 * The completion is not JSON, or not JSON of the requested shape. Retryable: a model asked
 * again often answers correctly. `text` is the model's output (stored with the failed attempt).
 */
export class OutputValidationError extends AiError {
  override name = "OutputValidationError";
  readonly code = "invalid_output" as const;
  readonly retryable = true;
  constructor(
    readonly reason: "not_json" | "schema_mismatch",
    readonly issues: readonly { path: string; message: string }[],
    readonly text: string,
  ) {
    super(
      reason === "not_json"
        ? "The completion is not valid JSON"
        : `The completion does not match the output schema: ${issues
            .map((i) => `${i.path || "(root)"}: ${i.message}`)
            .join("; ")}`,
    );
  }
}

/** A template whose placeholders and declared variables disagree, or a bad render input. */
export class PromptTemplateError extends AiError {
  override name = "PromptTemplateError";
  readonly retryable = false;
  constructor(
    readonly code: "template_invalid" | "template_variables_invalid",
    readonly issues: readonly { variable: string; message: string }[],
  ) {
    super(
      `${code === "template_invalid" ? "Invalid prompt template" : "Invalid template variables"}: ${issues
        .map((i) => `${i.variable || "(variables)"}: ${i.message}`)
        .join("; ")}`,
    );
  }
}

/** zod issues as { path, message } pairs (paths dotted: `items.0.name`). */
export function issueList(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): { path: string; message: string }[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}
