// The contract between the orchestrator and the HTTP and browser runners: one attempt of one
// test, under a signal that carries the test's deadline and the run's cancellation.
import { errorMessage } from "./errors.ts";
import { TestEngineError } from "./errors.ts";
import type { Masker } from "./mask.ts";
import type { Artifact, StepResult } from "./results.ts";
import type { RunEnvironment } from "./schema.ts";
import type { Variables } from "./template.ts";

export interface AttemptContext {
  environment: RunEnvironment;
  masker: Masker;
  /** Aborts with TestTimeoutError or RunCancelledError. */
  signal: AbortSignal;
  /** A log line for this test (masked before anyone sees it). */
  log(line: string): void;
}

export interface AttemptOutcome {
  steps: StepResult[];
  artifacts: Artifact[];
  /** A failure outside any step (e.g. the browser would not start). */
  error?: string;
}

/** Variables, then secrets, then what earlier steps extracted (later wins). */
export function initialVariables(environment: RunEnvironment): Record<string, string> {
  return { ...environment.variables, ...environment.secrets };
}

export function withBuiltins(variables: Variables, environment: RunEnvironment): Variables {
  return environment.baseUrl ? { baseUrl: environment.baseUrl, ...variables } : variables;
}

/** A path (`/users`) joins the base URL as written (its own path kept); absolute URLs stay. */
export function resolveUrl(rendered: string, baseUrl: string | undefined): string {
  if (/^https?:\/\//i.test(rendered)) return new URL(rendered).toString();
  if (!baseUrl)
    throw new TestEngineError(`"${rendered}" is relative and the environment has no base URL`);
  const joined = `${baseUrl.replace(/\/+$/, "")}/${rendered.replace(/^\/+/, "")}`;
  return new URL(joined).toString();
}

/** The message for an exception inside a step: the abort reason wins over the symptom. */
export function stepErrorMessage(error: unknown, signals: AbortSignal[]): string {
  for (const signal of signals) {
    if (signal.aborted) return errorMessage(signal.reason);
  }
  return errorMessage(error);
}

export function skippedSteps<T>(
  steps: T[],
  from: number,
  describe: (step: T) => string,
): StepResult[] {
  return steps.slice(from).map((step, offset) => ({
    index: from + offset,
    name: describe(step),
    status: "skipped",
    durationMs: 0,
    assertions: [],
  }));
}
