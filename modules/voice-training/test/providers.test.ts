// The platform's adapters from the environment (no database): VOICE_STT_PROVIDER=openai
// transcribes through OpenAI (a local server shaped like it) with VOICE_OPENAI_API_KEY; a cloud
// choice without its key is PocketSphinx, and the log says so (naming the missing variable,
// never a key).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@plinth/core/logger";
import { POCKETSPHINX_PROVIDER_ID } from "@plinth/speech";
import { parseVoiceEnv } from "../src/env.ts";
import { createVoiceProviders } from "../src/providers.ts";
import { startSpeechServer, tonePcm, type SpeechServer } from "./speech-server.ts";

const PLATFORM_OPENAI_KEY = "sk-platform-stt-0123456789abcdefGHIJ";

let vendor: SpeechServer;
beforeAll(async () => {
  vendor = await startSpeechServer();
});
afterAll(() => vendor.close());

function capture() {
  const lines: string[] = [];
  const logger = createLogger({
    level: "debug",
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { lines, logger };
}

describe("the platform's speech-to-text", () => {
  it("VOICE_STT_PROVIDER=openai transcribes through OpenAI with VOICE_OPENAI_API_KEY", async () => {
    const { lines, logger } = capture();
    const env = parseVoiceEnv({
      VOICE_STT_PROVIDER: "openai",
      VOICE_OPENAI_API_KEY: PLATFORM_OPENAI_KEY,
      VOICE_OPENAI_BASE_URL: `${vendor.origin}/v1`,
    });
    const { stt } = createVoiceProviders(env, { logger });
    expect(stt).toMatchObject({ id: "openai", offline: false });
    vendor.requests.length = 0;
    // The first call answers 500 echoing the key: retried, and the log line is scrubbed.
    vendor.failNextEchoingKey();
    const result = await stt.transcribe({ pcm: tonePcm(1200) });
    expect(result.text).toContain("budget");
    expect(vendor.requests).toEqual([
      { path: "/v1/audio/transcriptions", key: PLATFORM_OPENAI_KEY },
      { path: "/v1/audio/transcriptions", key: PLATFORM_OPENAI_KEY },
    ]);
    expect(lines.join("")).toContain("retry");
    for (const probe of [PLATFORM_OPENAI_KEY, PLATFORM_OPENAI_KEY.slice(0, -4)]) {
      expect(lines.filter((line) => line.includes(probe))).toEqual([]);
    }
  });

  it("without its key, openai (and deepgram) is PocketSphinx, logged without a key", () => {
    for (const [choice, missing] of [
      ["openai", "VOICE_OPENAI_API_KEY"],
      ["deepgram", "DEEPGRAM_API_KEY"],
    ] as const) {
      const { lines, logger } = capture();
      // The other vendor's key is set: it is not the one this choice needs.
      const env = parseVoiceEnv({
        VOICE_STT_PROVIDER: choice,
        ...(choice === "openai"
          ? { DEEPGRAM_API_KEY: "dg-unrelated-0123456789" }
          : { VOICE_OPENAI_API_KEY: "sk-unrelated-0123456789" }),
      });
      const { stt } = createVoiceProviders(env, { logger });
      expect(stt.id).toBe(POCKETSPHINX_PROVIDER_ID);
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
      expect(line).toMatchObject({ VOICE_STT_PROVIDER: choice, missing });
      expect(String(line.msg)).toContain("PocketSphinx");
      expect(lines[0]).not.toContain("unrelated");
    }
  });

  it("refuses an unknown VOICE_STT_PROVIDER; pocketsphinx logs nothing", () => {
    expect(() => parseVoiceEnv({ VOICE_STT_PROVIDER: "whisper" })).toThrow(/VOICE_STT_PROVIDER/);
    const { lines, logger } = capture();
    expect(createVoiceProviders(parseVoiceEnv({}), { logger }).stt.id).toBe(
      POCKETSPHINX_PROVIDER_ID,
    );
    expect(lines).toEqual([]);
  });
});
