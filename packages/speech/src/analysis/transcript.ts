// The transcript the analysis reads: speaker turns, each with its words and their timings (ms
// from the start of the session). Built by the voice module from the transcriber's segments
// (the trainee's stream) and the prospect's replies (TTS timings); validated here because it
// is stored and re-analysed later.
import { z } from "zod";

export const transcriptWordSchema = z
  .object({
    word: z.string().trim().min(1).max(100),
    startMs: z.number().int().min(0),
    endMs: z.number().int().min(0),
    confidence: z.number().min(0).max(1).optional(),
  })
  .refine((word) => word.endMs >= word.startMs, { message: "a word ends before it starts" });

export const speakerTurnSchema = z
  .object({
    speaker: z.string().trim().min(1).max(64),
    startMs: z.number().int().min(0),
    endMs: z.number().int().min(0),
    words: z.array(transcriptWordSchema).max(100_000),
  })
  .refine((turn) => turn.endMs >= turn.startMs, { message: "a turn ends before it starts" });

export const transcriptSchema = z.object({
  turns: z.array(speakerTurnSchema).max(20_000),
});

export type TranscriptWordInput = z.infer<typeof transcriptWordSchema>;
export type SpeakerTurn = z.infer<typeof speakerTurnSchema>;
export type Transcript = z.infer<typeof transcriptSchema>;

/** A turn spanning its words (first start to last end). */
export function turnFromWords(speaker: string, words: TranscriptWordInput[]): SpeakerTurn {
  return {
    speaker,
    startMs: words[0]?.startMs ?? 0,
    endMs: words.at(-1)?.endMs ?? 0,
    words,
  };
}

/** A word as the analysis compares it: lower case, no surrounding punctuation ("Um," → "um"). */
export function normaliseToken(word: string): string {
  return word
    .toLowerCase()
    .replace(/’/g, "'")
    .replace(/^[^\p{L}\p{N}']+|[^\p{L}\p{N}']+$/gu, "");
}
