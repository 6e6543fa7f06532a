// Filler words and questions: the two counts that need word-level rules (docs/speech.md).
import { normaliseToken, type TranscriptWordInput } from "./transcript.ts";

/** Always fillers when said as a word of their own. */
export const SINGLE_WORD_FILLERS: readonly string[] = [
  "um",
  "umm",
  "uh",
  "uhh",
  "uhm",
  "er",
  "erm",
  "ah",
  "hmm",
  "mm",
  "basically",
  "literally",
];

/** Two-word fillers; "you know" not after a word that makes it a real question or clause. */
const YOU_KNOW_NOT_AFTER = new Set([
  "do",
  "does",
  "did",
  "don't",
  "didn't",
  "if",
  "as",
  "what",
  "how",
  "would",
  "could",
  "will",
  "let",
  "whether",
]);

/** "like" after these is the verb ("I like", "would like", "don't like") or "to like". */
const LIKE_VERB_AFTER = new Set([
  "i",
  "you",
  "we",
  "they",
  "i'd",
  "you'd",
  "we'd",
  "they'd",
  "would",
  "do",
  "don't",
  "didn't",
  "really",
  "also",
  "to",
  "might",
  "may",
]);

export interface FillerOptions {
  /** A pause this long before or after "like" sets it off as a filler. */
  likePauseMs: number;
}

export interface FillerCount {
  count: number;
  byWord: Record<string, number>;
}

/**
 * Counts filler words in one speaker's words (in time order). "like" is a filler only when set
 * off: a comma right after it or right before it, or (for unpunctuated transcripts) a pause of
 * `likePauseMs` on either side, or right next to another filler, or repeated ("like like") —
 * unless it directly follows a subject pronoun, auxiliary or "to" without a comma (the verb:
 * "I like", "we'd like to", "don't like"). Otherwise it is the verb or the preposition ("looks
 * like", "a tool like this") and not counted: this errs toward fewer false positives.
 */
export function countFillers(
  words: readonly TranscriptWordInput[],
  options: FillerOptions,
): FillerCount {
  const tokens = words.map((word) => normaliseToken(word.word));
  const byWord: Record<string, number> = {};
  const add = (filler: string) => {
    byWord[filler] = (byWord[filler] ?? 0) + 1;
  };
  const isSingle = (token: string | undefined) =>
    token !== undefined && SINGLE_WORD_FILLERS.includes(token);
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const previous = index > 0 ? tokens[index - 1] : undefined;
    const next = tokens[index + 1];
    if (isSingle(token)) add(token as string);
    else if (
      token === "you" &&
      next === "know" &&
      !(previous && YOU_KNOW_NOT_AFTER.has(previous))
    ) {
      add("you know");
      index++;
    } else if (token === "i" && next === "mean") {
      add("i mean");
      index++;
    } else if (token === "like" && isFillerLike(words, tokens, index, options)) add("like");
  }
  const count = Object.values(byWord).reduce((sum, n) => sum + n, 0);
  return { count, byWord };
}

function isFillerLike(
  words: readonly TranscriptWordInput[],
  tokens: readonly string[],
  index: number,
  { likePauseMs }: FillerOptions,
): boolean {
  const word = words[index] as TranscriptWordInput;
  const before = index > 0 ? words[index - 1] : undefined;
  const after = words[index + 1];
  if (/,\s*$/.test(word.word) || (before && /,\s*$/.test(before.word))) return true;
  const previous = tokens[index - 1];
  const next = tokens[index + 1];
  if (previous !== undefined && LIKE_VERB_AFTER.has(previous)) return false;
  if (next === "to") return false;
  if (previous === "like" || next === "like") return true;
  if (SINGLE_WORD_FILLERS.includes(previous ?? "") || SINGLE_WORD_FILLERS.includes(next ?? ""))
    return true;
  const pauseBefore = before ? word.startMs - before.endMs : 0;
  const pauseAfter = after ? after.startMs - word.endMs : 0;
  return pauseBefore >= likePauseMs || pauseAfter >= likePauseMs;
}

/** Words that open a question (after leading discourse markers such as "so", "and", "um"). */
const QUESTION_OPENERS = new Set([
  "what",
  "what's",
  "why",
  "how",
  "how's",
  "when",
  "where",
  "who",
  "whom",
  "whose",
  "which",
  "do",
  "does",
  "did",
  "is",
  "are",
  "was",
  "were",
  "can",
  "could",
  "would",
  "will",
  "should",
  "shall",
  "have",
  "has",
  "may",
  "might",
  "isn't",
  "aren't",
  "don't",
  "doesn't",
  "didn't",
  "won't",
  "wouldn't",
  "couldn't",
]);
const LEADING_MARKERS = new Set(["so", "and", "but", "okay", "ok", "well", "now", "then", "also"]);

/**
 * Questions in one turn. Punctuated text (a word ends in . ? or !): sentences ending in "?".
 * Unpunctuated (PocketSphinx): phrases split at pauses of `phrasePauseMs`, a phrase counting
 * when its first word — after fillers and markers like "so", "and" — opens a question.
 */
export function countQuestions(
  words: readonly TranscriptWordInput[],
  { phrasePauseMs }: { phrasePauseMs: number },
): number {
  if (words.some((word) => /[.?!]["')\]]*$/.test(word.word))) {
    return words.filter((word) => /\?["')\]]*$/.test(word.word)).length;
  }
  let questions = 0;
  let phraseStart = true;
  let checked = false;
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as TranscriptWordInput;
    const previous = index > 0 ? words[index - 1] : undefined;
    if (previous && word.startMs - previous.endMs >= phrasePauseMs) {
      phraseStart = true;
      checked = false;
    }
    if (!phraseStart || checked) continue;
    const token = normaliseToken(word.word);
    if (LEADING_MARKERS.has(token) || SINGLE_WORD_FILLERS.includes(token)) continue;
    if (QUESTION_OPENERS.has(token)) questions++;
    checked = true;
    phraseStart = false;
  }
  return questions;
}
