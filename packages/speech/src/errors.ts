// The typed failures of @plinth/speech. HTTP providers (OpenAI, Deepgram, ElevenLabs) fail with
// @plinth/ai's ProviderError (same codes, `retryable`, `retryAfterMs`), so a job handles a speech
// call's failure exactly like a chat call's. What is new here: bad audio, and a local engine
// (PocketSphinx, espeak-ng, sox) that is not installed or crashed.
export { ProviderError, type ProviderErrorCode } from "@plinth/ai";

/** The audio is not what the package accepts (not PCM16 WAV, odd byte count, …). */
export class AudioFormatError extends Error {
  override name = "AudioFormatError";
  readonly code = "invalid_audio" as const;
  readonly retryable = false;
  constructor(detail: string) {
    super(`Invalid audio: ${detail}`);
  }
}

/** Text to speak or an option of an adapter is out of range. */
export class SpeechRequestError extends Error {
  override name = "SpeechRequestError";
  readonly code = "invalid_request" as const;
  readonly retryable = false;
}

export type SpeechEngineErrorCode =
  /** The binary (or its model) is not installed on this machine. */
  | "engine_missing"
  /** It ran and exited with an error (or was killed). */
  | "engine_failed"
  /** It took longer than the adapter's timeout and was killed. */
  | "timeout"
  /** The caller's AbortSignal fired. */
  | "cancelled";

/** A local engine (child process) failure. */
export class SpeechEngineError extends Error {
  override name = "SpeechEngineError";
  readonly retryable: boolean;
  constructor(
    readonly code: SpeechEngineErrorCode,
    /** "pocketsphinx", "espeak-ng", "sox". */
    readonly engine: string,
    message: string,
  ) {
    super(message);
    this.retryable = code === "engine_failed" || code === "timeout";
  }
}
