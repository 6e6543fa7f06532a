// Deepgram's pre-recorded transcription over HTTP (global fetch, i.e. undici): POST
// /v1/listen?model=…&punctuate=true with the WAV as the body and `Authorization: Token <key>`.
// Words come with start/end seconds, a confidence and (with punctuate) `punctuated_word`.
import { z } from "zod";
import { encodeWav, pcmDurationMs, toPcm, type AudioInput } from "./audio.ts";
import { ProviderError } from "./errors.ts";
import {
  fetchOk,
  httpAdapterOptionsSchema,
  parseAdapterOptions,
  unavailableAfterError,
  withRetries,
  type AdapterRuntime,
} from "./http.ts";
import { createSegmentingStream, type SegmenterOptions } from "./segmenter.ts";
import {
  wordsToText,
  type SpeechToText,
  type TranscribeOptions,
  type Transcription,
} from "./stt.ts";

export const DEEPGRAM_PROVIDER_ID = "deepgram";

export const deepgramOptionsSchema = httpAdapterOptionsSchema.extend({
  baseURL: z.url({ protocol: /^https?$/ }).default("https://api.deepgram.com"),
  model: z.string().min(1).default("nova-3"),
});

export type DeepgramOptions = z.input<typeof deepgramOptionsSchema> &
  AdapterRuntime & { segmenter?: SegmenterOptions };

const deepgramResponseSchema = z.object({
  metadata: z.object({ duration: z.number().nonnegative() }).partial().optional(),
  results: z.object({
    channels: z
      .array(
        z.object({
          alternatives: z
            .array(
              z.object({
                transcript: z.string(),
                words: z
                  .array(
                    z.object({
                      word: z.string(),
                      punctuated_word: z.string().optional(),
                      start: z.number(),
                      end: z.number(),
                      confidence: z.number().min(0).max(1).optional(),
                    }),
                  )
                  .default([]),
              }),
            )
            .min(1),
        }),
      )
      .min(1),
  }),
});

export function createDeepgramTranscriber(options: DeepgramOptions): SpeechToText {
  const { logger, random, segmenter, ...input } = options;
  const config = parseAdapterOptions("Deepgram", deepgramOptionsSchema, input);
  const runtime = { logger, random };

  async function transcribePcm(pcm: Buffer, { signal, language }: TranscribeOptions) {
    const started = performance.now();
    const url = new URL("/v1/listen", config.baseURL);
    url.searchParams.set("model", config.model);
    url.searchParams.set("punctuate", "true");
    if (language !== undefined) url.searchParams.set("language", language);
    const body = encodeWav(pcm);
    const { value } = await withRetries(
      {
        provider: DEEPGRAM_PROVIDER_ID,
        apiKey: config.apiKey,
        timeoutMs: config.timeoutMs,
        retry: config.retry,
        signal,
        runtime,
        classify: unavailableAfterError(DEEPGRAM_PROVIDER_ID, "Deepgram"),
      },
      async (attemptSignal) => {
        const response = await fetchOk(
          DEEPGRAM_PROVIDER_ID,
          url.toString(),
          {
            method: "POST",
            headers: { authorization: `Token ${config.apiKey}`, "content-type": "audio/wav" },
            body: new Uint8Array(body),
            signal: attemptSignal,
          },
          config.apiKey,
        );
        const parsed = deepgramResponseSchema.safeParse(await response.json());
        if (!parsed.success) {
          throw new ProviderError(
            "provider_unavailable",
            "Deepgram answered a transcription of an unexpected shape",
            { provider: DEEPGRAM_PROVIDER_ID, status: response.status },
          );
        }
        return parsed.data;
      },
    );
    const best = value.results.channels[0]?.alternatives[0];
    const words = (best?.words ?? []).map((word) => ({
      word: word.punctuated_word ?? word.word,
      startMs: Math.round(word.start * 1000),
      endMs: Math.round(word.end * 1000),
      confidence: word.confidence,
    }));
    return {
      provider: DEEPGRAM_PROVIDER_ID,
      text: best?.transcript.trim() || wordsToText(words),
      words,
      audioMs: pcmDurationMs(pcm),
      processingMs: performance.now() - started,
    } satisfies Transcription;
  }

  return {
    id: DEEPGRAM_PROVIDER_ID,
    name: "Deepgram",
    offline: false,
    transcribe: (audio: AudioInput, options: TranscribeOptions = {}) =>
      transcribePcm(toPcm(audio), options),
    stream: (options: TranscribeOptions = {}) =>
      createSegmentingStream(transcribePcm, { ...segmenter, ...options }),
  };
}
