// The analysis on a hand-built transcript whose numbers are worked out by hand below.
import { describe, expect, it } from "vitest";
import {
  ANALYSIS_VERSION,
  analyzeConversation,
  countFillers,
  countQuestions,
  rubricSchema,
  turnFromWords,
  type SpeakerTurn,
  type TranscriptWordInput,
} from "../src/analysis/index.ts";

/**
 * Words of 400 ms, 100 ms apart; "/" adds a 600 ms pause (so the gap is 700 ms: a phrase break
 * and a pause that sets off "like").
 */
function say(speaker: string, startMs: number, text: string): SpeakerTurn {
  const words: TranscriptWordInput[] = [];
  let at = startMs;
  for (const token of text.split(" ")) {
    if (token === "/") {
      at += 600;
      continue;
    }
    words.push({ word: token, startMs: at, endMs: at + 400 });
    at += 500;
  }
  return turnFromWords(speaker, words);
}

const transcript = {
  turns: [
    // [0, 5900], 12 words, fillers um + uh, one question ("so" is skipped, "what" opens it).
    say("rep", 0, "so what does your team use today um for tracking deals uh"),
    // [6500, 11400], 10 words; "i like" is the verb.
    say("prospect", 6500, "we use spreadsheets and i like them a lot honestly"),
    // [11100, 21200], 18 words, starting 300 ms before the prospect's turn ends: an
    // interruption. "like" after a pause is a filler, "you know" too, "looks like" is not;
    // the phrase after the second pause opens with "how": a question.
    say(
      "rep",
      11100,
      "that makes sense / like you know it looks like a lot of work / how do you share them",
    ),
    // [21500, 23400], 4 words, 300 ms after the rep stopped: no interruption.
    say("prospect", 21500, "we email them around"),
    // [23600, 24000] and [24200, 26600]: two rep turns in a row (one 3 000 ms monologue).
    say("rep", 23600, "great"),
    say("rep", 24200, "would a shared pipeline help"),
  ],
};

const rubric = rubricSchema.parse({
  skills: [
    {
      id: "discovery",
      name: "Discovery",
      weight: 2,
      rules: [
        { kind: "questions", min: 3 },
        { kind: "mentions", phrases: ["pipeline", "budget"], min: 2 },
      ],
    },
    {
      id: "delivery",
      name: "Delivery",
      rules: [
        { kind: "fillersPerMinute", max: 5 },
        { kind: "wordsPerMinute", min: 100, max: 170 },
        { kind: "avoids", phrases: ["cheap", "to be honest"] },
      ],
    },
  ],
});

describe("analyzeConversation", () => {
  const analysis = analyzeConversation(transcript, { focusSpeaker: "rep", rubric });
  const rep = analysis.speakers.find((s) => s.speaker === "rep")!;
  const prospect = analysis.speakers.find((s) => s.speaker === "prospect")!;

  it("is versioned and spans first to last word", () => {
    expect(analysis.version).toBe(ANALYSIS_VERSION);
    expect(analysis.version).toBe(1);
    expect(analysis.durationMs).toBe(26_600);
  });

  it("computes talk time, share, talk/listen ratio and pace", () => {
    // rep: 5 900 + 10 100 + 400 + 2 400; prospect: 4 900 + 1 900.
    expect(rep).toMatchObject({ turns: 4, words: 36, talkTimeMs: 18_800 });
    expect(prospect).toMatchObject({ turns: 2, words: 14, talkTimeMs: 6_800 });
    expect(rep.talkShare).toBe(0.73); // 18 800 / 25 600
    expect(prospect.talkShare).toBe(0.27);
    expect(analysis.talkListenRatio).toBe(2.76); // 18 800 / 6 800
    expect(rep.wordsPerMinute).toBe(114.9); // 36 words / 0.31333 min
    expect(prospect.wordsPerMinute).toBe(123.5); // 14 / 0.11333
  });

  it("counts fillers per minute of the speaker's talk time", () => {
    expect(rep.fillers).toEqual({
      count: 4,
      perMinute: 12.77, // 4 / 0.31333 min
      byWord: { um: 1, uh: 1, like: 1, "you know": 1 },
    });
    expect(prospect.fillers).toEqual({ count: 0, perMinute: 0, byWord: {} });
  });

  it("finds the longest monologue, questions and interruptions", () => {
    expect(rep.longestMonologueMs).toBe(10_100);
    expect(prospect.longestMonologueMs).toBe(4_900);
    expect(rep.questions).toBe(3);
    expect(prospect.questions).toBe(0);
    expect(analysis.interruptions).toEqual([
      { speaker: "rep", interrupted: "prospect", atMs: 11_100, overlapMs: 300 },
    ]);
    expect(rep.interruptionsMade).toBe(1);
    expect(prospect.interruptionsMade).toBe(0);
  });

  it("scores sentiment with the AFINN lexicon", () => {
    // help 2, shared 1, great 3, share 1, like 2 ×2 = 11 over 36 words.
    expect(rep.sentiment).toMatchObject({ score: 11, comparative: 0.31 });
    expect(rep.sentiment.positive).toContain("great");
    expect(prospect.sentiment).toMatchObject({ score: 2, comparative: 0.14, negative: [] });
  });

  it("scores the rubric's skills from its rules", () => {
    expect(analysis.rubric).toEqual({
      score: 72.2, // (2 × 75 + 66.7) / 3
      skills: [
        {
          id: "discovery",
          name: "Discovery",
          weight: 2,
          score: 75,
          rules: [
            { kind: "questions", weight: 1, credit: 1, observed: 3 },
            { kind: "mentions", weight: 1, credit: 0.5, observed: 1 },
          ],
        },
        {
          id: "delivery",
          name: "Delivery",
          weight: 1,
          score: 66.7,
          rules: [
            { kind: "fillersPerMinute", weight: 1, credit: 0, observed: 12.77 },
            { kind: "wordsPerMinute", weight: 1, credit: 1, observed: 114.9 },
            { kind: "avoids", weight: 1, credit: 1, observed: 0 },
          ],
        },
      ],
    });
  });

  it("does not count a short overlap as an interruption, and has no ratio without a listener", () => {
    const result = analyzeConversation(
      { turns: [say("rep", 0, "hello there"), say("prospect", 750, "hi")] }, // 150 ms overlap
      { focusSpeaker: "rep" },
    );
    expect(result.interruptions).toEqual([]);
    const alone = analyzeConversation({ turns: [say("rep", 0, "hello")] }, { focusSpeaker: "rep" });
    expect(alone.talkListenRatio).toBeNull();
    expect(alone.rubric).toBeNull();
  });

  it("refuses a malformed transcript", () => {
    expect(() =>
      analyzeConversation(
        { turns: [{ speaker: "rep", startMs: 500, endMs: 100, words: [] }] },
        { focusSpeaker: "rep" },
      ),
    ).toThrow(/ends before it starts/);
    expect(() =>
      rubricSchema.parse({
        skills: [
          { id: "a", name: "A", rules: [{ kind: "questions", min: 1 }] },
          { id: "a", name: "B", rules: [{ kind: "questions", min: 1 }] },
        ],
      }),
    ).toThrow(/unique/);
  });
});

describe("filler rules", () => {
  const words = (text: string) => say("x", 0, text).words;
  const likes = (text: string) => countFillers(words(text), { likePauseMs: 250 }).byWord.like ?? 0;

  it("counts 'like' set off by commas, pauses or other fillers, not the verb or preposition", () => {
    expect(likes("it was, like, really fast")).toBe(1);
    expect(likes("so like / we tried it")).toBe(1);
    expect(likes("um like we tried it")).toBe(1);
    expect(likes("I like the product")).toBe(0);
    expect(likes("we'd like to see a demo")).toBe(0);
    expect(likes("it looks like a good fit")).toBe(0);
    expect(likes("a tool like this")).toBe(0);
    expect(likes("I, like, want it")).toBe(1);
  });

  it("counts 'you know' unless it is a real question", () => {
    const count = (text: string) => countFillers(words(text), { likePauseMs: 250 }).count;
    expect(count("it is you know expensive")).toBe(1);
    expect(count("do you know the price")).toBe(0);
    expect(count("Um, I mean, uh it works")).toBe(3);
  });

  it("counts questions by punctuation when there is any, else by the opening word", () => {
    const questions = (text: string) => countQuestions(words(text), { phrasePauseMs: 500 });
    expect(questions("What's your budget? We have one. Is it approved?")).toBe(2);
    expect(questions("What I mean is this.")).toBe(0);
    expect(questions("so um how many seats / and do you need sso")).toBe(2);
    expect(questions("we need twenty seats")).toBe(0);
  });
});
