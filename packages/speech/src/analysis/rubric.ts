// A scenario's scoring rubric: skills with weights, each scored offline by keyword/heuristic
// rules over the focus speaker's (the trainee's) numbers. A rule earns credit 0–1 ("mentions"
// gives partial credit: 2 of 3 required mentions = 0.67); a skill's score is the rule-weighted
// mean × 100, the overall score the skill-weighted mean of the skills' scores (both rounded
// to one decimal). Where an AI provider is configured the voice module may score skills with
// it instead; this is the offline, explainable path (every rule reports what it observed).
import { z } from "zod";
import { normaliseToken } from "./transcript.ts";

const weight = z.number().positive().max(100).default(1);
const phrases = z.array(z.string().trim().min(1).max(200)).min(1).max(200);

export const rubricRuleSchema = z.discriminatedUnion("kind", [
  /** Says any of the phrases at least `min` times (each occurrence of any phrase counts). */
  z.object({
    kind: z.literal("mentions"),
    phrases,
    min: z.number().int().positive().default(1),
    weight,
  }),
  /** Says none of the phrases ("cheap", "to be honest"). */
  z.object({ kind: z.literal("avoids"), phrases, weight }),
  z.object({ kind: z.literal("questions"), min: z.number().int().min(0), weight }),
  /** Share of all talk time, 0–1. */
  z.object({
    kind: z.literal("talkShare"),
    min: z.number().min(0).max(1).optional(),
    max: z.number().min(0).max(1).optional(),
    weight,
  }),
  z.object({
    kind: z.literal("wordsPerMinute"),
    min: z.number().min(0).optional(),
    max: z.number().min(0).optional(),
    weight,
  }),
  z.object({ kind: z.literal("fillersPerMinute"), max: z.number().min(0), weight }),
  z.object({ kind: z.literal("longestMonologue"), maxMs: z.number().int().positive(), weight }),
  z.object({ kind: z.literal("interruptions"), max: z.number().int().min(0), weight }),
  /** Sentiment per word (the `sentiment` library's comparative score) at least this. */
  z.object({ kind: z.literal("sentiment"), minComparative: z.number().min(-5).max(5), weight }),
]);

export const rubricSkillSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and dashes"),
  name: z.string().trim().min(1).max(120),
  weight,
  rules: z.array(rubricRuleSchema).min(1).max(50),
});

export const rubricSchema = z.object({
  skills: z
    .array(rubricSkillSchema)
    .min(1)
    .max(50)
    .refine((skills) => new Set(skills.map((skill) => skill.id)).size === skills.length, {
      message: "skill ids must be unique",
    }),
});

export type RubricInput = z.input<typeof rubricSchema>;
export type Rubric = z.output<typeof rubricSchema>;
export type RubricRule = z.output<typeof rubricRuleSchema>;

/** What the rules read (the focus speaker's figures, see analyze.ts). */
export interface RubricFacts {
  tokens: readonly string[];
  questions: number;
  talkShare: number;
  wordsPerMinute: number;
  fillersPerMinute: number;
  longestMonologueMs: number;
  interruptionsMade: number;
  sentimentComparative: number;
}

export interface RuleResult {
  kind: RubricRule["kind"];
  weight: number;
  /** 0–1. */
  credit: number;
  /** The number the rule looked at (mentions counted, questions asked, wpm, …). */
  observed: number;
}

export interface SkillScore {
  id: string;
  name: string;
  weight: number;
  /** 0–100. */
  score: number;
  rules: RuleResult[];
}

export interface RubricScore {
  /** 0–100. */
  score: number;
  skills: SkillScore[];
}

export const round1 = (value: number) => Math.round(value * 10) / 10;
export const round2 = (value: number) => Math.round(value * 100) / 100;

/** Occurrences of a phrase (as normalised word sequence) in the tokens. */
export function countPhrase(tokens: readonly string[], phrase: string): number {
  const words = phrase.split(/\s+/).map(normaliseToken).filter(Boolean);
  if (words.length === 0) return 0;
  let count = 0;
  for (let start = 0; start + words.length <= tokens.length; start++) {
    if (words.every((word, offset) => tokens[start + offset] === word)) count++;
  }
  return count;
}

const within = (value: number, min: number | undefined, max: number | undefined) =>
  (min === undefined || value >= min) && (max === undefined || value <= max) ? 1 : 0;

function scoreRule(rule: RubricRule, facts: RubricFacts): RuleResult {
  const result = (credit: number, observed: number): RuleResult => ({
    kind: rule.kind,
    weight: rule.weight,
    credit: round2(credit),
    observed,
  });
  const mentions = (list: readonly string[]) =>
    list.reduce((sum, phrase) => sum + countPhrase(facts.tokens, phrase), 0);
  switch (rule.kind) {
    case "mentions": {
      const count = mentions(rule.phrases);
      return result(Math.min(1, count / rule.min), count);
    }
    case "avoids": {
      const count = mentions(rule.phrases);
      return result(count === 0 ? 1 : 0, count);
    }
    case "questions":
      return result(facts.questions >= rule.min ? 1 : 0, facts.questions);
    case "talkShare":
      return result(within(facts.talkShare, rule.min, rule.max), facts.talkShare);
    case "wordsPerMinute":
      return result(within(facts.wordsPerMinute, rule.min, rule.max), facts.wordsPerMinute);
    case "fillersPerMinute":
      return result(facts.fillersPerMinute <= rule.max ? 1 : 0, facts.fillersPerMinute);
    case "longestMonologue":
      return result(facts.longestMonologueMs <= rule.maxMs ? 1 : 0, facts.longestMonologueMs);
    case "interruptions":
      return result(facts.interruptionsMade <= rule.max ? 1 : 0, facts.interruptionsMade);
    case "sentiment":
      return result(
        facts.sentimentComparative >= rule.minComparative ? 1 : 0,
        facts.sentimentComparative,
      );
  }
}

export function scoreRubric(rubric: Rubric, facts: RubricFacts): RubricScore {
  const skills = rubric.skills.map((skill): SkillScore => {
    const rules = skill.rules.map((rule) => scoreRule(rule, facts));
    const total = rules.reduce((sum, rule) => sum + rule.weight, 0);
    const earned = rules.reduce((sum, rule) => sum + rule.weight * rule.credit, 0);
    return {
      id: skill.id,
      name: skill.name,
      weight: skill.weight,
      score: round1((100 * earned) / total),
      rules,
    };
  });
  const total = skills.reduce((sum, skill) => sum + skill.weight, 0);
  const weighted = skills.reduce((sum, skill) => sum + skill.weight * skill.score, 0);
  return { score: round1(weighted / total), skills };
}
