// Offline text-to-speech with espeak-ng: text on stdin (never on the command line, so no text
// can become an option), WAV on stdout at 22 050 Hz, converted to 16 kHz mono s16le by sox
// (band-limited resampling) — or, with `resampler: "builtin"`, in process (audio.ts).
import { z } from "zod";
import { wavToPcm16kMono } from "./audio.ts";
import { SpeechRequestError } from "./errors.ts";
import { requireExecutable, runToCompletion } from "./process.ts";
import { MAX_TTS_CHARACTERS, speech, type SynthesizeOptions, type TextToSpeech } from "./tts.ts";

export const ESPEAK_PROVIDER_ID = "espeak-ng";

export const espeakOptionsSchema = z.object({
  binary: z.string().min(1).default("espeak-ng"),
  soxBinary: z.string().min(1).default("sox"),
  resampler: z.enum(["sox", "builtin"]).default("sox"),
  /** espeak-ng voice (`espeak-ng --voices`); "en-us" matches PocketSphinx's model best. */
  voice: z
    .string()
    .regex(/^[a-z0-9_+-]+$/i)
    .default("en-us"),
  /** Words per minute (espeak-ng -s; its default is 175). */
  wordsPerMinute: z.number().int().min(80).max(450).default(160),
  /** Extra pause between words, in 10 ms units (espeak-ng -g). */
  wordGap: z.number().int().min(0).max(100).default(0),
  timeoutMs: z.number().int().positive().default(30_000),
  searchPath: z.string().optional(),
});

export type EspeakOptions = z.input<typeof espeakOptionsSchema>;

export function createEspeakSynthesizer(options: EspeakOptions = {}): TextToSpeech {
  const parsed = espeakOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new SpeechRequestError(
      `Invalid espeak-ng options: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`,
    );
  }
  const config = parsed.data;
  return {
    id: ESPEAK_PROVIDER_ID,
    name: "espeak-ng (offline)",
    offline: true,
    async synthesize(text: string, { voice, signal }: SynthesizeOptions = {}) {
      const words = text.trim();
      if (!words || words.length > MAX_TTS_CHARACTERS) {
        throw new SpeechRequestError(`Text to speak must be 1–${MAX_TTS_CHARACTERS} characters`);
      }
      const chosenVoice = espeakOptionsSchema.shape.voice.safeParse(voice ?? config.voice);
      if (!chosenVoice.success) throw new SpeechRequestError("Invalid espeak-ng voice name");
      const started = performance.now();
      const espeak = requireExecutable("espeak-ng", config.binary, config.searchPath);
      const sox =
        config.resampler === "sox"
          ? requireExecutable("sox", config.soxBinary, config.searchPath)
          : undefined;
      const wav = await runToCompletion(
        espeak,
        [
          "--stdout",
          "-v",
          chosenVoice.data,
          "-s",
          String(config.wordsPerMinute),
          "-g",
          String(config.wordGap),
        ],
        { engine: "espeak-ng", stdin: words, timeoutMs: config.timeoutMs, signal },
      );
      const pcm = sox
        ? await runToCompletion(
            sox,
            [
              "-q",
              // No dither: the same text always gives the same samples (and transcript).
              "-D",
              "-t",
              "wav",
              "-",
              "-t",
              "raw",
              "-r",
              "16000",
              "-c",
              "1",
              "-b",
              "16",
              "-e",
              "signed-integer",
              "-L",
              "-",
            ],
            { engine: "sox", stdin: wav, timeoutMs: config.timeoutMs, signal },
          )
        : wavToPcm16kMono(wav);
      return speech(ESPEAK_PROVIDER_ID, pcm, started);
    },
  };
}
