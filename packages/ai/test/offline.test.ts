// The offline demo provider: labelled, deterministic, streaming, JSON of any ordinary schema,
// token counts from the approximate tokenizer, cancellation.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  OFFLINE_PREFIX,
  ProviderError,
  countPromptTokens,
  countTokens,
  createOfflineProvider,
  parseJsonOutput,
  tokenize,
} from "../src/index.ts";

const request = {
  model: "offline-demo",
  system: "You summarise.",
  messages: [{ role: "user" as const, content: "Summarise the quarterly report for the board" }],
};

describe("offline provider", () => {
  it("is labelled as the offline demo", () => {
    const provider = createOfflineProvider();
    expect(provider).toMatchObject({
      id: "offline",
      name: "Offline demo provider (no network)",
      offline: true,
    });
  });

  it("streams the same answer for the same request, and another for another", async () => {
    const provider = createOfflineProvider();
    const deltas: string[] = [];
    const stream = provider.stream(request);
    for await (const delta of stream) deltas.push(delta);
    const first = await stream.result();
    const second = await provider.stream(request).result();
    const other = await provider
      .stream({ ...request, messages: [{ role: "user", content: "Something else" }] })
      .result();

    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.join("")).toBe(first.text);
    expect(first.text.startsWith(OFFLINE_PREFIX)).toBe(true);
    expect(first.text).toContain('You asked: "Summarise the quarterly report for the board"');
    expect(second.text).toBe(first.text);
    expect(other.text).not.toBe(first.text);
    expect(first).toMatchObject({
      provider: "offline",
      model: "offline-demo",
      finishReason: "stop",
    });
    expect(first.usage).toEqual({
      promptTokens: countPromptTokens(request.system, [request.messages[0]!.content]),
      completionTokens: deltas.length,
      totalTokens:
        countPromptTokens(request.system, [request.messages[0]!.content]) + deltas.length,
      estimated: true,
    });
  });

  it("stops at maxTokens with a length finish", async () => {
    const result = await createOfflineProvider()
      .stream({ ...request, maxTokens: 5 })
      .result();
    expect(result.usage.completionTokens).toBe(5);
    expect(result.finishReason).toBe("length");
    expect(tokenize(result.text)).toHaveLength(5);
  });

  it("answers with JSON that the output schema accepts, deterministically", async () => {
    const schema = z.object({
      title: z.string().min(3).max(40),
      sentiment: z.enum(["positive", "neutral", "negative"]),
      score: z.number().min(0).max(1),
      stars: z.number().int().min(1).max(5),
      tags: z.array(z.string()).min(1).max(4),
      contact: z.object({ email: z.email(), website: z.url(), id: z.uuid() }),
      publishedOn: z.iso.date(),
      updatedAt: z.iso.datetime(),
      note: z.string().optional(),
      reviewer: z.string().nullable(),
      approved: z.boolean(),
      kind: z.literal("summary"),
      metadata: z.record(z.string(), z.number()),
      pair: z.tuple([z.string(), z.number()]),
      either: z.union([z.object({ a: z.number() }), z.object({ b: z.string() })]),
    });
    const provider = createOfflineProvider();
    const first = await provider.stream({ ...request, outputSchema: schema }).result();
    const value = parseJsonOutput(schema, first.text);
    expect(value.kind).toBe("summary");
    expect((await provider.stream({ ...request, outputSchema: schema }).result()).text).toBe(
      first.text,
    );
  });

  it("refuses a schema it cannot satisfy with a typed, non-retryable error", async () => {
    const schema = z.object({ code: z.string().regex(/^[A-Z]{3}-\d{4}$/) });
    const error: unknown = await createOfflineProvider()
      .stream({ ...request, outputSchema: schema })
      .result()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: "request_rejected",
      retryable: false,
      provider: "offline",
    });
  });

  it("stops when cancelled", async () => {
    const controller = new AbortController();
    const stream = createOfflineProvider({ tokenDelayMs: 5 }).stream(request, {
      signal: controller.signal,
    });
    const deltas: string[] = [];
    await expect(
      (async () => {
        for await (const delta of stream) {
          deltas.push(delta);
          if (deltas.length === 3) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: "cancelled" });
    expect(deltas).toHaveLength(3);
  });
});

describe("approximate tokenizer", () => {
  it("cuts text into pieces that join back to the text", () => {
    const text = "Tokenization isn't magic: 42 tokens,\nroughly.  Done!";
    expect(tokenize(text).join("")).toBe(text);
    expect(tokenize("hello world")).toEqual(["hello", " world"]);
    expect(tokenize("tokenization")).toEqual(["tokeni", "zation"]);
    expect(countTokens("")).toBe(0);
  });

  it("lands near four characters per token on English prose", () => {
    const prose =
      "The quarterly report shows steady growth in every region, with customer retention " +
      "improving for the third consecutive quarter and costs held flat against the plan.";
    const ratio = prose.length / countTokens(prose);
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(6);
  });
});
