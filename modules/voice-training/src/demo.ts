// The demo scenario's rubric (the seed's scenarios and the tests use it): three skills scored
// by the offline keyword/heuristic rules of @plinth/speech's rubric.
import type { RubricInput } from "@plinth/speech/analysis";

export const DEMO_RUBRIC = {
  skills: [
    {
      id: "discovery",
      name: "Discovery",
      weight: 2,
      rules: [
        { kind: "questions", min: 2 },
        { kind: "mentions", phrases: ["training", "team", "budget"], min: 2 },
      ],
    },
    {
      id: "clarity",
      name: "Clarity",
      weight: 1,
      rules: [
        { kind: "wordsPerMinute", min: 110, max: 190 },
        { kind: "fillersPerMinute", max: 4 },
      ],
    },
    {
      id: "next-step",
      name: "Next step",
      weight: 1,
      rules: [{ kind: "mentions", phrases: ["demo", "next week", "meeting", "call"], min: 1 }],
    },
  ],
} as const satisfies RubricInput;
