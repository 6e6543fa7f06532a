// The demo scenario's rubric (the seed's scenarios, the web form's default, the tests): three
// skills scored by the offline keyword/heuristic rules of @plinth/speech's rubric.
import type * as z from "zod/mini";
import type { rubricInput } from "./contract.ts";

export const DEMO_RUBRIC: z.input<typeof rubricInput> = {
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
};
