// The small pieces: prompt templates, JSON output, cost, key hints, Retry-After, the env.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  OutputValidationError,
  PromptTemplateError,
  backoffDelayMs,
  costOf,
  createPlatformProvider,
  definePromptTemplate,
  maskKeyHint,
  parseJsonOutput,
  priceTableSchema,
  retryAfterMs,
  scrubSecret,
  DEFAULT_RETRY_POLICY,
} from "../src/index.ts";
import { parseAiEnv } from "../src/env.ts";

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("prompt templates", () => {
  const summary = definePromptTemplate(
    "Summarise {{ text }} in {{words}} words for {{audience}}.",
    z.object({
      text: z.string().min(1),
      words: z.number().int().positive(),
      audience: z.string().default("a general reader"),
    }),
  );

  it("renders validated variables in one pass", () => {
    expect(summary.placeholders).toEqual(["text", "words", "audience"]);
    expect(summary.render({ text: "the report", words: 50, audience: "the board" })).toBe(
      "Summarise the report in 50 words for the board.",
    );
    expect(summary.render({ text: "the report", words: 50 })).toBe(
      "Summarise the report in 50 words for a general reader.",
    );
    // A value that looks like a placeholder is text, not expanded.
    expect(summary.render({ text: "{{words}}", words: 3 })).toBe(
      "Summarise {{words}} in 3 words for a general reader.",
    );
  });

  it("refuses unknown, missing and mistyped variables with a typed error", () => {
    const unknown = thrown(() =>
      summary.render({ text: "x", words: 1, tone: "friendly" } as unknown as {
        text: string;
        words: number;
      }),
    );
    expect(unknown).toBeInstanceOf(PromptTemplateError);
    expect(unknown).toMatchObject({
      code: "template_variables_invalid",
      issues: [{ variable: "tone", message: "is not a variable of this template" }],
    });
    const missing = thrown(() =>
      summary.render({ words: 1 } as unknown as { text: string; words: number }),
    );
    expect(missing).toMatchObject({
      code: "template_variables_invalid",
      issues: [{ variable: "text" }],
    });
    const mistyped = thrown(() => summary.render({ text: "x", words: 1.5 }));
    expect(mistyped).toMatchObject({ issues: [{ variable: "words" }] });
  });

  it("refuses a template whose placeholders and variables disagree", () => {
    expect(
      thrown(() =>
        definePromptTemplate(
          "Hi {{name}} {{ 1bad }}",
          z.object({ name: z.string(), unused: z.string() }),
        ),
      ),
    ).toMatchObject({
      code: "template_invalid",
      issues: [
        { variable: "{{ 1bad }}", message: "is not a {{variable}} placeholder" },
        { variable: "unused", message: "is declared but not used in the template" },
      ],
    });
    expect(thrown(() => definePromptTemplate("Hi {{name}}", z.object({})))).toMatchObject({
      issues: [{ variable: "name", message: "is used in the template but not declared" }],
    });
  });
});

describe("JSON output", () => {
  const schema = z.object({ answer: z.number() });

  it("accepts JSON of the schema, also inside a Markdown fence", () => {
    expect(parseJsonOutput(schema, '{"answer": 42}')).toEqual({ answer: 42 });
    expect(parseJsonOutput(schema, '```json\n{"answer": 7}\n```')).toEqual({ answer: 7 });
  });

  it("fails typed and retryable on text that is not JSON or not the shape", () => {
    const notJson = thrown(() => parseJsonOutput(schema, "The answer is 42."));
    expect(notJson).toBeInstanceOf(OutputValidationError);
    expect(notJson).toMatchObject({
      reason: "not_json",
      retryable: true,
      text: "The answer is 42.",
    });
    expect(thrown(() => parseJsonOutput(schema, '{"answer":"42"}'))).toMatchObject({
      reason: "schema_mismatch",
      issues: [{ path: "answer" }],
    });
  });
});

describe("cost", () => {
  const table = priceTableSchema.parse({
    // $0.15 / $0.60 per 1M tokens.
    "gpt-4o-mini": { promptPer1M: 15_000_000, completionPer1M: 60_000_000 },
  });

  it("prices usage in integer micro-cents from the configured table", () => {
    expect(costOf(table, "gpt-4o-mini", { promptTokens: 1_000, completionTokens: 500 })).toEqual({
      promptMicroCents: 15_000,
      completionMicroCents: 30_000,
      totalMicroCents: 45_000,
    });
    // One token: 15 micro-cents; rounding half up below one micro-cent.
    expect(
      costOf({ m: { promptPer1M: 1_500_000, completionPer1M: 499_999 } }, "m", {
        promptTokens: 1,
        completionTokens: 1,
      }),
    ).toEqual({
      promptMicroCents: 2,
      completionMicroCents: 0,
      totalMicroCents: 2,
    });
    // Large numbers stay exact (no float products above 2^53).
    expect(
      costOf(table, "gpt-4o-mini", { promptTokens: 10_000_000_000, completionTokens: 0 })
        ?.totalMicroCents,
    ).toBe(150_000_000_000);
  });

  it("has no price for a model the table does not list (not even inherited names)", () => {
    expect(
      costOf(table, "unknown-model", { promptTokens: 1, completionTokens: 1 }),
    ).toBeUndefined();
    expect(costOf(table, "constructor", { promptTokens: 1, completionTokens: 1 })).toBeUndefined();
    expect(() => priceTableSchema.parse({ m: { promptPer1M: -1, completionPer1M: 0 } })).toThrow();
    expect(() => priceTableSchema.parse({ m: { promptPer1M: 1.5, completionPer1M: 0 } })).toThrow();
  });
});

describe("keys", () => {
  it("masks a key to its prefix and last four characters", () => {
    expect(maskKeyHint("sk-proj-abcdefghijklmnopqrstuvwxyz1234")).toBe("sk-…1234");
    expect(maskKeyHint("sk-abcdefghijklmnopabcd")).toBe("sk-…abcd");
    expect(maskKeyHint("0123456789abcdefWXYZ")).toBe("…WXYZ");
    expect(maskKeyHint("short")).toBe("…");
  });

  it("scrubs a key out of text", () => {
    const key = "sk-abcdefghijklmnop1234";
    expect(scrubSecret(`bad key ${key}!`, key)).toBe("bad key sk-…1234!");
  });
});

describe("Retry-After and backoff", () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it("reads seconds, HTTP dates and retry-after-ms", () => {
    const now = Date.parse("2026-12-01T10:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "2" }), now)).toBe(2_000);
    expect(retryAfterMs(headers({ "retry-after": "Tue, 01 Dec 2026 10:00:05 GMT" }), now)).toBe(
      5_000,
    );
    expect(retryAfterMs(headers({ "retry-after": "Tue, 01 Dec 2026 09:00:00 GMT" }), now)).toBe(0);
    expect(retryAfterMs(headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(retryAfterMs(headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
  });

  it("doubles up to the cap, with jitter in the upper half", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1_000,
    ]);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(200);
  });
});

describe("environment", () => {
  it("has defaults, refuses bad values, and picks the offline provider without a key", () => {
    const env = parseAiEnv({ OPENAI_API_KEY: "" });
    expect(env).toMatchObject({ AI_REQUEST_TIMEOUT_MS: 60_000, AI_MAX_RETRIES: 2 });
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(createPlatformProvider(env).id).toBe("offline");
    expect(createPlatformProvider(parseAiEnv({ OPENAI_API_KEY: "sk-platform-key-1234" })).id).toBe(
      "openai-compatible",
    );
    expect(() => parseAiEnv({ OPENAI_BASE_URL: "ftp://x" })).toThrow(
      /Invalid ai configuration:\n {2}✖ OPENAI_BASE_URL/,
    );
    expect(() => parseAiEnv({ AI_MAX_RETRIES: "-1" })).toThrow(/AI_MAX_RETRIES/);
  });
});
