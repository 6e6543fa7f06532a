// What a run produces. Every string in here has been through the environment's Masker; the
// only bytes are artifacts (screenshots) for the caller to store.

export type StepStatus = "passed" | "failed" | "error" | "skipped";
/** `flaky`: failed at first, passed on a retry. */
export type TestStatus = "passed" | "failed" | "error" | "skipped" | "flaky";

export interface AssertionResult {
  /** e.g. `status`, `header content-type contains`, `jsonPath $.id equals`. */
  description: string;
  passed: boolean;
  expected: string;
  actual: string;
}

export interface HttpExchange {
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: string;
    bodyTruncated?: boolean;
  };
  response?: {
    status: number;
    headers: Record<string, string>;
    body: string;
    bodyTruncated: boolean;
    bodyBytes: number;
    /** From sending the request to the last byte of the body. */
    timeMs: number;
  };
}

export interface Artifact {
  kind: "screenshot";
  /** The screenshot step's label, or `failure` for the automatic one. */
  label: string;
  stepIndex: number;
  contentType: "image/png";
  bytes: Uint8Array;
}

export interface StepResult {
  index: number;
  /** The step's name, or a description of it from its (unrendered) definition. */
  name: string;
  status: StepStatus;
  durationMs: number;
  assertions: AssertionResult[];
  error?: string;
  exchange?: HttpExchange;
  /** Names of the variables this step extracted (values stay in the run). */
  extracted?: string[];
}

export interface AttemptResult {
  /** 1 for the first run, 2 for the first retry, … */
  attempt: number;
  status: Exclude<TestStatus, "flaky">;
  durationMs: number;
  steps: StepResult[];
  error?: string;
  artifacts: Artifact[];
  logs: string[];
}

export interface TestResult {
  testId: string;
  name: string;
  kind: "http" | "browser";
  status: TestStatus;
  /** Sum over the attempts. */
  durationMs: number;
  startedAt: string;
  /** Every attempt in order; the last one decides the status. */
  attempts: AttemptResult[];
  /** Why it was skipped (definition, or the run was cancelled before it started). */
  skippedReason?: string;
}

export interface RunSummary {
  total: number;
  passed: number;
  failed: number;
  error: number;
  skipped: number;
  flaky: number;
}

export interface RunResult {
  suiteName: string;
  environmentName: string;
  /** `passed` also when some tests are flaky or skipped; `failed` when any failed or errored. */
  status: "passed" | "failed" | "cancelled";
  startedAt: string;
  durationMs: number;
  summary: RunSummary;
  tests: TestResult[];
}
