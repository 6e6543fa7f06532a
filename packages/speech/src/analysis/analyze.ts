// Conversation analysis as one pure function: transcript (speaker turns with word timings) in,
// feedback numbers out. No clock, no I/O: the same transcript and options always give the same
// result, so a stored analysis can be recomputed and compared. The output is versioned
// (`version`); a change to any definition below bumps ANALYSIS_VERSION so a re-analysis is
// stored beside the old one instead of silently changing history. Definitions: docs/speech.md.
import Sentiment from "sentiment";
import { countFillers, countQuestions } from "./fillers.ts";
import { round1, round2, scoreRubric, type Rubric, type RubricScore } from "./rubric.ts";
import {
  normaliseToken,
  transcriptSchema,
  type SpeakerTurn,
  type Transcript,
} from "./transcript.ts";

export const ANALYSIS_VERSION = 1;

export interface AnalysisOptions {
  /** The trainee: talk/listen ratio and the rubric are computed for this speaker. */
  focusSpeaker: string;
  /**
   * A turn that starts while another speaker's turn is still running, more than this many ms
   * before that turn's end, is an interruption. Shorter overlaps are ordinary turn-taking (and
   * the slack of turn boundaries). Default 200.
   */
  interruptionOverlapMs?: number;
  /** Pause that splits an unpunctuated turn into phrases (questions). Default 500. */
  phrasePauseMs?: number;
  /** Pause that sets off "like" as a filler. Default 250. */
  likePauseMs?: number;
  rubric?: Rubric | undefined;
}

export interface SpeakerFigures {
  speaker: string;
  turns: number;
  /** Every spoken word, fillers included. */
  words: number;
  /** Union of the speaker's turn spans (overlapping turns of one speaker count once). */
  talkTimeMs: number;
  /** talkTimeMs / all speakers' talk time, 0–1 (2 decimals). */
  talkShare: number;
  /** words / talk time in minutes (1 decimal). */
  wordsPerMinute: number;
  fillers: { count: number; perMinute: number; byWord: Record<string, number> };
  /** Longest run of consecutive turns by this speaker with no other speaker's turn between. */
  longestMonologueMs: number;
  questions: number;
  /** Times this speaker interrupted someone. */
  interruptionsMade: number;
  /** AFINN-165 via the `sentiment` library: total score and score per word. */
  sentiment: { score: number; comparative: number; positive: string[]; negative: string[] };
}

export interface Interruption {
  speaker: string;
  interrupted: string;
  atMs: number;
  overlapMs: number;
}

export interface ConversationAnalysis {
  version: typeof ANALYSIS_VERSION;
  focusSpeaker: string;
  /** First word to last word over all turns. */
  durationMs: number;
  /** Focus speaker's talk time / everyone else's (2 decimals); null when the others said nothing. */
  talkListenRatio: number | null;
  speakers: SpeakerFigures[];
  interruptions: Interruption[];
  /** Present when a rubric was given and the focus speaker spoke. */
  rubric: RubricScore | null;
}

const sentimentAnalyzer = new Sentiment();

/** Total length of the union of [start, end) intervals. */
function unionMs(intervals: readonly { startMs: number; endMs: number }[]): number {
  const sorted = [...intervals].sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let open: { startMs: number; endMs: number } | undefined;
  for (const interval of sorted) {
    if (open && interval.startMs <= open.endMs) open.endMs = Math.max(open.endMs, interval.endMs);
    else {
      if (open) total += open.endMs - open.startMs;
      open = { ...interval };
    }
  }
  return open ? total + open.endMs - open.startMs : total;
}

const perMinute = (count: number, ms: number) => (ms > 0 ? (count * 60_000) / ms : 0);

export function analyzeConversation(
  input: Transcript,
  options: AnalysisOptions,
): ConversationAnalysis {
  const { turns: unsorted } = transcriptSchema.parse(input);
  const overlapMs = options.interruptionOverlapMs ?? 200;
  const phrasePauseMs = options.phrasePauseMs ?? 500;
  const likePauseMs = options.likePauseMs ?? 250;
  const turns = [...unsorted].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);

  const interruptions: Interruption[] = [];
  for (const [index, turn] of turns.entries()) {
    // The other speaker's turn still running when this one starts (the one ending last).
    const running = turns
      .slice(0, index)
      .filter((other) => other.speaker !== turn.speaker && other.endMs - turn.startMs > overlapMs)
      .sort((a, b) => b.endMs - a.endMs)[0];
    if (running) {
      interruptions.push({
        speaker: turn.speaker,
        interrupted: running.speaker,
        atMs: turn.startMs,
        overlapMs: Math.min(running.endMs, turn.endMs) - turn.startMs,
      });
    }
  }

  const longestMonologue = new Map<string, number>();
  let run: { speaker: string; startMs: number; endMs: number } | undefined;
  const closeRun = () => {
    if (run) {
      const length = run.endMs - run.startMs;
      longestMonologue.set(run.speaker, Math.max(longestMonologue.get(run.speaker) ?? 0, length));
    }
  };
  for (const turn of turns) {
    if (run?.speaker === turn.speaker) run.endMs = Math.max(run.endMs, turn.endMs);
    else {
      closeRun();
      run = { speaker: turn.speaker, startMs: turn.startMs, endMs: turn.endMs };
    }
  }
  closeRun();

  const bySpeaker = new Map<string, SpeakerTurn[]>();
  for (const turn of turns)
    bySpeaker.set(turn.speaker, [...(bySpeaker.get(turn.speaker) ?? []), turn]);
  const talkTimes = new Map([...bySpeaker].map(([speaker, own]) => [speaker, unionMs(own)]));
  const totalTalkMs = [...talkTimes.values()].reduce((sum, ms) => sum + ms, 0);

  const tokensOf = new Map<string, string[]>();
  const speakers = [...bySpeaker].map(([speaker, own]): SpeakerFigures => {
    const words = own.flatMap((turn) => turn.words);
    const talkTimeMs = talkTimes.get(speaker) ?? 0;
    // Fillers per turn: a pause across two turns does not set off a "like".
    const fillerCounts = own.map((turn) => countFillers(turn.words, { likePauseMs }));
    const byWord: Record<string, number> = {};
    for (const { byWord: counts } of fillerCounts) {
      for (const [filler, n] of Object.entries(counts)) byWord[filler] = (byWord[filler] ?? 0) + n;
    }
    const fillerTotal = fillerCounts.reduce((sum, counts) => sum + counts.count, 0);
    const text = words.map((word) => word.word).join(" ");
    const mood = sentimentAnalyzer.analyze(text);
    tokensOf.set(speaker, words.map((word) => normaliseToken(word.word)).filter(Boolean));
    return {
      speaker,
      turns: own.length,
      words: words.length,
      talkTimeMs,
      talkShare: totalTalkMs > 0 ? round2(talkTimeMs / totalTalkMs) : 0,
      wordsPerMinute: round1(perMinute(words.length, talkTimeMs)),
      fillers: {
        count: fillerTotal,
        perMinute: round2(perMinute(fillerTotal, talkTimeMs)),
        byWord,
      },
      longestMonologueMs: longestMonologue.get(speaker) ?? 0,
      questions: own.reduce((sum, turn) => sum + countQuestions(turn.words, { phrasePauseMs }), 0),
      interruptionsMade: interruptions.filter((event) => event.speaker === speaker).length,
      sentiment: {
        score: mood.score,
        comparative: words.length > 0 ? round2(mood.score / words.length) : 0,
        positive: mood.positive,
        negative: mood.negative,
      },
    };
  });

  const allWords = turns.flatMap((turn) => turn.words);
  const firstMs = Math.min(...allWords.map((word) => word.startMs));
  const lastMs = Math.max(...allWords.map((word) => word.endMs));
  const focus = speakers.find((figures) => figures.speaker === options.focusSpeaker);
  const focusTalk = focus?.talkTimeMs ?? 0;
  const othersTalk = totalTalkMs - focusTalk;
  return {
    version: ANALYSIS_VERSION,
    focusSpeaker: options.focusSpeaker,
    durationMs: allWords.length > 0 ? lastMs - firstMs : 0,
    talkListenRatio: othersTalk > 0 ? round2(focusTalk / othersTalk) : null,
    speakers,
    interruptions,
    rubric:
      options.rubric && focus
        ? scoreRubric(options.rubric, {
            tokens: tokensOf.get(focus.speaker) ?? [],
            questions: focus.questions,
            talkShare: focus.talkShare,
            wordsPerMinute: focus.wordsPerMinute,
            fillersPerMinute: focus.fillers.perMinute,
            longestMonologueMs: focus.longestMonologueMs,
            interruptionsMade: focus.interruptionsMade,
            sentimentComparative: focus.sentiment.comparative,
          })
        : null,
  };
}
