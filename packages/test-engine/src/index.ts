// @plinth/test-engine: database-free, transport-free execution of test-automation suites.
// The browser runner (playwright-core) and the artifact stores (AWS SDK) have their own entry
// points, so an HTTP-only caller loads neither.
export * from "./schema.ts";
export * from "./errors.ts";
export * from "./template.ts";
export * from "./mask.ts";
export * from "./json-path.ts";
export * from "./results.ts";
export * from "./definitions.ts";
export * from "./junit.ts";
export { evaluateAssertions, extractValues, type HttpAnswer } from "./http-assertions.ts";
export {
  createHttpRunner,
  describeHttpStep,
  type HttpRunner,
  type HttpRunnerOptions,
} from "./http-runner.ts";
export {
  runSuite,
  summarise,
  type RunEvent,
  type RunOptions,
  type BrowserTestRunner,
} from "./run.ts";
export type { AttemptContext, AttemptOutcome } from "./runner.ts";
