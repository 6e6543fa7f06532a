// Which speech and AI adapters a practice session uses: configuration (env.ts). Offline by
// default — PocketSphinx, espeak-ng and @plinth/ai's offline demo provider — so practice
// works on a fresh checkout; each adapter's `offline` flag is stored with the session and
// shown as a label.
import { createPlatformProvider, OFFLINE_DEFAULT_MODEL, type AiProvider } from "@plinth/ai";
import { aiEnv } from "@plinth/ai/env";
import type { Logger } from "@plinth/core/logger";
import {
  createDeepgramTranscriber,
  createElevenLabsSynthesizer,
  createEspeakSynthesizer,
  createPocketSphinxTranscriber,
  type SpeechToText,
  type TextToSpeech,
} from "@plinth/speech";
import type { VoiceEnv } from "./env.ts";

export interface VoiceProviders {
  stt: SpeechToText;
  /** null: the prospect answers in text only. */
  tts: TextToSpeech | null;
  llm: AiProvider;
  model: string;
}

export function createVoiceProviders(
  env: VoiceEnv,
  options: { logger?: Logger } = {},
): VoiceProviders {
  const stt =
    env.VOICE_STT_PROVIDER === "deepgram" && env.DEEPGRAM_API_KEY
      ? createDeepgramTranscriber({ apiKey: env.DEEPGRAM_API_KEY, logger: options.logger })
      : createPocketSphinxTranscriber();
  const tts =
    env.VOICE_TTS_PROVIDER === "none"
      ? null
      : env.VOICE_TTS_PROVIDER === "elevenlabs" && env.ELEVENLABS_API_KEY
        ? createElevenLabsSynthesizer({ apiKey: env.ELEVENLABS_API_KEY, logger: options.logger })
        : createEspeakSynthesizer();
  const llm = createPlatformProvider(aiEnv(), options);
  return { stt, tts, llm, model: llm.offline ? OFFLINE_DEFAULT_MODEL : env.VOICE_LLM_MODEL };
}
