// The offline engines for real: espeak-ng speaks a known sales script, PocketSphinx transcribes
// it (whole and streamed). espeak's synthetic voice is hard for PocketSphinx's model, so the
// test asserts key words and a word-error-rate ceiling and prints the WER it measured.
// Needs the Debian packages (npm test installs them): missing, every test here fails saying so.
import { beforeAll, describe, expect, it } from "vitest";
import {
  DEBIAN_PACKAGES,
  SAMPLE_RATE,
  createEspeakSynthesizer,
  createPocketSphinxTranscriber,
  findExecutable,
  normaliseWords,
  parseWav,
  speechToWav,
  wordErrorRate,
  type TranscriptSegment,
} from "../src/index.ts";

const SCRIPT =
  "Thanks for taking my call today. I wanted to ask about your budget for the new software. " +
  "I understand your concern about the price.";
const KEY_WORDS = ["call", "today", "ask", "budget", "software", "understand", "concern", "price"];

// A slow, clearly separated reading (140 wpm, 80 ms between words) stands in for a trainee:
// espeak-ng's default pace comes back from PocketSphinx as mostly other words.
const tts = createEspeakSynthesizer({ wordsPerMinute: 140, wordGap: 8 });
const stt = createPocketSphinxTranscriber();

beforeAll(() => {
  const missing = ["pocketsphinx_continuous", "espeak-ng", "sox"].filter(
    (binary) => !findExecutable(binary, process.env.PATH),
  );
  if (missing.length > 0) {
    throw new Error(
      `Missing ${missing.join(", ")}: apt-get install ${DEBIAN_PACKAGES} (npm test installs them)`,
    );
  }
});

describe("espeak-ng", () => {
  it("speaks text as 16 kHz mono 16-bit PCM", async () => {
    const speech = await tts.synthesize("Hello, this is a test of the speech system.");
    expect(speech).toMatchObject({ provider: "espeak-ng", sampleRate: SAMPLE_RATE });
    expect(speech.durationMs).toBeGreaterThan(1500);
    expect(speech.durationMs).toBeLessThan(6000);
    const wav = parseWav(speechToWav(speech));
    expect(wav).toMatchObject({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    // Not silence: some samples are loud.
    const peak = Math.max(
      ...new Int16Array(speech.pcm.buffer, speech.pcm.byteOffset, speech.pcm.length / 2).map(
        Math.abs,
      ),
    );
    expect(peak).toBeGreaterThan(3000);
  });

  it("takes text that looks like an option as text, and refuses bad voices and empty text", async () => {
    const speech = await tts.synthesize("--version -w /tmp/x.wav");
    expect(speech.durationMs).toBeGreaterThan(500);
    await expect(tts.synthesize("   ")).rejects.toMatchObject({ code: "invalid_request" });
    await expect(tts.synthesize("hi", { voice: "en; rm -rf /" })).rejects.toMatchObject({
      code: "invalid_request",
    });
  });
});

// PocketSphinx runs at about real time on a loaded 2-core machine: more than the default 30 s.
describe("PocketSphinx", { timeout: 120_000 }, () => {
  it("transcribes espeak-ng's reading of a known script with word timings", async () => {
    const speech = await tts.synthesize(SCRIPT);
    const result = await stt.transcribe({ pcm: speech.pcm });
    const { wer, referenceWords, substitutions, deletions, insertions } = wordErrorRate(
      SCRIPT,
      result.text,
    );
    console.info(
      `PocketSphinx on espeak-ng: WER ${(wer * 100).toFixed(1)}% over ${referenceWords} words ` +
        `(S ${substitutions}, D ${deletions}, I ${insertions}); heard: "${result.text}"; ` +
        `${Math.round(result.processingMs)} ms for ${Math.round(result.audioMs)} ms of audio`,
    );
    const heard = new Set(normaliseWords(result.text));
    const found = KEY_WORDS.filter((word) => heard.has(word));
    expect(found.length, `key words heard: ${found.join(", ")}`).toBeGreaterThanOrEqual(2);
    expect(wer).toBeLessThan(0.9);
    expect(result.audioMs).toBeCloseTo(speech.durationMs, 0);
    // Timings: increasing, inside the audio, no markers like <s> or <sil>.
    expect(result.words.length).toBeGreaterThan(8);
    for (const [index, word] of result.words.entries()) {
      expect(word.word).toMatch(/^[a-z']+$/);
      expect(word.endMs).toBeGreaterThanOrEqual(word.startMs);
      expect(word.endMs).toBeLessThanOrEqual(result.audioMs + 50);
      expect(word.confidence).toBeGreaterThanOrEqual(0);
      expect(word.confidence).toBeLessThanOrEqual(1);
      if (index > 0) expect(word.startMs).toBeGreaterThanOrEqual(result.words[index - 1]!.endMs);
    }
  });

  it("streams: a segment arrives after an utterance and silence, before the rest is sent", async () => {
    const first = await tts.synthesize("I understand your concern about the price.");
    const second = await tts.synthesize("Can we talk about the new software?");
    const silence = Buffer.alloc(SAMPLE_RATE * 2 * 1.5); // 1.5 s
    const live = stt.stream();
    const segments: TranscriptSegment[] = [];
    const iterator = live[Symbol.asyncIterator]();
    for (let offset = 0; offset < first.pcm.length; offset += 3200) {
      live.write(first.pcm.subarray(offset, offset + 3200)); // 100 ms chunks
    }
    live.write(silence);
    // Audio still open: PocketSphinx's voice-activity detection must have closed the utterance.
    const firstSegment = await iterator.next();
    expect(firstSegment.done).toBe(false);
    if (!firstSegment.done) segments.push(firstSegment.value);
    expect(live.receivedMs).toBeCloseTo(first.durationMs + 1500, 0);
    live.write(second.pcm);
    live.write(silence);
    const ending = live.end();
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      segments.push(next.value);
    }
    await ending;
    expect(segments.length).toBeGreaterThanOrEqual(2);
    expect(segments.map((segment) => segment.index)).toEqual(segments.map((_, index) => index));
    expect(segments.every((segment) => segment.final)).toBe(true);
    const last = segments.at(-1)!;
    // The second utterance's times are from the start of the stream, after the first's audio.
    expect(last.startMs).toBeGreaterThan(first.durationMs);
    expect(segments[0]!.text.length).toBeGreaterThan(0);
  });

  it("says how to install a missing engine instead of failing with ENOENT", async () => {
    const missing = createPocketSphinxTranscriber({ searchPath: "/nonexistent" });
    await expect(missing.transcribe({ pcm: Buffer.alloc(3200) })).rejects.toMatchObject({
      code: "engine_missing",
      message: expect.stringContaining("apt-get install pocketsphinx") as unknown,
    });
    expect(() => missing.stream()).toThrow(/not installed/);
    const noModel = createPocketSphinxTranscriber({ modelDir: "/nonexistent/model" });
    await expect(noModel.transcribe({ pcm: Buffer.alloc(3200) })).rejects.toMatchObject({
      code: "engine_missing",
      message: expect.stringContaining("pocketsphinx-en-us") as unknown,
    });
    const noSpeech = createEspeakSynthesizer({ searchPath: "/nonexistent" });
    await expect(noSpeech.synthesize("hello")).rejects.toMatchObject({ code: "engine_missing" });
  });

  it("stops the engine when the caller aborts", async () => {
    const speech = await tts.synthesize(SCRIPT);
    const controller = new AbortController();
    const pending = stt.transcribe({ pcm: speech.pcm }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: "cancelled" });
  });
});
