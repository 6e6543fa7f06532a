// Test definitions: the one source for the form UI, JSON/YAML import and export, and the
// engine. Every list and string has a ceiling, so a stored definition has a bounded cost.
import { z } from "zod";

export const LIMITS = {
  testsPerSuite: 500,
  stepsPerTest: 100,
  assertionsPerStep: 50,
  extractionsPerStep: 20,
  headersPerStep: 50,
  /** Request body (text or serialised JSON), in characters. */
  requestBodyChars: 256 * 1024,
  urlChars: 4096,
  headerValueChars: 8192,
  selectorChars: 1000,
  /** A user-written regular expression's source. */
  patternChars: 500,
  expectedValueChars: 64 * 1024,
  variablesPerEnvironment: 200,
  variableValueChars: 16 * 1024,
  nameChars: 200,
  stepTimeoutMs: { min: 100, max: 300_000, default: 15_000 },
  testTimeoutMs: { min: 1_000, max: 3_600_000, default: 120_000 },
  retries: 5,
} as const;

/** `{{name}}` placeholders and extracted variables use these names. */
export const variableNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "letters, digits and _, starting with a letter or _");

const nameSchema = z.string().trim().min(1).max(LIMITS.nameChars);
const headerNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/, "a header name");
const selectorSchema = z.string().min(1).max(LIMITS.selectorChars);
const urlTemplateSchema = z.string().min(1).max(LIMITS.urlChars);

/** A regular expression source that compiles (flags limited to the harmless ones). */
const patternSchema = z
  .string()
  .min(1)
  .max(LIMITS.patternChars)
  .refine((source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  }, "not a valid regular expression");
const flagsSchema = z
  .string()
  .regex(/^[ims]{0,3}$/)
  .optional();

const jsonValueSchema = z.json();
const boundedJsonSchema = jsonValueSchema.refine(
  (value) => JSON.stringify(value).length <= LIMITS.expectedValueChars,
  `at most ${LIMITS.expectedValueChars} characters as JSON`,
);
const expectedTextSchema = z.string().max(LIMITS.expectedValueChars);

// ── HTTP tests ────────────────────────────────────────────────────────────────────────────

/** How a text (a header value, the body) is checked. */
export const textMatcherSchema = z.discriminatedUnion("operator", [
  z.strictObject({ operator: z.literal("equals"), value: expectedTextSchema }),
  z.strictObject({ operator: z.literal("contains"), value: expectedTextSchema }),
  z.strictObject({ operator: z.literal("notContains"), value: expectedTextSchema }),
  z.strictObject({ operator: z.literal("matches"), pattern: patternSchema, flags: flagsSchema }),
  z.strictObject({ operator: z.literal("exists") }),
  z.strictObject({ operator: z.literal("absent") }),
]);

/** How the value(s) a JSON path selects are checked. */
export const jsonMatcherSchema = z.discriminatedUnion("operator", [
  /** Deep equality with the first match. */
  z.strictObject({ operator: z.literal("equals"), value: boundedJsonSchema }),
  /** A string match contains the text; an array match contains an element deep-equal to it. */
  z.strictObject({ operator: z.literal("contains"), value: boundedJsonSchema }),
  z.strictObject({ operator: z.literal("matches"), pattern: patternSchema, flags: flagsSchema }),
  z.strictObject({ operator: z.literal("exists") }),
  z.strictObject({ operator: z.literal("absent") }),
]);

export const httpAssertionSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("status"),
    /** One code, or any of a list. */
    equals: z.union([
      z.number().int().min(100).max(599),
      z.array(z.number().int().min(100).max(599)).min(1).max(20),
    ]),
  }),
  z.strictObject({ type: z.literal("header"), name: headerNameSchema, expect: textMatcherSchema }),
  z.strictObject({
    type: z.literal("jsonPath"),
    path: z.string().min(1).max(500),
    expect: jsonMatcherSchema,
  }),
  z.strictObject({ type: z.literal("body"), expect: textMatcherSchema }),
  z.strictObject({
    type: z.literal("responseTime"),
    lessThanMs: z.number().int().min(1).max(LIMITS.stepTimeoutMs.max),
  }),
]);

/** A value taken from a step's answer, available to later steps as `{{name}}`. */
export const extractionSchema = z.discriminatedUnion("from", [
  z.strictObject({
    name: variableNameSchema,
    from: z.literal("jsonPath"),
    path: z.string().min(1).max(500),
  }),
  z.strictObject({ name: variableNameSchema, from: z.literal("header"), header: headerNameSchema }),
  /** The first capture group (or the whole match) of a pattern over the body text. */
  z.strictObject({
    name: variableNameSchema,
    from: z.literal("body"),
    pattern: patternSchema,
    flags: flagsSchema,
  }),
  z.strictObject({ name: variableNameSchema, from: z.literal("status") }),
]);

export const httpMethodSchema = z.enum([
  "GET",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "HEAD",
  "OPTIONS",
]);

export const httpStepSchema = z
  .strictObject({
    name: nameSchema.optional(),
    method: httpMethodSchema,
    /** Absolute, or a path resolved against the environment's base URL. */
    url: urlTemplateSchema,
    headers: z
      .record(headerNameSchema, z.string().max(LIMITS.headerValueChars))
      .refine((h) => Object.keys(h).length <= LIMITS.headersPerStep, "too many headers")
      .default({}),
    /** A text body (templated). */
    body: z.string().max(LIMITS.requestBodyChars).optional(),
    /** A JSON body: templates are rendered in its strings; sent as application/json. */
    json: boundedJsonSchema.optional(),
    assertions: z.array(httpAssertionSchema).max(LIMITS.assertionsPerStep).default([]),
    extract: z.array(extractionSchema).max(LIMITS.extractionsPerStep).default([]),
    timeoutMs: z
      .number()
      .int()
      .min(LIMITS.stepTimeoutMs.min)
      .max(LIMITS.stepTimeoutMs.max)
      .optional(),
  })
  .refine((step) => step.body === undefined || step.json === undefined, {
    message: "a step has either body or json, not both",
    path: ["json"],
  });

// ── Browser tests ─────────────────────────────────────────────────────────────────────────

const browserStepBase = {
  name: nameSchema.optional(),
  timeoutMs: z
    .number()
    .int()
    .min(LIMITS.stepTimeoutMs.min)
    .max(LIMITS.stepTimeoutMs.max)
    .optional(),
};

export const browserStepSchema = z.discriminatedUnion("action", [
  z.strictObject({ ...browserStepBase, action: z.literal("goto"), url: urlTemplateSchema }),
  z.strictObject({ ...browserStepBase, action: z.literal("click"), selector: selectorSchema }),
  z.strictObject({
    ...browserStepBase,
    action: z.literal("fill"),
    selector: selectorSchema,
    value: z.string().max(LIMITS.variableValueChars),
  }),
  z.strictObject({
    ...browserStepBase,
    action: z.literal("select"),
    selector: selectorSchema,
    /** Option value(s) or label(s). */
    value: z.union([z.string().max(1000), z.array(z.string().max(1000)).min(1).max(50)]),
  }),
  z.strictObject({
    ...browserStepBase,
    action: z.literal("press"),
    /** Without a selector the key goes to the focused element. */
    selector: selectorSchema.optional(),
    key: z.string().min(1).max(100),
  }),
  z.strictObject({
    ...browserStepBase,
    action: z.literal("waitFor"),
    selector: selectorSchema,
    state: z.enum(["attached", "detached", "visible", "hidden"]).default("visible"),
  }),
  z.strictObject({
    ...browserStepBase,
    action: z.literal("expectText"),
    selector: selectorSchema,
    text: z.string().max(LIMITS.expectedValueChars),
    /** `contains` (default) or the whole trimmed text. */
    match: z.enum(["contains", "equals"]).default("contains"),
  }),
  z.strictObject({
    ...browserStepBase,
    action: z.literal("expectVisible"),
    selector: selectorSchema,
  }),
  z.strictObject({
    ...browserStepBase,
    action: z.literal("expectUrl"),
    expect: z.discriminatedUnion("operator", [
      z.strictObject({ operator: z.literal("equals"), value: urlTemplateSchema }),
      z.strictObject({ operator: z.literal("contains"), value: urlTemplateSchema }),
      z.strictObject({
        operator: z.literal("matches"),
        pattern: patternSchema,
        flags: flagsSchema,
      }),
    ]),
  }),
  z.strictObject({
    ...browserStepBase,
    action: z.literal("screenshot"),
    label: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    fullPage: z.boolean().default(false),
  }),
]);

// ── Tests and suites ──────────────────────────────────────────────────────────────────────

const testBase = {
  /** Stable id from the caller (database id, file key); names may repeat. */
  id: z.string().min(1).max(100),
  name: nameSchema,
  timeoutMs: z
    .number()
    .int()
    .min(LIMITS.testTimeoutMs.min)
    .max(LIMITS.testTimeoutMs.max)
    .optional(),
  skip: z.boolean().default(false),
};

export const httpTestSchema = z.strictObject({
  ...testBase,
  kind: z.literal("http"),
  steps: z.array(httpStepSchema).min(1).max(LIMITS.stepsPerTest),
});

export const browserTestSchema = z.strictObject({
  ...testBase,
  kind: z.literal("browser"),
  steps: z.array(browserStepSchema).min(1).max(LIMITS.stepsPerTest),
  viewport: z
    .strictObject({
      width: z.number().int().min(200).max(3840),
      height: z.number().int().min(200).max(2160),
    })
    .optional(),
});

export const testDefinitionSchema = z.discriminatedUnion("kind", [
  httpTestSchema,
  browserTestSchema,
]);

export const suiteDefinitionSchema = z.strictObject({
  name: nameSchema,
  tests: z
    .array(testDefinitionSchema)
    .max(LIMITS.testsPerSuite)
    .refine((tests) => new Set(tests.map((t) => t.id)).size === tests.length, "test ids repeat"),
});

const variablesSchema = z
  .record(variableNameSchema, z.string().max(LIMITS.variableValueChars))
  .refine(
    (vars) => Object.keys(vars).length <= LIMITS.variablesPerEnvironment,
    "too many variables",
  );

/**
 * What a run executes against. Secrets come from the caller (the vault) at run time; the
 * engine masks their values in every result, log line and report.
 */
export const runEnvironmentSchema = z
  .strictObject({
    name: nameSchema.default("default"),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .max(LIMITS.urlChars)
      .optional(),
    variables: variablesSchema.default({}),
    secrets: variablesSchema.default({}),
  })
  .refine(
    (env) => Object.keys(env.secrets).every((name) => !(name in env.variables)),
    "a name is either a variable or a secret",
  );

export type HttpAssertion = z.infer<typeof httpAssertionSchema>;
export type TextMatcher = z.infer<typeof textMatcherSchema>;
export type JsonMatcher = z.infer<typeof jsonMatcherSchema>;
export type Extraction = z.infer<typeof extractionSchema>;
export type HttpStep = z.infer<typeof httpStepSchema>;
export type BrowserStep = z.infer<typeof browserStepSchema>;
export type HttpTest = z.infer<typeof httpTestSchema>;
export type BrowserTest = z.infer<typeof browserTestSchema>;
export type TestDefinition = z.infer<typeof testDefinitionSchema>;
export type TestDefinitionInput = z.input<typeof testDefinitionSchema>;
export type SuiteDefinition = z.infer<typeof suiteDefinitionSchema>;
export type SuiteDefinitionInput = z.input<typeof suiteDefinitionSchema>;
export type RunEnvironment = z.infer<typeof runEnvironmentSchema>;
export type RunEnvironmentInput = z.input<typeof runEnvironmentSchema>;
export type JsonValue = z.infer<typeof jsonValueSchema>;
