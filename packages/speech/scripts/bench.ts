// pnpm --filter @plinth/speech bench
// 1. Real-time factor of offline transcription (PocketSphinx): processing time / audio time on
//    a ~50 s clip espeak-ng reads from a sales script — wall clock, and CPU time of the engine
//    (the children's user+sys from /proc/self/stat: unaffected by other processes waiting for
//    the same cores). Both presets. Target (issue 17): < 0.5.
// 2. End of speech → transcript segment latency: the same clip streamed at real-time pace.
// 3. Analysis throughput on a 30-minute two-speaker transcript.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import {
  BYTES_PER_MS,
  analyzeConversation,
  createEspeakSynthesizer,
  createPocketSphinxTranscriber,
  rubricSchema,
  turnFromWords,
  wordErrorRate,
  type SpeakerTurn,
} from "../src/index.ts";

const SCRIPT = [
  "Thanks for taking my call today.",
  "I wanted to ask about your budget for the new software.",
  "How does your team track its deals right now?",
  "I understand your concern about the price.",
  "Many of our customers started with spreadsheets as well.",
  "Our platform connects to your email and your calendar.",
  "Could we schedule a demo for next week with your manager?",
  "What would a successful rollout look like for you?",
  "We can start with a small pilot for one team.",
  "Thank you for your time, I will send a summary this afternoon.",
].join(" ");

const ticks = 100; // USER_HZ on Linux
function childCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
  // After "pid (comm) ": state is field 3, cutime 16 and cstime 17 → indexes 13, 14 here.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticks;
}
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

const tts = createEspeakSynthesizer({ wordsPerMinute: 140, wordGap: 8 });
const clip = await tts.synthesize(SCRIPT);
console.log(
  `clip: ${(clip.durationMs / 1000).toFixed(1)} s of audio (espeak-ng, ${SCRIPT.split(" ").length} words), load average ${load()}`,
);

for (const preset of ["accurate", "fast"] as const) {
  const stt = createPocketSphinxTranscriber({ preset });
  const cpuBefore = childCpuMs();
  const result = await stt.transcribe({ pcm: clip.pcm });
  const cpuMs = childCpuMs() - cpuBefore;
  const { wer } = wordErrorRate(SCRIPT, result.text);
  console.log(
    `PocketSphinx ${preset.padEnd(8)} RTF wall ${(result.processingMs / result.audioMs).toFixed(2)}` +
      ` (${(result.processingMs / 1000).toFixed(1)} s), RTF CPU ${(cpuMs / result.audioMs).toFixed(2)}` +
      ` (${(cpuMs / 1000).toFixed(1)} s), WER ${(wer * 100).toFixed(0)}%, load ${load()}`,
  );
}

if (!process.argv.includes("--no-latency")) {
  // Real-time pace: 100 ms chunks every 100 ms; latency = arrival − when the audio of the
  // segment's last word had been written.
  const live = createPocketSphinxTranscriber().stream();
  const started = performance.now();
  const latencies: number[] = [];
  const reading = (async () => {
    for await (const segment of live) {
      const now = performance.now() - started;
      latencies.push(now - Math.min(segment.endMs, live.receivedMs));
    }
  })();
  const tail = Buffer.alloc(BYTES_PER_MS * 1500);
  const audio = Buffer.concat([clip.pcm, tail]);
  for (let offset = 0, chunk = 0; offset < audio.length; offset += 3200, chunk++) {
    live.write(audio.subarray(offset, offset + 3200));
    const due = (chunk + 1) * 100 - (performance.now() - started);
    if (due > 0) await sleep(due);
  }
  await Promise.all([live.end(), reading]);
  const sorted = [...latencies].sort((a, b) => a - b);
  const p50 = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  console.log(
    `PocketSphinx streamed at real-time pace: ${latencies.length} segments, end of speech → segment` +
      ` p50 ${Math.round(p50)} ms, max ${Math.round(sorted.at(-1) ?? NaN)} ms, load ${load()}`,
  );
}

// 30 minutes of alternating turns, 20 words each (400 ms words, 100 ms gaps, 300 ms between turns).
const vocabulary =
  "so um what does your team like you know use today for tracking deals and price".split(" ");
const turns: SpeakerTurn[] = [];
for (let at = 0, turn = 0; at < 30 * 60_000; turn++) {
  const words = Array.from({ length: 20 }, (_, i) => ({
    word: vocabulary[(turn * 7 + i) % vocabulary.length] ?? "word",
    startMs: at + i * 500,
    endMs: at + i * 500 + 400,
  }));
  turns.push(turnFromWords(turn % 2 === 0 ? "rep" : "prospect", words));
  at += 20 * 500 + 300;
}
const rubric = rubricSchema.parse({
  skills: [
    {
      id: "discovery",
      name: "Discovery",
      rules: [
        { kind: "questions", min: 5 },
        { kind: "mentions", phrases: ["price", "team"], min: 3 },
      ],
    },
    {
      id: "delivery",
      name: "Delivery",
      rules: [
        { kind: "fillersPerMinute", max: 4 },
        { kind: "wordsPerMinute", min: 110, max: 170 },
      ],
    },
  ],
});
const wordCount = turns.reduce((sum, turn) => sum + turn.words.length, 0);
analyzeConversation({ turns }, { focusSpeaker: "rep", rubric }); // warm-up
const rounds = 20;
const analysisStart = performance.now();
for (let i = 0; i < rounds; i++) analyzeConversation({ turns }, { focusSpeaker: "rep", rubric });
const perAnalysisMs = (performance.now() - analysisStart) / rounds;
console.log(
  `analysis: 30-minute transcript (${turns.length} turns, ${wordCount} words) in ${perAnalysisMs.toFixed(1)} ms` +
    ` (${Math.round((wordCount / perAnalysisMs) * 1000).toLocaleString("en")} words/s), load ${load()}`,
);
