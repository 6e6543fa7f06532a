export * from "./analyze.ts";
export * from "./transcript.ts";
export * from "./rubric.ts";
export { countFillers, countQuestions, SINGLE_WORD_FILLERS } from "./fillers.ts";
