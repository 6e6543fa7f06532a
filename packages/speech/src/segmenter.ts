// Incremental transcription for adapters whose API takes a whole file (OpenAI, Deepgram's
// pre-recorded endpoint): the stream cuts the incoming PCM into utterances with an energy
// voice-activity detector — an utterance ends after `silenceMs` below `thresholdDbfs`, or at
// `maxSegmentMs` — and transcribes each one as it closes, shifting its word times by the
// utterance's offset. Silence between utterances is never sent (it costs minutes, not words).
// With `partialIntervalMs`, a long utterance is also transcribed so far every interval and
// emitted with final: false (each preview is a billed request: off by default).
import { BYTES_PER_MS, rmsDbfs } from "./audio.ts";
import {
  SegmentQueue,
  wordsToText,
  type TranscribeOptions,
  type Transcription,
  type TranscriptionStream,
  type TranscriptSegment,
} from "./stt.ts";

export interface SegmenterOptions {
  /** Energy above this (dBFS, per 30 ms frame) is speech. */
  thresholdDbfs?: number;
  /** Silence that ends an utterance. */
  silenceMs?: number;
  /** Longest utterance sent in one request. */
  maxSegmentMs?: number;
  /** Silence kept on each side of an utterance (so first/last phonemes are not clipped). */
  paddingMs?: number;
  partialIntervalMs?: number | undefined;
}

const FRAME_MS = 30;
const FRAME_BYTES = FRAME_MS * BYTES_PER_MS;

type Transcribe = (pcm: Buffer, options: TranscribeOptions) => Promise<Transcription>;

export function createSegmentingStream(
  transcribe: Transcribe,
  options: SegmenterOptions & TranscribeOptions = {},
): TranscriptionStream {
  const thresholdDbfs = options.thresholdDbfs ?? -40;
  const silenceFrames = Math.ceil((options.silenceMs ?? 600) / FRAME_MS);
  const maxFrames = Math.ceil((options.maxSegmentMs ?? 15_000) / FRAME_MS);
  const paddingFrames = Math.ceil((options.paddingMs ?? 150) / FRAME_MS);
  const partialFrames =
    options.partialIntervalMs === undefined
      ? undefined
      : Math.ceil(options.partialIntervalMs / FRAME_MS);
  const queue = new SegmentQueue();
  const controller = new AbortController();
  options.signal?.addEventListener("abort", () => controller.abort(), { once: true });
  const callOptions: TranscribeOptions = { signal: controller.signal, language: options.language };

  let pending = Buffer.alloc(0); // bytes not yet a whole frame
  let frameIndex = 0; // frames seen
  let utterance: Buffer[] = []; // frames of the open utterance (padding included)
  let utteranceStart = 0; // its first frame
  let trailingSilence = 0;
  let inSpeech = false;
  let framesSincePartial = 0;
  const recentSilence: Buffer[] = []; // lead-in padding
  let index = 0;
  let chain: Promise<void> = Promise.resolve();
  let failed = false;

  const run = (pcm: Buffer, startFrame: number, segmentIndex: number, final: boolean) => {
    chain = chain.then(async () => {
      if (failed || controller.signal.aborted) return;
      try {
        const result = await transcribe(pcm, callOptions);
        const offsetMs = startFrame * FRAME_MS;
        const words = result.words.map((word) => ({
          ...word,
          startMs: word.startMs + offsetMs,
          endMs: word.endMs + offsetMs,
        }));
        const segment: TranscriptSegment = {
          index: segmentIndex,
          text: result.text || wordsToText(words),
          words,
          startMs: words[0]?.startMs ?? offsetMs,
          endMs: words.at(-1)?.endMs ?? offsetMs + pcm.length / BYTES_PER_MS,
          final,
        };
        if (words.length > 0 || segment.text) queue.push(segment);
      } catch (error) {
        failed = true;
        queue.fail(error);
      }
    });
  };

  const closeUtterance = () => {
    if (!inSpeech) return;
    // Keep `paddingFrames` of the trailing silence, drop the rest.
    const keep = utterance.length - Math.max(0, trailingSilence - paddingFrames);
    run(Buffer.concat(utterance.slice(0, keep)), utteranceStart, index++, true);
    utterance = [];
    inSpeech = false;
    trailingSilence = 0;
    framesSincePartial = 0;
  };

  const onFrame = (frame: Buffer) => {
    const speech = rmsDbfs(frame) > thresholdDbfs;
    if (!inSpeech) {
      if (speech) {
        inSpeech = true;
        utteranceStart = frameIndex - recentSilence.length;
        utterance = [...recentSilence.splice(0), frame];
        trailingSilence = 0;
      } else {
        recentSilence.push(frame);
        if (recentSilence.length > paddingFrames) recentSilence.shift();
      }
    } else {
      utterance.push(frame);
      trailingSilence = speech ? 0 : trailingSilence + 1;
      framesSincePartial++;
      if (trailingSilence >= silenceFrames || utterance.length >= maxFrames) closeUtterance();
      else if (partialFrames !== undefined && framesSincePartial >= partialFrames) {
        framesSincePartial = 0;
        run(Buffer.concat(utterance), utteranceStart, index, false);
      }
    }
    frameIndex++;
  };

  let receivedBytes = 0;
  let ended: Promise<void> | undefined;
  const iterator = queue[Symbol.asyncIterator].bind(queue);
  return {
    get receivedMs() {
      return receivedBytes / BYTES_PER_MS;
    },
    write(pcm: Buffer) {
      if (ended || controller.signal.aborted) return;
      receivedBytes += pcm.length;
      pending = Buffer.concat([pending, pcm]);
      let offset = 0;
      for (; offset + FRAME_BYTES <= pending.length; offset += FRAME_BYTES) {
        onFrame(pending.subarray(offset, offset + FRAME_BYTES));
      }
      pending = Buffer.from(pending.subarray(offset));
    },
    end() {
      ended ??= (async () => {
        if (pending.length >= 2 && inSpeech) utterance.push(pending);
        pending = Buffer.alloc(0);
        closeUtterance();
        await chain;
        queue.close();
      })();
      return ended;
    },
    abort() {
      controller.abort();
      queue.close();
    },
    [Symbol.asyncIterator]: iterator,
  };
}
