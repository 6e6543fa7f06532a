// ElevenLabs text-to-speech over HTTP (global fetch): POST
// /v1/text-to-speech/{voice_id}?output_format=pcm_16000 with `xi-api-key`, which answers raw
// 16 kHz mono s16le PCM — the package's own format, no conversion.
import { z } from "zod";
import { AudioFormatError, SpeechRequestError } from "./errors.ts";
import {
  fetchOk,
  httpAdapterOptionsSchema,
  parseAdapterOptions,
  unavailableAfterError,
  withRetries,
  type AdapterRuntime,
} from "./http.ts";
import { MAX_TTS_CHARACTERS, speech, type SynthesizeOptions, type TextToSpeech } from "./tts.ts";

export const ELEVENLABS_PROVIDER_ID = "elevenlabs";

export const elevenLabsOptionsSchema = httpAdapterOptionsSchema.extend({
  baseURL: z.url({ protocol: /^https?$/ }).default("https://api.elevenlabs.io"),
  model: z.string().min(1).default("eleven_flash_v2_5"),
  /** Default voice id (ElevenLabs' voice library id). */
  voice: z
    .string()
    .regex(/^[A-Za-z0-9]+$/)
    .default("JBFqnCBsd6RMkjVDRZzb"),
});

export type ElevenLabsOptions = z.input<typeof elevenLabsOptionsSchema> & AdapterRuntime;

const voiceIdSchema = z.string().regex(/^[A-Za-z0-9]{1,64}$/);

export function createElevenLabsSynthesizer(options: ElevenLabsOptions): TextToSpeech {
  const { logger, random, ...input } = options;
  const config = parseAdapterOptions("ElevenLabs", elevenLabsOptionsSchema, input);
  const runtime = { logger, random };
  return {
    id: ELEVENLABS_PROVIDER_ID,
    name: "ElevenLabs",
    offline: false,
    async synthesize(text: string, { voice, signal }: SynthesizeOptions = {}) {
      const words = text.trim();
      if (!words || words.length > MAX_TTS_CHARACTERS) {
        throw new SpeechRequestError(`Text to speak must be 1–${MAX_TTS_CHARACTERS} characters`);
      }
      const voiceId = voiceIdSchema.safeParse(voice ?? config.voice);
      if (!voiceId.success) throw new SpeechRequestError("Invalid ElevenLabs voice id");
      const started = performance.now();
      const url = new URL(`/v1/text-to-speech/${voiceId.data}`, config.baseURL);
      url.searchParams.set("output_format", "pcm_16000");
      const { value: pcm } = await withRetries(
        {
          provider: ELEVENLABS_PROVIDER_ID,
          apiKey: config.apiKey,
          timeoutMs: config.timeoutMs,
          retry: config.retry,
          signal,
          runtime,
          classify: unavailableAfterError(ELEVENLABS_PROVIDER_ID, "ElevenLabs"),
        },
        async (attemptSignal) => {
          const response = await fetchOk(
            ELEVENLABS_PROVIDER_ID,
            url.toString(),
            {
              method: "POST",
              headers: {
                "xi-api-key": config.apiKey,
                "content-type": "application/json",
                accept: "audio/pcm",
              },
              body: JSON.stringify({ text: words, model_id: config.model }),
              signal: attemptSignal,
            },
            config.apiKey,
          );
          return Buffer.from(await response.arrayBuffer());
        },
      );
      if (pcm.length % 2 !== 0)
        throw new AudioFormatError("ElevenLabs sent an odd number of bytes");
      return speech(ELEVENLABS_PROVIDER_ID, pcm, started);
    },
  };
}
