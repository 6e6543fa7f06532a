// The write side of transcript_segments.words (a JSON column; read back through service.ts's
// `storedWords`): whole, non-negative milliseconds from the session's start, shifted by where
// the transcribed audio began.
import type { TranscriptWord } from "@plinth/speech";

export function toStoredWords(words: readonly TranscriptWord[], offsetMs = 0) {
  return words.map((word) => ({
    word: word.word,
    startMs: Math.max(0, Math.round(word.startMs + offsetMs)),
    endMs: Math.max(0, Math.round(word.endMs + offsetMs)),
    ...(word.confidence !== undefined ? { confidence: word.confidence } : {}),
  }));
}
