// The test-automation procedures' inputs (client-safe: zod mini only; the web app's forms
// validate with the same schemas). Test definitions travel as JSON or YAML text and are
// validated by @plinth/test-engine's zod schemas in the service (one source for the form UI,
// the JSON editor, import and export).
import * as z from "zod/mini";
import { cuid, email, text } from "@plinth/core/inputs";

/** Documents up to the engine's MAX_DEFINITION_CHARS (2 MiB). */
export const DEFINITION_MAX_CHARS = 2 * 1024 * 1024;

const name = text(200, z.trim(), z.minLength(1, "Enter a name"));
const variableName = text(
  64,
  z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "Letters, digits and _, starting with a letter or _"),
);
const variableValue = text(16 * 1024);
const baseUrl = text(
  4096,
  z.trim(),
  z.regex(/^https?:\/\/[^\s]+$/, "An http(s) URL, e.g. https://staging.example.com"),
);
/** Five-field cron (UTC), e.g. "0 * * * *"; checked by graphile-worker's parser in the service. */
const cron = text(100, z.trim(), z.regex(/^\S+( \S+){4}$/, "Five cron fields, e.g. 0 * * * *"));

export const definitionFormat = z.enum(["json", "yaml"]);
export const definitionText = text(DEFINITION_MAX_CHARS, z.minLength(2, "Enter a definition"));

export const testProjectInput = z.object({ projectId: cuid });

// ── Environments ─────────────────────────────────────────────────────────────────────────
const variables = z.array(z.object({ name: variableName, value: variableValue }));
export const createEnvironmentInput = z.object({
  projectId: cuid,
  name,
  baseUrl: z.optional(baseUrl),
  variables: z._default(variables, []),
  /** Write-only: stored in the vault, never answered again. */
  secrets: z._default(variables, []),
});
export const updateEnvironmentInput = z.object({
  environmentId: cuid,
  name: z.optional(name),
  baseUrl: z.optional(z.nullable(baseUrl)),
  variables: z.optional(variables),
  /** Sets (or replaces) these secrets. */
  setSecrets: z._default(variables, []),
  removeSecrets: z._default(z.array(variableName), []),
});
export const environmentInput = z.object({ environmentId: cuid });

// ── Suites ───────────────────────────────────────────────────────────────────────────────
const suiteSettings = {
  description: z.optional(text(2000)),
  schedule: z.optional(z.nullable(cron)),
  scheduleEnvironmentId: z.optional(z.nullable(cuid)),
  retries: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(5))),
  concurrency: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(16))),
  runTimeoutMs: z.optional(z.number().check(z.int(), z.minimum(1_000), z.maximum(3_600_000))),
};
export const createSuiteInput = z.object({ projectId: cuid, name, ...suiteSettings });
export const updateSuiteInput = z.object({
  suiteId: cuid,
  name: z.optional(name),
  ...suiteSettings,
});
export const suiteInput = z.object({ suiteId: cuid });
export const exportSuiteInput = z.object({ suiteId: cuid, format: definitionFormat });
/** A suite document (`{ name, tests: [...] }`): a new suite, or replaces an existing one's tests. */
export const importSuiteInput = z.object({
  projectId: cuid,
  format: definitionFormat,
  text: definitionText,
  suiteId: z.optional(cuid),
});

// ── Tests ────────────────────────────────────────────────────────────────────────────────
export const createTestInput = z.object({
  suiteId: cuid,
  format: definitionFormat,
  text: definitionText,
});
export const updateTestInput = z.object({
  testId: cuid,
  format: definitionFormat,
  text: definitionText,
});
export const testInput = z.object({ testId: cuid });
export const exportTestInput = z.object({ testId: cuid, format: definitionFormat });

// ── Runs ─────────────────────────────────────────────────────────────────────────────────
export const startTestRunInput = z.object({
  suiteId: cuid,
  environmentId: cuid,
  /** Only this test of the suite. */
  testId: z.optional(cuid),
  reference: z.optional(text(200)),
});
export const testRunInput = z.object({ testRunId: cuid });
export const listRunsInput = z.object({
  projectId: cuid,
  suiteId: z.optional(cuid),
  limit: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
});
export const testResultInput = z.object({ testResultId: cuid });
export const dashboardInput = z.object({
  projectId: cuid,
  days: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(90)), 30),
});

// ── Watchers ─────────────────────────────────────────────────────────────────────────────
export const addWatcherInput = z.object({ projectId: cuid, email });
export const watcherInput = z.object({ watcherId: cuid });
