// Running a suite in memory: tests in parallel up to `concurrency`, retries of failed tests
// (passing on a retry = flaky), a deadline per test and per run, cancellation from the
// caller's signal, and progress events for the worker to stream.
import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { deadline } from "./deadline.ts";
import { RunCancelledError, TestEngineError, TestTimeoutError, errorMessage } from "./errors.ts";
import { createHttpRunner, type HttpRunner } from "./http-runner.ts";
import { createMasker, type Masker } from "./mask.ts";
import type { AttemptResult, RunResult, RunSummary, TestResult } from "./results.ts";
import type { AttemptContext, AttemptOutcome } from "./runner.ts";
import {
  LIMITS,
  runEnvironmentSchema,
  suiteDefinitionSchema,
  type BrowserTest,
  type RunEnvironment,
  type RunEnvironmentInput,
  type SuiteDefinitionInput,
  type TestDefinition,
} from "./schema.ts";

/** What the orchestrator needs of a browser runner (see ./browser-runner.ts). */
export interface BrowserTestRunner {
  runAttempt(test: BrowserTest, context: AttemptContext): Promise<AttemptOutcome>;
}

export type RunEvent =
  | { type: "run-started"; suiteName: string; total: number }
  | { type: "test-started"; testId: string; name: string; attempt: number }
  | { type: "log"; testId: string; attempt: number; line: string }
  | { type: "test-finished"; result: TestResult }
  | { type: "run-finished"; result: RunResult };

const runSettingsSchema = z.strictObject({
  concurrency: z.number().int().min(1).max(64).default(4),
  retries: z.number().int().min(0).max(LIMITS.retries).default(0),
  runTimeoutMs: z
    .number()
    .int()
    .min(1_000)
    .max(24 * 3_600_000)
    .optional(),
  maxLogLinesPerAttempt: z.number().int().min(0).max(10_000).default(500),
});

export interface RunOptions extends z.input<typeof runSettingsSchema> {
  environment: RunEnvironmentInput;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Shared across runs by a worker; without one, the run makes and closes its own. */
  http?: HttpRunner;
  /** Without one, browser tests end as `error` (not available). */
  browser?: BrowserTestRunner;
}

export async function runSuite(
  suiteInput: SuiteDefinitionInput,
  options: RunOptions,
): Promise<RunResult> {
  const suite = suiteDefinitionSchema.parse(suiteInput);
  const environment = runEnvironmentSchema.parse(options.environment);
  const settings = runSettingsSchema.parse({
    concurrency: options.concurrency,
    retries: options.retries,
    runTimeoutMs: options.runTimeoutMs,
    maxLogLinesPerAttempt: options.maxLogLinesPerAttempt,
  });
  const masker = createMasker(Object.values(environment.secrets));
  const emit = (event: RunEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken progress listener must not break the run it reports on.
    }
  };

  const run = new AbortController();
  // Every running test's deadline listens on the run's signal (and removes itself after).
  setMaxListeners(settings.concurrency + 10, run.signal);
  const onCallerAbort = () => run.abort(new RunCancelledError());
  if (options.signal?.aborted) onCallerAbort();
  options.signal?.addEventListener("abort", onCallerAbort, { once: true });
  const runTimer =
    settings.runTimeoutMs === undefined
      ? undefined
      : setTimeout(
          () => run.abort(new TestEngineError(`run timed out after ${settings.runTimeoutMs} ms`)),
          settings.runTimeoutMs,
        );

  const http = options.http ?? createHttpRunner();
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const results: TestResult[] = new Array<TestResult>(suite.tests.length);
  emit({ type: "run-started", suiteName: suite.name, total: suite.tests.length });

  const execute = async (test: TestDefinition): Promise<TestResult> => {
    const testStartedAt = new Date().toISOString();
    const base = {
      testId: test.id,
      name: masker.text(test.name),
      kind: test.kind,
      startedAt: testStartedAt,
    };
    if (test.skip || run.signal.aborted) {
      return {
        ...base,
        status: "skipped",
        durationMs: 0,
        attempts: [],
        skippedReason: test.skip ? "skipped in its definition" : errorMessage(run.signal.reason),
      };
    }
    const attempts: AttemptResult[] = [];
    for (let attempt = 1; attempt <= settings.retries + 1; attempt++) {
      if (run.signal.aborted) break;
      emit({ type: "test-started", testId: test.id, name: base.name, attempt });
      const result = await runAttempt(test, attempt, {
        environment,
        masker,
        runSignal: run.signal,
        http,
        browser: options.browser,
        maxLogLines: settings.maxLogLinesPerAttempt,
        onLog: (line) => emit({ type: "log", testId: test.id, attempt, line }),
      });
      attempts.push(result);
      if (result.status === "passed") break;
    }
    const last = attempts.at(-1);
    const status =
      last === undefined
        ? "skipped"
        : last.status === "passed" && attempts.length > 1
          ? "flaky"
          : last.status;
    return {
      ...base,
      status,
      durationMs: attempts.reduce((sum, a) => sum + a.durationMs, 0),
      attempts,
    };
  };

  let next = 0;
  const lane = async () => {
    while (next < suite.tests.length) {
      const index = next++;
      const test = suite.tests[index];
      if (!test) break;
      const result = await execute(test);
      results[index] = result;
      emit({ type: "test-finished", result });
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(settings.concurrency, suite.tests.length) }, lane),
    );
  } finally {
    clearTimeout(runTimer);
    options.signal?.removeEventListener("abort", onCallerAbort);
    if (!options.http) await http.close();
  }

  const summary = summarise(results);
  const result: RunResult = {
    suiteName: masker.text(suite.name),
    environmentName: environment.name,
    status: run.signal.aborted
      ? "cancelled"
      : summary.failed + summary.error > 0
        ? "failed"
        : "passed",
    startedAt,
    durationMs: performance.now() - started,
    summary,
    tests: results,
  };
  emit({ type: "run-finished", result });
  return result;
}

interface AttemptDeps {
  environment: RunEnvironment;
  masker: Masker;
  runSignal: AbortSignal;
  http: HttpRunner;
  browser: BrowserTestRunner | undefined;
  maxLogLines: number;
  onLog: (line: string) => void;
}

async function runAttempt(
  test: TestDefinition,
  attempt: number,
  deps: AttemptDeps,
): Promise<AttemptResult> {
  const started = performance.now();
  const timeoutMs = test.timeoutMs ?? LIMITS.testTimeoutMs.default;
  const guard = deadline(deps.runSignal, timeoutMs, () => new TestTimeoutError(timeoutMs));
  const logs: string[] = [];
  const context: AttemptContext = {
    environment: deps.environment,
    masker: deps.masker,
    signal: guard.signal,
    log(line) {
      if (logs.length >= deps.maxLogLines) return;
      const masked = deps.masker.text(line);
      logs.push(masked);
      deps.onLog(masked);
    },
  };
  let outcome: AttemptOutcome;
  try {
    if (test.kind === "http") outcome = await deps.http.runAttempt(test, context);
    else if (deps.browser) outcome = await deps.browser.runAttempt(test, context);
    else outcome = { steps: [], artifacts: [], error: "browser tests are not available here" };
  } catch (error) {
    outcome = { steps: [], artifacts: [], error: deps.masker.text(errorMessage(error)) };
  } finally {
    guard.clear();
  }
  const stepStatuses = outcome.steps.map((s) => s.status);
  const status =
    outcome.error !== undefined || stepStatuses.includes("error")
      ? "error"
      : stepStatuses.includes("failed")
        ? "failed"
        : "passed";
  return {
    attempt,
    status,
    durationMs: performance.now() - started,
    steps: outcome.steps,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
    artifacts: outcome.artifacts,
    logs,
  };
}

export function summarise(tests: TestResult[]): RunSummary {
  const summary: RunSummary = {
    total: tests.length,
    passed: 0,
    failed: 0,
    error: 0,
    skipped: 0,
    flaky: 0,
  };
  for (const test of tests) summary[test.status] += 1;
  return summary;
}
