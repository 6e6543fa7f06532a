// The OpenAI-compatible adapter through the real `openai` SDK against a local Chat Completions
// server on loopback: streaming, usage, retries (429 with Retry-After in seconds and as an HTTP
// date, 500), no retry on 400, timeouts, cancellation that closes the connection, JSON output,
// and the key never showing up in logs or errors.
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLogger } from "@plinth/core/logger";
import {
  ProviderError,
  createOpenAICompatibleProvider,
  parseJsonOutput,
  type OpenAICompatibleOptions,
} from "../src/index.ts";
import { startOpenAITestServer, type OpenAITestServer } from "./openai-test-server.ts";

const API_KEY = "sk-test-0123456789abcdefghijklmnopqrstuvwxyzWXYZ";
let server: OpenAITestServer;

beforeAll(async () => {
  server = await startOpenAITestServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

function provider(options: Partial<OpenAICompatibleOptions> = {}) {
  return createOpenAICompatibleProvider({
    apiKey: API_KEY,
    baseURL: server.baseURL,
    // Fast backoff for the tests; Retry-After values are what the server says.
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    ...options,
  });
}

const request = { model: "gpt-test", messages: [{ role: "user" as const, content: "Hello" }] };

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProviderError))
    throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe("OpenAI-compatible adapter", () => {
  it("streams token deltas, then a result with usage, finish reason and latency", async () => {
    server.script({
      kind: "stream",
      tokens: ["Hel", "lo", " there"],
      usage: { prompt_tokens: 9, completion_tokens: 3 },
    });
    const stream = provider().stream({
      ...request,
      system: "Be brief.",
      temperature: 0.2,
      maxTokens: 50,
    });
    const deltas: string[] = [];
    for await (const delta of stream) deltas.push(delta);
    const result = await stream.result();

    expect(deltas).toEqual(["Hel", "lo", " there"]);
    expect(result).toMatchObject({
      provider: "openai-compatible",
      model: "gpt-test-2026-01-01",
      text: "Hello there",
      finishReason: "stop",
      usage: { promptTokens: 9, completionTokens: 3, totalTokens: 12, estimated: false },
      attempts: 1,
    });
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.timeToFirstTokenMs).toBeLessThanOrEqual(result.latencyMs);

    const [sent] = server.requests;
    expect(sent?.body).toMatchObject({
      model: "gpt-test",
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_completion_tokens: 50,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello" },
      ],
    });
    expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("estimates usage when the server sends none, and reports a length stop", async () => {
    server.script({
      kind: "stream",
      tokens: ["one", " two"],
      usage: "omit",
      finishReason: "length",
    });
    const result = await provider().stream(request).result();
    expect(result.finishReason).toBe("length");
    expect(result.usage).toMatchObject({ completionTokens: 2, estimated: true });
    expect(result.usage.promptTokens).toBeGreaterThan(0);
  });

  it("waits out a 429's Retry-After in seconds, then succeeds", async () => {
    server.script(
      {
        kind: "error",
        status: 429,
        headers: { "retry-after": "1" },
        body: { error: { message: "slow down" } },
      },
      { kind: "stream", tokens: ["ok"] },
    );
    const result = await provider().stream(request).result();
    expect(result).toMatchObject({ text: "ok", attempts: 2 });
    const [first, second] = server.requests;
    // The backoff alone would be 10–20 ms: the gap is the server's second.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
  });

  it("waits out a Retry-After given as an HTTP date", async () => {
    // HTTP dates have whole seconds: two seconds ahead is at least one second of waiting.
    const retryAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000).toUTCString();
    server.script(
      { kind: "error", status: 429, headers: { "retry-after": retryAt } },
      { kind: "stream", tokens: ["ok"] },
    );
    const result = await provider().stream(request).result();
    expect(result.attempts).toBe(2);
    const [first, second] = server.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
  });

  it("does not sleep through a Retry-After above the limit: fails with retryAfterMs", async () => {
    server.script({ kind: "error", status: 429, headers: { "retry-after": "3600" } });
    const error = await failure(provider().stream(request).result());
    expect(error).toMatchObject({
      code: "rate_limited",
      retryable: true,
      status: 429,
      retryAfterMs: 3_600_000,
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("retries 500s with backoff and gives up after maxRetries", async () => {
    server.script(
      { kind: "error", status: 500 },
      { kind: "error", status: 502 },
      { kind: "error", status: 503 },
      { kind: "stream", tokens: ["never reached"] },
    );
    const error = await failure(
      provider({ retry: { maxRetries: 2, baseDelayMs: 20 } })
        .stream(request)
        .result(),
    );
    expect(error).toMatchObject({
      code: "provider_unavailable",
      retryable: true,
      status: 503,
      attempts: 3,
    });
    expect(server.requests).toHaveLength(3);
  });

  it("recovers from a 500 on the next attempt", async () => {
    server.script({ kind: "error", status: 500 }, { kind: "stream", tokens: ["fine"] });
    const result = await provider().stream(request).result();
    expect(result).toMatchObject({ text: "fine", attempts: 2 });
  });

  it("does not retry a 400 (nor a 409, which the SDK alone would)", async () => {
    server.script(
      {
        kind: "error",
        status: 400,
        body: { error: { message: "bad model", type: "invalid_request_error" } },
      },
      { kind: "stream", tokens: ["never reached"] },
    );
    const error = await failure(provider().stream(request).result());
    expect(error).toMatchObject({
      code: "request_rejected",
      retryable: false,
      status: 400,
      attempts: 1,
    });
    expect(error.message).toContain("bad model");
    expect(server.requests).toHaveLength(1);

    server.requests.length = 0;
    server.script({ kind: "error", status: 409 }, { kind: "stream", tokens: ["never reached"] });
    expect(await failure(provider().stream(request).result())).toMatchObject({
      status: 409,
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("times out a server that never answers, closing the connection", async () => {
    server.script({ kind: "hang" });
    const error = await failure(
      provider({ timeoutMs: 200, retry: { maxRetries: 0 } })
        .stream(request)
        .result(),
    );
    expect(error).toMatchObject({ code: "timeout", retryable: true, attempts: 1 });
    expect(await server.requests[0]?.closed).toBe(true);
  });

  it("times out a stream that goes silent after its first tokens (no retry: output was sent)", async () => {
    server.script(
      { kind: "stream", tokens: ["a", "b", "c"], stallAfter: 1 },
      { kind: "stream", tokens: ["x"] },
    );
    const stream = provider({ timeoutMs: 200 }).stream(request);
    const deltas: string[] = [];
    const error = await failure(
      (async () => {
        for await (const delta of stream) deltas.push(delta);
      })(),
    );
    expect(deltas).toEqual(["a"]);
    expect(error).toMatchObject({ code: "timeout", attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(await server.requests[0]?.closed).toBe(true);
  });

  it("retries a timeout before the first token", async () => {
    server.script({ kind: "hang" }, { kind: "stream", tokens: ["late"] });
    const result = await provider({ timeoutMs: 200 }).stream(request).result();
    expect(result).toMatchObject({ text: "late", attempts: 2 });
  });

  it("cancels mid-stream: the server sees the connection close", async () => {
    server.script({ kind: "stream", tokens: ["1", "2", "3", "4", "5", "6"], tokenDelayMs: 100 });
    const controller = new AbortController();
    const stream = provider().stream(request, { signal: controller.signal });
    const deltas: string[] = [];
    const error = await failure(
      (async () => {
        for await (const delta of stream) {
          deltas.push(delta);
          if (deltas.length === 2) controller.abort();
        }
      })(),
    );
    expect(error).toMatchObject({ code: "cancelled", retryable: false });
    expect(deltas).toEqual(["1", "2"]);
    expect(await server.requests[0]?.closed).toBe(true);
    await expect(stream.result()).rejects.toBe(error);
  });

  it("cancels while waiting out a Retry-After, without another request", async () => {
    server.script(
      { kind: "error", status: 429, headers: { "retry-after": "30" } },
      { kind: "stream", tokens: ["x"] },
    );
    const controller = new AbortController();
    const pending = provider().stream(request, { signal: controller.signal }).result();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await failure(pending);
    expect(error.code).toBe("cancelled");
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
  });

  it("stops the provider call when the reader leaves the loop early", async () => {
    server.script({ kind: "stream", tokens: ["1", "2", "3", "4", "5"], tokenDelayMs: 100 });
    for await (const delta of provider().stream(request)) {
      expect(delta).toBe("1");
      break;
    }
    expect(await server.requests[0]?.closed).toBe(true);
  });

  it("asks for JSON of the output schema and the caller validates the answer", async () => {
    const schema = z.object({ sentiment: z.enum(["positive", "negative"]), score: z.number() });
    server.script(
      { kind: "stream", tokens: ['{"sentiment":', '"positive","score":0.9}'] },
      { kind: "stream", tokens: ['{"sentiment":"meh"}'] },
    );
    const adapter = provider();
    const good = await adapter.stream({ ...request, outputSchema: schema }).result();
    expect(parseJsonOutput(schema, good.text)).toEqual({ sentiment: "positive", score: 0.9 });
    expect(server.requests[0]?.body.response_format).toMatchObject({
      type: "json_schema",
      json_schema: {
        name: "output",
        strict: false,
        schema: { type: "object", required: ["sentiment", "score"] },
      },
    });
    const bad = await adapter.stream({ ...request, outputSchema: schema }).result();
    expect(() => parseJsonOutput(schema, bad.text)).toThrow(
      expect.objectContaining({
        code: "invalid_output",
        reason: "schema_mismatch",
        retryable: true,
      }),
    );
  });

  it("sends the configured headers and query, and no organization from the environment", async () => {
    process.env.OPENAI_ORG_ID = "org-platform";
    try {
      server.script({ kind: "stream", tokens: ["ok"] });
      await provider({
        headers: { "X-Title": "Plinth" },
        query: { "api-version": "2024-10-21" },
        maxTokensParameter: "max_tokens",
      })
        .stream({ ...request, maxTokens: 7 })
        .result();
      const [sent] = server.requests;
      expect(sent?.headers["x-title"]).toBe("Plinth");
      expect(sent?.headers["openai-organization"]).toBeUndefined();
      expect(sent?.body).toMatchObject({ max_tokens: 7 });
      expect(sent?.body).not.toHaveProperty("max_completion_tokens");
    } finally {
      delete process.env.OPENAI_ORG_ID;
    }
  });

  it("refuses an invalid request before calling the provider", () => {
    expect(() => provider().stream({ model: "", messages: [] })).toThrow(
      expect.objectContaining({ code: "invalid_request" }),
    );
    expect(() => provider().stream({ ...request, temperature: 3 })).toThrow(/temperature/);
    expect(server.requests).toHaveLength(0);
  });

  it("never puts the key in logs, error messages or the provider object", async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: "debug",
      destination: { write: (line) => void lines.push(line) },
    });
    const adapter = provider({ logger, retry: { maxRetries: 1, baseDelayMs: 10 } });
    // A misbehaving upstream echoing the key in its errors.
    const echo = { error: { message: `Incorrect API key provided: ${API_KEY}` } };
    server.script(
      { kind: "error", status: 500, body: echo },
      { kind: "error", status: 401, body: echo },
    );
    const error = await failure(adapter.stream(request).result());
    logger.error({ err: error }, "task failed");

    expect(error).toMatchObject({ code: "authentication_failed", retryable: false, attempts: 2 });
    expect(error.message).toContain("sk-…WXYZ");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const text of [
      ...lines,
      error.message,
      String(error.stack),
      JSON.stringify(error),
      inspect(error),
      inspect(adapter, { depth: 5 }),
      JSON.stringify(adapter),
    ]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(API_KEY.slice(8, 30));
    }
    expect(() => createOpenAICompatibleProvider({ apiKey: API_KEY, baseURL: "not a url" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(API_KEY) as unknown }),
    );
  });
});
