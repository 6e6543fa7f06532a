import { describe, expect, it } from "vitest";
import {
  encodeWav,
  parseWav,
  PocketSphinxOutputParser,
  toPcm,
  wavToPcm16kMono,
  wordErrorRate,
  type TranscriptSegment,
} from "../src/index.ts";

describe("wordErrorRate", () => {
  it("counts substitutions, deletions and insertions against the reference", () => {
    expect(wordErrorRate("the cat sat on the mat", "the cat sat on the mat").wer).toBe(0);
    expect(wordErrorRate("the cat sat on the mat", "the bat sat on mat")).toEqual({
      wer: 2 / 6,
      substitutions: 1,
      deletions: 1,
      insertions: 0,
      referenceWords: 6,
      hypothesisWords: 5,
    });
    expect(wordErrorRate("hello world", "hello big wide world")).toMatchObject({
      wer: 1,
      insertions: 2,
    });
    expect(wordErrorRate("a b", "").wer).toBe(1);
    expect(wordErrorRate("", "").wer).toBe(0);
  });

  it("ignores case and punctuation but keeps apostrophes inside words", () => {
    expect(wordErrorRate("What's the PRICE, then?", "what's the price then").wer).toBe(0);
    expect(wordErrorRate("it's", "its").wer).toBe(1);
  });
});

describe("WAV and PCM", () => {
  it("round-trips 16 kHz mono PCM and converts stereo 48 kHz", () => {
    const pcm = Buffer.alloc(3200);
    for (let i = 0; i < 1600; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin(i / 5)), i * 2);
    expect(toPcm({ wav: encodeWav(pcm) })).toEqual(pcm);

    // 0.1 s of 48 kHz stereo: left 1000, right 3000 → mono 2000 at 16 kHz, 1 600 samples.
    const frames = 4800;
    const stereo = Buffer.alloc(frames * 4);
    for (let i = 0; i < frames; i++) {
      stereo.writeInt16LE(1000, i * 4);
      stereo.writeInt16LE(3000, i * 4 + 2);
    }
    const header = encodeWav(Buffer.alloc(0));
    header.writeUInt16LE(2, 22);
    header.writeUInt32LE(48_000, 24);
    header.writeUInt32LE(frames * 4, 40);
    const converted = wavToPcm16kMono(Buffer.concat([header, stereo]));
    expect(converted.length).toBe(3200);
    expect(converted.readInt16LE(0)).toBe(2000);
    expect(converted.readInt16LE(3198)).toBe(2000);
  });

  it("refuses what is not PCM16 WAV", () => {
    expect(() => parseWav(Buffer.from("hello world, not a wav"))).toThrow(
      expect.objectContaining({ code: "invalid_audio" }),
    );
    const eightBit = encodeWav(Buffer.alloc(10));
    eightBit.writeUInt16LE(8, 34);
    expect(() => parseWav(eightBit)).toThrow(/sample size 8/);
    expect(() => toPcm({ pcm: Buffer.alloc(3) })).toThrow(/whole number/);
  });
});

describe("PocketSphinxOutputParser", () => {
  it("turns -time yes output into segments, dropping markers and pronunciation variants", () => {
    const segments: TranscriptSegment[] = [];
    const parser = new PocketSphinxOutputParser((segment) => segments.push(segment));
    // Split mid-line, as pipes deliver it.
    parser.push("the price\n<s> 0.000 0.060 0.999000\nthe(2) 0.070 0.3");
    parser.push("00 0.070757\n<sil> 0.310 0.400 0.99\n[NOISE] 0.41 0.5 0.5\n");
    parser.push("price 0.510 0.900 0.400034\n</s> 0.910 1.000 1.000000\n");
    parser.push("budget\n<s> 2.000 2.100 1.0\nbudget 2.110 2.600 2e-05\n");
    expect(segments).toHaveLength(1);
    parser.finish(); // the last utterance had no </s>
    expect(segments).toEqual([
      {
        index: 0,
        text: "the price",
        startMs: 70,
        endMs: 900,
        final: true,
        words: [
          { word: "the", startMs: 70, endMs: 300, confidence: 0.070757 },
          { word: "price", startMs: 510, endMs: 900, confidence: 0.400034 },
        ],
      },
      {
        index: 1,
        text: "budget",
        startMs: 2110,
        endMs: 2600,
        final: true,
        words: [{ word: "budget", startMs: 2110, endMs: 2600, confidence: 0.00002 }],
      },
    ]);
  });
});
