// The text-to-speech interface (espeak-ng offline, ElevenLabs over HTTP). Every adapter returns
// 16 kHz mono s16le PCM, the format the speech-to-text side takes, so a synthesized reply can be
// played to the browser or fed straight back into a transcriber (the tests do).
import { encodeWav, pcmDurationMs, SAMPLE_RATE } from "./audio.ts";

export interface SynthesizeOptions {
  /** Adapter-specific voice: an espeak-ng voice ("en-us", "en-us+f3"), an ElevenLabs voice id. */
  voice?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface SynthesizedSpeech {
  provider: string;
  /** 16 kHz mono s16le. */
  pcm: Buffer;
  sampleRate: typeof SAMPLE_RATE;
  durationMs: number;
  processingMs: number;
}

export interface TextToSpeech {
  readonly id: string;
  readonly name: string;
  readonly offline: boolean;
  synthesize(text: string, options?: SynthesizeOptions): Promise<SynthesizedSpeech>;
}

/** Most characters one call speaks (ElevenLabs' own per-request limit is higher; keep turns short). */
export const MAX_TTS_CHARACTERS = 5_000;

export function speech(provider: string, pcm: Buffer, started: number): SynthesizedSpeech {
  return {
    provider,
    pcm,
    sampleRate: SAMPLE_RATE,
    durationMs: pcmDurationMs(pcm),
    processingMs: performance.now() - started,
  };
}

/** The speech as a WAV file (for storage or an <audio> element). */
export function speechToWav(speech: SynthesizedSpeech): Buffer {
  return encodeWav(speech.pcm, speech.sampleRate);
}
