// The voice-training module's configuration (@t3-oss/env-core; composed by the processes that
// serve practice: the gateway's socket, the web app for the socket's address, the worker for
// the after-end jobs' speech-to-text and LLM). No key set: the
// offline adapters (PocketSphinx, espeak-ng, the offline AI provider), labelled in the UI.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

export function parseVoiceEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      /** Where browsers open the practice socket (the gateway's /practice/socket). */
      PRACTICE_SOCKET_URL: z
        .url({ protocol: /^wss?$/ })
        .default("ws://localhost:3002/practice/socket"),
      /** Speech-to-text: offline PocketSphinx, OpenAI with VOICE_OPENAI_API_KEY, or Deepgram
       *  with DEEPGRAM_API_KEY (a cloud choice without its key: PocketSphinx, logged). */
      VOICE_STT_PROVIDER: z.enum(["pocketsphinx", "openai", "deepgram"]).default("pocketsphinx"),
      /** The platform's OpenAI key for transcription, sent to VOICE_OPENAI_BASE_URL. Not
       *  @plinth/ai's OPENAI_API_KEY: that one may belong to whatever OpenAI-compatible server
       *  OPENAI_BASE_URL names (OpenRouter, vLLM), which need not transcribe or be OpenAI. */
      VOICE_OPENAI_API_KEY: z.string().trim().min(1).optional(),
      DEEPGRAM_API_KEY: z.string().trim().min(1).optional(),
      /** Text-to-speech of the prospect: espeak-ng offline, ElevenLabs, or none (text only). */
      VOICE_TTS_PROVIDER: z.enum(["espeak", "elevenlabs", "none"]).default("espeak"),
      ELEVENLABS_API_KEY: z.string().trim().min(1).optional(),
      /** Where the cloud speech adapters send audio and text — the platform's keys and a
       *  company's own (from the vault) alike: the vendors' APIs unless an operator routes them
       *  through a proxy. Not a company setting: its keys go only here. */
      VOICE_OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).default("https://api.openai.com/v1"),
      DEEPGRAM_BASE_URL: z.url({ protocol: /^https?$/ }).default("https://api.deepgram.com"),
      ELEVENLABS_BASE_URL: z.url({ protocol: /^https?$/ }).default("https://api.elevenlabs.io"),
      /** The model the prospect and the coach use on the platform's OpenAI-compatible
       *  provider (a company's own OpenAI choice names its model in practice_settings). */
      VOICE_LLM_MODEL: z.string().trim().min(1).default("gpt-4o-mini"),
      /** A session ends after this much trainee audio without a transcribed word. */
      PRACTICE_SILENCE_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
      /** Days recordings are kept (a company's own setting overrides it); then the daily job
       *  deletes them, transcripts and feedback stay. */
      PRACTICE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    },
    ...envOptions("voice-training", source),
  });
}

export type VoiceEnv = ReturnType<typeof parseVoiceEnv>;

export const voiceEnv = once(() => parseVoiceEnv());
