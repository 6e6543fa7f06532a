// The speech-to-text interface every adapter implements (PocketSphinx offline, OpenAI, Deepgram).
// Audio in: 16 kHz mono s16le PCM or a WAV (audio.ts). Out: words with start/end times (ms from
// the start of the audio) and, where the engine reports one, a confidence in [0, 1].
//
// Two ways to use it:
//   const { words, text } = await stt.transcribe({ wav });          // whole recording
//   const live = stt.stream();                                       // incremental
//   live.write(chunk); … ; await live.end();
//   for await (const segment of live) show(segment);                  // final segments, in order
// Adapters are transport- and database-free: the caller passes keys, signals and a logger.
import type { AudioInput } from "./audio.ts";

export interface TranscriptWord {
  /** As the engine spelled it (lower case from PocketSphinx; punctuated from Deepgram). */
  word: string;
  startMs: number;
  endMs: number;
  /** 0–1 (PocketSphinx: the word's posterior; Deepgram: its confidence). OpenAI gives none. */
  confidence?: number | undefined;
}

export interface Transcription {
  /** Adapter id ("pocketsphinx", "openai", "deepgram"). */
  provider: string;
  text: string;
  words: TranscriptWord[];
  /** Length of the audio sent. */
  audioMs: number;
  /** Wall time the adapter took (for the real-time factor: processingMs / audioMs). */
  processingMs: number;
}

/** A piece of an incremental transcription: the words of one utterance (or window). */
export interface TranscriptSegment {
  /** 0, 1, 2, … in audio order. */
  index: number;
  text: string;
  words: TranscriptWord[];
  startMs: number;
  endMs: number;
  /**
   * false: a preview of the utterance so far (only from streams created with
   * `partialIntervalMs`), replaced by a later segment with the same index and final: true.
   */
  final: boolean;
}

export interface TranscribeOptions {
  signal?: AbortSignal | undefined;
  /** BCP-47 language hint for the cloud adapters ("en"); PocketSphinx uses its model's. */
  language?: string | undefined;
}

export interface TranscriptionStream extends AsyncIterable<TranscriptSegment> {
  /** Appends 16 kHz mono s16le PCM (any chunk size; an odd trailing byte waits for the next). */
  write(pcm: Buffer): void;
  /** No more audio: resolves when every segment has been produced (then the iteration ends). */
  end(): Promise<void>;
  /** Stops at once; the iteration ends with the segments produced so far. */
  abort(): void;
  /** Audio received so far, in ms. */
  readonly receivedMs: number;
}

export interface SpeechToText {
  readonly id: string;
  readonly name: string;
  /** True when nothing leaves the machine. */
  readonly offline: boolean;
  transcribe(audio: AudioInput, options?: TranscribeOptions): Promise<Transcription>;
  stream(options?: TranscribeOptions): TranscriptionStream;
}

/** Joins words into text (punctuation the engine attached stays attached). */
export function wordsToText(words: readonly TranscriptWord[]): string {
  return words.map((word) => word.word).join(" ");
}

/**
 * A push/pull queue: producers `push` segments and `close` (or `fail`), one consumer iterates.
 * Used by every stream so a consumer that reads late still sees every segment in order.
 */
export class SegmentQueue implements AsyncIterable<TranscriptSegment> {
  readonly #items: TranscriptSegment[] = [];
  #waiting: ((result: IteratorResult<TranscriptSegment>) => void) | undefined;
  #rejecting: ((error: unknown) => void) | undefined;
  #closed = false;
  #error: unknown;
  #failed = false;

  push(segment: TranscriptSegment): void {
    if (this.#closed) return;
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = this.#rejecting = undefined;
      waiting({ value: segment, done: false });
    } else this.#items.push(segment);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const waiting = this.#waiting;
    this.#waiting = this.#rejecting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  fail(error: unknown): void {
    if (this.#closed) return;
    this.#error = error;
    this.#failed = true;
    this.#closed = true;
    const rejecting = this.#rejecting;
    this.#waiting = this.#rejecting = undefined;
    rejecting?.(error);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TranscriptSegment, void, undefined> {
    for (;;) {
      const next = this.#items.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.#failed) throw this.#error;
      if (this.#closed) return;
      const result = await new Promise<IteratorResult<TranscriptSegment>>((resolve, reject) => {
        this.#waiting = resolve;
        this.#rejecting = reject;
      });
      if (result.done) return;
      yield result.value;
    }
  }
}
