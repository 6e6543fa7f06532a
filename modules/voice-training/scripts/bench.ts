// The practice pipeline's speech numbers on this machine (docs/benchmarks.md, "Voice training"):
//   1. real-time factor of the offline transcription (PocketSphinx, processing / audio time),
//      both presets, whole recording;
//   2. latency from the end of an utterance (its last word's end in the audio) to its
//      transcript segment, with the audio streamed at real-time pace (100 ms chunks) as the
//      browser sends it — p50 / p95;
//   3. concurrent live sessions one process sustains: N paced streams at once, until the
//      p50 latency passes 2 s or the last segment trails the audio's end by more than 3 s.
//      (`bench fast`: these with PocketSphinx's `fast` preset.)
// `pnpm --filter @plinth/voice-training bench` (needs pocketsphinx, pocketsphinx-en-us,
// espeak-ng, sox). Prints numbers; asserts nothing.
import { setTimeout as sleep } from "node:timers/promises";
import {
  createEspeakSynthesizer,
  createPocketSphinxTranscriber,
  type SpeechToText,
} from "@plinth/speech";

const SENTENCES = [
  "Thanks for taking my call today.",
  "I wanted to ask about your budget for the new software.",
  "How does your team practise sales calls right now?",
  "I understand your concern about the price.",
  "Could we book a demo next week?",
];

function roomTone(ms: number, seed = 7): Buffer {
  const buffer = Buffer.alloc(Math.round(ms * 32));
  let state = seed >>> 0;
  for (let offset = 0; offset < buffer.length; offset += 2) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    buffer.writeInt16LE(((state >>> 16) % 21) - 10, offset);
  }
  return buffer;
}

const tts = createEspeakSynthesizer({ wordsPerMinute: 140, wordGap: 8 });
const parts: Buffer[] = [roomTone(400)];
for (const sentence of SENTENCES) {
  parts.push((await tts.synthesize(sentence)).pcm, roomTone(1_000));
}
const audio = Buffer.concat(parts);
const audioMs = audio.length / 32;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

console.log(
  `audio: ${(audioMs / 1000).toFixed(1)} s of espeak-ng speech, ${SENTENCES.length} utterances`,
);

// 1. Real-time factor.
for (const preset of ["accurate", "fast"] as const) {
  const stt = createPocketSphinxTranscriber({ preset });
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const result = await stt.transcribe({ pcm: audio });
    runs.push(result.processingMs / result.audioMs);
  }
  console.log(
    `RTF ${preset}: median ${percentile(runs, 50).toFixed(3)} (runs ${runs.map((r) => r.toFixed(3)).join(", ")})`,
  );
}

// 2 + 3. Paced streams.
async function pacedStream(stt: SpeechToText) {
  const stream = stt.stream();
  const started = performance.now();
  const latencies: number[] = [];
  let lastArrival = 0;
  const consuming = (async () => {
    for await (const segment of stream) {
      const now = performance.now() - started;
      latencies.push(now - segment.endMs);
      lastArrival = now;
    }
  })();
  const chunk = 100 * 32;
  for (let offset = 0, index = 0; offset < audio.length; offset += chunk, index++) {
    stream.write(audio.subarray(offset, offset + chunk));
    const due = (index + 1) * 100 - (performance.now() - started);
    if (due > 0) await sleep(due);
  }
  const audioEnd = performance.now() - started;
  await stream.end();
  await consuming;
  return { latencies, trailMs: lastArrival - audioEnd };
}

// `bench fast`: the paced streams with the `fast` preset.
const pacedPreset = process.argv[2] === "fast" ? "fast" : "accurate";
console.log(`paced streams: PocketSphinx ${pacedPreset} preset`);
const stt = createPocketSphinxTranscriber({ preset: pacedPreset });
let sustained = 0;
for (const sessions of [1, 2, 3, 4, 6, 8]) {
  const results = await Promise.all(Array.from({ length: sessions }, () => pacedStream(stt)));
  const latencies = results.flatMap((result) => result.latencies);
  const trail = Math.max(...results.map((result) => result.trailMs));
  const p50 = percentile(latencies, 50);
  const ok = p50 <= 2_000 && trail <= 3_000;
  console.log(
    `${sessions} live session(s): end of speech → segment p50 ${Math.round(p50)} ms, ` +
      `p95 ${Math.round(percentile(latencies, 95))} ms, last segment ${Math.round(trail)} ms ` +
      `after the audio ended, ${latencies.length} segments${ok ? "" : "  ← lags"}`,
  );
  if (!ok) break;
  sustained = sessions;
}
console.log(`sustained without lag: ${sustained} concurrent session(s)`);
