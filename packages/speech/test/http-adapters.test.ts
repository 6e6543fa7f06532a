// The cloud adapters against a local server: the real `openai` SDK for OpenAI transcription,
// fetch for Deepgram and ElevenLabs. Request shape, word timings, retries, timeouts and key
// hygiene (a server that echoes the key in its errors).
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "@plinth/core/logger";
import {
  createDeepgramTranscriber,
  createElevenLabsSynthesizer,
  createOpenAITranscriber,
  type TranscriptSegment,
} from "../src/index.ts";
import { startSpeechTestServer, tonePcm, type SpeechTestServer } from "./speech-test-server.ts";

const API_KEY = "sk-speech-test-ABCDEFGHIJKLMNOPQRSTUVWXYZ";
let server: SpeechTestServer;
const fast = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 10 };

beforeAll(async () => {
  server = await startSpeechTestServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const audio = { pcm: tonePcm(1200) };

async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a failure");
}

describe("OpenAI transcription (openai SDK)", () => {
  const stt = (options = {}) =>
    createOpenAITranscriber({
      apiKey: API_KEY,
      baseURL: `${server.origin}/v1`,
      retry: fast,
      ...options,
    });

  it("asks for verbose_json with word timestamps and returns words in ms", async () => {
    server.script({ kind: "ok" });
    const result = await stt().transcribe(audio, { language: "en" });
    expect(result).toMatchObject({
      provider: "openai",
      text: "What's your budget?",
      audioMs: 1200,
      words: [
        { word: "what's", startMs: 100, endMs: 420 },
        { word: "your", startMs: 450, endMs: 600 },
        { word: "budget", startMs: 620, endMs: 1100 },
      ],
    });
    const [request] = server.requests;
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers["openai-organization"]).toBeUndefined();
    const body = request?.body.toString("latin1") ?? "";
    expect(body).toMatch(/name="response_format"\r\n\r\nverbose_json/);
    expect(body).toMatch(/name="timestamp_granularities\[\]"\r\n\r\nword/);
    expect(body).toMatch(/name="model"\r\n\r\nwhisper-1/);
    expect(body).toMatch(/name="language"\r\n\r\nen/);
    expect(body).toContain("RIFF");
  });

  it("waits out a 429's Retry-After and does not retry a 400", async () => {
    server.script(
      { kind: "error", status: 429, headers: { "retry-after-ms": "30" } },
      { kind: "ok" },
    );
    const result = await stt().transcribe(audio);
    expect(result.words).toHaveLength(3);
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.script({ kind: "error", status: 400, body: { error: { message: "bad file" } } });
    expect(await failure(stt().transcribe(audio))).toMatchObject({
      code: "request_rejected",
      status: 400,
      retryable: false,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("times out a silent server and refuses bad options without echoing the key", async () => {
    server.script({ kind: "hang" });
    expect(
      await failure(stt({ timeoutMs: 200, retry: { maxRetries: 0 } }).transcribe(audio)),
    ).toMatchObject({ code: "timeout", retryable: true });
    expect(() => createOpenAITranscriber({ apiKey: API_KEY, baseURL: "nope" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(API_KEY) as unknown }),
    );
  });
});

describe("Deepgram (fetch)", () => {
  const stt = (options = {}) =>
    createDeepgramTranscriber({ apiKey: API_KEY, baseURL: server.origin, retry: fast, ...options });

  it("posts the WAV with a Token header and returns punctuated words with confidence", async () => {
    server.script({ kind: "ok" });
    const result = await stt().transcribe(audio);
    expect(result.words).toEqual([
      { word: "What's", startMs: 100, endMs: 420, confidence: 0.98 },
      { word: "your", startMs: 450, endMs: 600, confidence: 0.95 },
      { word: "budget?", startMs: 620, endMs: 1100, confidence: 0.91 },
    ]);
    const [request] = server.requests;
    expect(request?.headers.authorization).toBe(`Token ${API_KEY}`);
    expect(request?.headers["content-type"]).toBe("audio/wav");
    expect(request?.query.get("model")).toBe("nova-3");
    expect(request?.body.subarray(0, 4).toString("ascii")).toBe("RIFF");
    expect(request?.body.length).toBe(44 + audio.pcm.length);
  });

  it("retries a 503, then succeeds; an answer of the wrong shape is a typed failure", async () => {
    server.script({ kind: "error", status: 503 }, { kind: "ok" });
    expect((await stt().transcribe(audio)).words).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
    server.script(
      { kind: "error", status: 502 },
      { kind: "error", status: 502 },
      { kind: "error", status: 502 },
    );
    expect(await failure(stt().transcribe(audio))).toMatchObject({
      code: "provider_unavailable",
      attempts: 3,
    });
  });

  it("streams: cuts utterances at silence, sends only speech, shifts word times", async () => {
    server.script({ kind: "ok" }, { kind: "ok" });
    const live = stt().stream();
    // 1 s speech, 1 s silence, 1 s speech, in 100 ms chunks.
    const pcm = Buffer.concat([tonePcm(1000), Buffer.alloc(32_000), tonePcm(1000)]);
    for (let offset = 0; offset < pcm.length; offset += 3200) {
      live.write(pcm.subarray(offset, offset + 3200));
    }
    const ending = live.end();
    const segments: TranscriptSegment[] = [];
    for await (const segment of live) segments.push(segment);
    await ending;
    expect(server.requests).toHaveLength(2);
    // Each request: the utterance plus ≤ 150 ms padding each side, never the whole second of silence.
    for (const request of server.requests) {
      expect(request.body.length - 44).toBeLessThanOrEqual(32 * (1000 + 2 * 150 + 30));
    }
    expect(segments.map((segment) => [segment.index, segment.final])).toEqual([
      [0, true],
      [1, true],
    ]);
    expect(segments[0]?.startMs).toBe(100);
    // The second utterance starts at 2 000 ms minus the padding (frames of 30 ms).
    expect(segments[1]?.startMs).toBeGreaterThan(1700);
    expect(segments[1]?.startMs).toBeLessThan(2100);
    expect(live.receivedMs).toBe(3000);
  });
});

describe("ElevenLabs text-to-speech (fetch)", () => {
  const tts = (options = {}) =>
    createElevenLabsSynthesizer({
      apiKey: API_KEY,
      baseURL: server.origin,
      retry: fast,
      ...options,
    });

  it("asks for 16 kHz PCM and returns it as is", async () => {
    server.script({ kind: "ok" });
    const speech = await tts().synthesize("Hello, how can I help?", { voice: "abc123" });
    expect(speech).toMatchObject({ provider: "elevenlabs", sampleRate: 16_000, durationMs: 500 });
    expect(speech.pcm).toEqual(tonePcm(500));
    const [request] = server.requests;
    expect(request?.path).toBe("/v1/text-to-speech/abc123");
    expect(request?.query.get("output_format")).toBe("pcm_16000");
    expect(request?.headers["xi-api-key"]).toBe(API_KEY);
    expect(JSON.parse(request?.body.toString() ?? "{}")).toEqual({
      text: "Hello, how can I help?",
      model_id: "eleven_flash_v2_5",
    });
    await expect(tts().synthesize("hi", { voice: "../admin" })).rejects.toMatchObject({
      code: "invalid_request",
    });
    expect(server.requests).toHaveLength(1);
  });
});

describe("keys", () => {
  it("never appear in logs, error messages or the adapter objects", async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: "debug",
      destination: { write: (line) => void lines.push(line) },
    });
    const echo = {
      detail: `Invalid credentials: ${API_KEY}`,
      error: { message: `bad key ${API_KEY}` },
    };
    const adapters = [
      createOpenAITranscriber({
        apiKey: API_KEY,
        baseURL: `${server.origin}/v1`,
        retry: fast,
        logger,
      }),
      createDeepgramTranscriber({ apiKey: API_KEY, baseURL: server.origin, retry: fast, logger }),
    ];
    const errors: Error[] = [];
    for (const adapter of adapters) {
      server.script(
        { kind: "error", status: 500, body: echo },
        { kind: "error", status: 401, body: echo },
      );
      errors.push(await failure(adapter.transcribe(audio)));
    }
    const tts = createElevenLabsSynthesizer({
      apiKey: API_KEY,
      baseURL: server.origin,
      retry: fast,
      logger,
    });
    server.script(
      { kind: "error", status: 500, body: echo },
      { kind: "error", status: 403, body: echo },
    );
    errors.push(await failure(tts.synthesize("hello")));
    for (const error of errors) {
      expect(error).toMatchObject({ code: "authentication_failed", retryable: false, attempts: 2 });
      logger.error({ err: error }, "speech call failed");
    }
    expect(errors.map((error) => error.message).join(" ")).toContain("sk-…WXYZ");
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const text of [
      ...lines,
      ...errors.flatMap((error) => [
        error.message,
        String(error.stack),
        JSON.stringify(error),
        inspect(error),
      ]),
      ...[...adapters, tts].flatMap((adapter) => [
        inspect(adapter, { depth: 6 }),
        JSON.stringify(adapter),
      ]),
    ]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(API_KEY.slice(10, 30));
    }
  });
});
