// The practice procedures' inputs (client-safe: zod mini only; the web app's forms validate
// with the same schemas). The rubric mirrors @plinth/speech's rubricSchema (the service
// re-validates with it, which also fills in the defaults) with bounded, well-formed strings.
import * as z from "zod/mini";
import { cuid, text } from "@plinth/core/inputs";

export { DEMO_RUBRIC as defaultRubric } from "./demo.ts";

export const scenarioId = cuid;
export const sessionId = cuid;

const phrase = text(200, z.trim(), z.minLength(1, "Enter a phrase"));
const phrases = z.array(phrase).check(z.minLength(1), z.maxLength(50));
const weight = z.optional(z.number().check(z.positive(), z.lte(100)));

export const rubricRuleInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("mentions"),
    phrases,
    min: z.optional(z.int().check(z.positive(), z.lte(100))),
    weight,
  }),
  z.object({ kind: z.literal("avoids"), phrases, weight }),
  z.object({ kind: z.literal("questions"), min: z.int().check(z.gte(0), z.lte(100)), weight }),
  z.object({
    kind: z.literal("talkShare"),
    min: z.optional(z.number().check(z.gte(0), z.lte(1))),
    max: z.optional(z.number().check(z.gte(0), z.lte(1))),
    weight,
  }),
  z.object({
    kind: z.literal("wordsPerMinute"),
    min: z.optional(z.number().check(z.gte(0), z.lte(1000))),
    max: z.optional(z.number().check(z.gte(0), z.lte(1000))),
    weight,
  }),
  z.object({
    kind: z.literal("fillersPerMinute"),
    max: z.number().check(z.gte(0), z.lte(1000)),
    weight,
  }),
]);

export const rubricSkillInput = z.object({
  id: text(63, z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and dashes")),
  name: text(120, z.trim(), z.minLength(1, "Enter a skill name")),
  weight,
  rules: z.array(rubricRuleInput).check(z.minLength(1), z.maxLength(20)),
});

export const rubricInput = z.object({
  skills: z.array(rubricSkillInput).check(z.minLength(1), z.maxLength(20)),
});

export const difficulty = z.enum(["EASY", "MEDIUM", "HARD"]);

const scenarioFields = {
  name: text(80, z.trim(), z.minLength(1, "Enter a scenario name")),
  persona: text(2_000, z.trim(), z.minLength(1, "Describe the prospect")),
  product: text(500, z.trim(), z.minLength(1, "Name what is being sold")),
  objections: z.array(text(300, z.trim(), z.minLength(1))).check(z.maxLength(20)),
  goals: z.array(text(300, z.trim(), z.minLength(1))).check(z.maxLength(20)),
  difficulty,
  rubric: rubricInput,
};

export const createScenarioInput = z.object(scenarioFields);
export const updateScenarioInput = z.object({ scenarioId, ...scenarioFields });
export const scenarioInput = z.object({ scenarioId });
export const listScenariosInput = z.object({
  includeArchived: z._default(z.boolean(), false),
});

export const startSessionInput = z.object({ scenarioId });
export const sessionInput = z.object({ sessionId });
export const listSessionsInput = z.object({
  /** "all" is for admins (a team view); members always see their own. */
  who: z._default(z.enum(["mine", "all"]), "mine"),
  limit: z._default(z.int().check(z.gte(1), z.lte(100)), 50),
});

/** How far back progress goes (days), the period of the charts and the team view. */
const progressDays = z._default(z.int().check(z.gte(1), z.lte(365)), 90);

/** A trainee's progress: their own, or (admins) a member's. */
export const progressInput = z.object({
  userId: z.optional(cuid),
  days: progressDays,
  /** The newest this many sessions of the period. */
  limit: z._default(z.int().check(z.gte(1), z.lte(500)), 200),
});
export const teamProgressInput = z.object({ days: progressDays });

export const grantMinutesInput = z.object({
  userId: cuid,
  minutes: z.int().check(z.gte(-100_000), z.lte(100_000)),
  note: z.optional(text(200, z.trim())),
});

/**
 * A session's after-end work (the worker's jobs), in the session answers as transcriptStatus
 * and feedbackStatus: null before the end, PENDING while a job has it, then READY or FAILED.
 */
export const PRACTICE_WORK_STATUSES = ["PENDING", "READY", "FAILED"] as const;
export type PracticeWorkStatus = (typeof PRACTICE_WORK_STATUSES)[number];

/** Frames the browser sends on the practice socket (audio is binary: 16 kHz mono PCM16). */
export const clientFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auth"), ticket: text(200) }),
  z.object({ type: z.literal("end") }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;

/** An admin's retention for the company's recordings (days; null: the default). */
export const practiceSettingsInput = z.object({
  recordingRetentionDays: z.nullable(z.int().check(z.gte(1), z.lte(3650))),
});

/** Speech-to-text adapters a company can choose (packages/speech); null: the platform's. */
export const SPEECH_TO_TEXT_CHOICES = ["pocketsphinx", "openai", "deepgram"] as const;
/** Text-to-speech for the prospect's voice; "none": text replies only. */
export const TEXT_TO_SPEECH_CHOICES = ["espeak", "elevenlabs", "none"] as const;
/** Vendors whose key a company can store (write-only, in the vault). */
export const PROVIDER_KEY_VENDORS = ["openai", "deepgram", "elevenlabs"] as const;
/**
 * OpenAI models a company can choose for the prospect and the coach, with its own key. A short
 * list, not any string: chat models that take `temperature` and `max_completion_tokens` as the
 * prompts send them (the reasoning models refuse `temperature`), and a known cost per minute.
 */
export const LLM_MODEL_CHOICES = [
  "gpt-4o-mini",
  "gpt-4o",
  "gpt-4.1-nano",
  "gpt-4.1-mini",
  "gpt-4.1",
] as const;
export type SpeechToTextChoice = (typeof SPEECH_TO_TEXT_CHOICES)[number];
export type LlmModelChoice = (typeof LLM_MODEL_CHOICES)[number];
export type TextToSpeechChoice = (typeof TEXT_TO_SPEECH_CHOICES)[number];
export type ProviderKeyVendor = (typeof PROVIDER_KEY_VENDORS)[number];

/** A provider API key as pasted: no spaces inside, 8–512 characters. */
const providerKey = text(
  512,
  z.trim(),
  z.minLength(8, "That is too short to be an API key"),
  z.regex(/^\S+$/, "An API key has no spaces"),
);

/** The company's own LLM: OpenAI (its own OpenAI key) with one of the allowed models. */
export const llmChoiceInput = z.object({
  provider: z.literal("openai"),
  model: z.enum(LLM_MODEL_CHOICES),
});
export type LlmChoice = z.infer<typeof llmChoiceInput>;

/**
 * An admin's choice of adapters (null: the platform's) and, optionally, new keys: a key left
 * out stays as it is (keys are write-only; practice.deleteProviderKey removes one). `llm` left
 * out stays as it is too (callers from before the LLM choice send none).
 */
export const practiceProvidersInput = z.object({
  speechToText: z.nullable(z.enum(SPEECH_TO_TEXT_CHOICES)),
  textToSpeech: z.nullable(z.enum(TEXT_TO_SPEECH_CHOICES)),
  llm: z.optional(z.nullable(llmChoiceInput)),
  keys: z.optional(
    z.object({
      openai: z.optional(providerKey),
      deepgram: z.optional(providerKey),
      elevenlabs: z.optional(providerKey),
    }),
  ),
});

export const deleteProviderKeyInput = z.object({ vendor: z.enum(PROVIDER_KEY_VENDORS) });
