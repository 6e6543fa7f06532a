// OpenAI audio transcription through the official `openai` SDK (6.x): POST
// /v1/audio/transcriptions with `response_format: "verbose_json"` and
// `timestamp_granularities: ["word"]` (whisper-1; the gpt-4o-transcribe models have no word
// timestamps), so words come back with start/end seconds. Words carry no confidence.
// As in @plinth/ai: the key is always passed (never the SDK's OPENAI_API_KEY fallback),
// organization/project null, SDK retries and console logging off, our own retry loop.
import { APIConnectionError, APIError, OpenAI, toFile } from "openai";
import { z } from "zod";
import { encodeWav, pcmDurationMs, toPcm, type AudioInput } from "./audio.ts";
import { ProviderError } from "./errors.ts";
import {
  codeForStatus,
  httpAdapterOptionsSchema,
  parseAdapterOptions,
  withRetries,
  type AdapterRuntime,
} from "./http.ts";
import { retryAfterMs } from "@plinth/ai";
import { createSegmentingStream, type SegmenterOptions } from "./segmenter.ts";
import {
  wordsToText,
  type SpeechToText,
  type TranscribeOptions,
  type Transcription,
} from "./stt.ts";

export const OPENAI_STT_PROVIDER_ID = "openai";

export const openAITranscriberOptionsSchema = httpAdapterOptionsSchema.extend({
  baseURL: z.url({ protocol: /^https?$/ }).default("https://api.openai.com/v1"),
  model: z.string().min(1).default("whisper-1"),
});

export type OpenAITranscriberOptions = z.input<typeof openAITranscriberOptionsSchema> &
  AdapterRuntime & { segmenter?: SegmenterOptions };

/** The part of verbose_json this adapter reads (checked: a proxy may answer anything). */
const verboseTranscriptionSchema = z.object({
  text: z.string(),
  duration: z.number().nonnegative().optional(),
  words: z.array(z.object({ word: z.string(), start: z.number(), end: z.number() })).default([]),
});

export function createOpenAITranscriber(options: OpenAITranscriberOptions): SpeechToText {
  const { logger, random, segmenter, ...input } = options;
  const config = parseAdapterOptions("OpenAI transcription", openAITranscriberOptionsSchema, input);
  const runtime = { logger, random };
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: config.timeoutMs,
    logLevel: "off",
  });

  async function transcribePcm(pcm: Buffer, { signal, language }: TranscribeOptions) {
    const started = performance.now();
    const { value } = await withRetries(
      {
        provider: OPENAI_STT_PROVIDER_ID,
        apiKey: config.apiKey,
        timeoutMs: config.timeoutMs,
        retry: config.retry,
        signal,
        runtime,
        classify: (error, { scrub }) => {
          if (error instanceof APIError && typeof error.status === "number") {
            return new ProviderError(
              codeForStatus(error.status),
              `OpenAI answered ${scrub(error.message)}`,
              {
                provider: OPENAI_STT_PROVIDER_ID,
                status: error.status,
                retryAfterMs: retryAfterMs(error.headers as Headers | undefined),
              },
            );
          }
          const message = error instanceof Error ? scrub(error.message) : "unknown error";
          return new ProviderError(
            error instanceof APIConnectionError ? "connection_failed" : "provider_unavailable",
            `OpenAI transcription failed: ${message}`,
            { provider: OPENAI_STT_PROVIDER_ID },
          );
        },
      },
      async (attemptSignal) => {
        const file = await toFile(encodeWav(pcm), "audio.wav", { type: "audio/wav" });
        const raw: unknown = await client.audio.transcriptions.create(
          {
            file,
            model: config.model,
            response_format: "verbose_json",
            timestamp_granularities: ["word"],
            ...(language === undefined ? {} : { language }),
          },
          { signal: attemptSignal },
        );
        const parsed = verboseTranscriptionSchema.safeParse(raw);
        if (!parsed.success) {
          throw new ProviderError(
            "provider_unavailable",
            "OpenAI answered a transcription of an unexpected shape",
            { provider: OPENAI_STT_PROVIDER_ID },
          );
        }
        return parsed.data;
      },
    );
    const words = value.words.map((word) => ({
      word: word.word,
      startMs: Math.round(word.start * 1000),
      endMs: Math.round(word.end * 1000),
    }));
    return {
      provider: OPENAI_STT_PROVIDER_ID,
      text: value.text.trim() || wordsToText(words),
      words,
      audioMs: pcmDurationMs(pcm),
      processingMs: performance.now() - started,
    } satisfies Transcription;
  }

  return {
    id: OPENAI_STT_PROVIDER_ID,
    name: "OpenAI audio transcription",
    offline: false,
    transcribe: (audio: AudioInput, options: TranscribeOptions = {}) =>
      transcribePcm(toPcm(audio), options),
    stream: (options: TranscribeOptions = {}) =>
      createSegmentingStream(transcribePcm, { ...segmenter, ...options }),
  };
}
