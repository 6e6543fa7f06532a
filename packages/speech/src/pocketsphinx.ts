// Offline speech-to-text with Debian's PocketSphinx (`pocketsphinx` 0.8+5prealpha +
// `pocketsphinx-en-us`): the `pocketsphinx_continuous` CLI as a child process, audio on stdin.
//
// One long-running process per stream: PocketSphinx's own voice-activity detection ends an
// utterance at each silence and prints it at once (flushed), as
//   <hypothesis line>
//   <s> 0.000 0.060 0.999000
//   word 0.070 0.300 0.070757        ← word, start s, end s, posterior probability
//   </s> 5.560 6.020 1.000000
// with times from the start of the stream. So segments arrive while audio is still being fed,
// and the model (~0.5–1 s of CPU to load) is loaded once per session, not once per utterance.
//
// `-infile /dev/stdin` must be a real pipe: Node gives children a socketpair, which
// pocketsphinx_continuous cannot open as a file (it exits at once). `cat |` in a /bin/sh
// makes the pipe; the engine's arguments are passed as "$@", never interpolated.
// This Debian version has no partial hypotheses on the command line: segments are final.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { BYTES_PER_MS, toPcm, type AudioInput } from "./audio.ts";
import { SpeechEngineError, SpeechRequestError } from "./errors.ts";
import { exitError, requireExecutable } from "./process.ts";
import {
  SegmentQueue,
  wordsToText,
  type SpeechToText,
  type TranscribeOptions,
  type Transcription,
  type TranscriptionStream,
  type TranscriptSegment,
  type TranscriptWord,
} from "./stt.ts";

export const POCKETSPHINX_PROVIDER_ID = "pocketsphinx";
const ENGINE = "PocketSphinx";
export const DEFAULT_POCKETSPHINX_MODEL_DIR = "/usr/share/pocketsphinx/model/en-us";

/**
 * Decoder presets. `accurate`: PocketSphinx's defaults (three passes). `fast`: the first pass
 * only (`-fwdflat no -bestpath no`) with a tighter search, about half the CPU for a few more
 * errors (see docs/benchmarks.md).
 */
const PRESET_ARGS = {
  accurate: [],
  fast: ["-fwdflat", "no", "-bestpath", "no", "-maxhmmpf", "3000", "-maxwpf", "5"],
} as const satisfies Record<string, readonly string[]>;

export const pocketSphinxOptionsSchema = z.object({
  /** The CLI: a name looked up on PATH or an absolute path. */
  binary: z.string().min(1).default("pocketsphinx_continuous"),
  /** Folder with the acoustic model (`en-us/`), language model and dictionary. */
  modelDir: z.string().min(1).default(DEFAULT_POCKETSPHINX_MODEL_DIR),
  /** A domain language model / dictionary (e.g. built from a scenario's vocabulary). */
  languageModel: z.string().min(1).optional(),
  dictionary: z.string().min(1).optional(),
  preset: z.enum(["accurate", "fast"]).default("accurate"),
  /** A whole-file transcription is killed after max(minTimeoutMs, audio × timeoutFactor). */
  timeoutFactor: z.number().positive().default(4),
  minTimeoutMs: z.number().int().positive().default(30_000),
  /** PATH for finding the binary (tests). Default: this process's PATH. */
  searchPath: z.string().optional(),
});

export type PocketSphinxOptions = z.input<typeof pocketSphinxOptionsSchema>;

export function createPocketSphinxTranscriber(options: PocketSphinxOptions = {}): SpeechToText {
  const parsed = pocketSphinxOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new SpeechRequestError(
      `Invalid PocketSphinx options: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`,
    );
  }
  return new PocketSphinxTranscriber(parsed.data);
}

class PocketSphinxTranscriber implements SpeechToText {
  readonly id = POCKETSPHINX_PROVIDER_ID;
  readonly name = "PocketSphinx (offline)";
  readonly offline = true;
  readonly #config: z.output<typeof pocketSphinxOptionsSchema>;

  constructor(config: z.output<typeof pocketSphinxOptionsSchema>) {
    this.#config = config;
  }

  /** The engine's arguments; throws `engine_missing` when the binary or model is absent. */
  #command(): { executable: string; args: string[] } {
    const config = this.#config;
    const executable = requireExecutable(ENGINE, config.binary, config.searchPath);
    const hmm = path.join(config.modelDir, "en-us");
    const lm = config.languageModel ?? path.join(config.modelDir, "en-us.lm.bin");
    const dict = config.dictionary ?? path.join(config.modelDir, "cmudict-en-us.dict");
    for (const file of [hmm, lm, dict]) {
      if (!existsSync(file)) {
        throw new SpeechEngineError(
          "engine_missing",
          ENGINE,
          `PocketSphinx model file missing: ${file} (apt-get install pocketsphinx-en-us)`,
        );
      }
    }
    return {
      executable,
      args: [
        ...["-infile", "/dev/stdin", "-time", "yes", "-logfn", "/dev/null"],
        ...["-hmm", hmm, "-lm", lm, "-dict", dict],
        ...PRESET_ARGS[config.preset],
      ],
    };
  }

  stream(options: TranscribeOptions = {}): TranscriptionStream {
    return new PocketSphinxStream(this.#command(), options.signal);
  }

  async transcribe(audio: AudioInput, options: TranscribeOptions = {}): Promise<Transcription> {
    const pcm = toPcm(audio);
    const started = performance.now();
    const audioMs = pcm.length / BYTES_PER_MS;
    const timeoutMs = Math.max(this.#config.minTimeoutMs, audioMs * this.#config.timeoutFactor);
    const live = new PocketSphinxStream(this.#command(), options.signal, timeoutMs);
    const segments: TranscriptSegment[] = [];
    const collecting = (async () => {
      for await (const segment of live) segments.push(segment);
    })();
    live.write(pcm);
    await Promise.all([live.end(), collecting]);
    const words = segments.flatMap((segment) => segment.words);
    return {
      provider: this.id,
      text: wordsToText(words),
      words,
      audioMs,
      processingMs: performance.now() - started,
    };
  }
}

/** A word timing line of `-time yes` output. */
const WORD_LINE = /^(\S+) (\d+\.\d+) (\d+\.\d+) (\d+(?:\.\d+)?(?:e-?\d+)?)$/;

/** `<s>`, `</s>`, `<sil>`, `[NOISE]`, `++UH++`: markers and noise, not words. */
function isMarker(token: string): boolean {
  return token.startsWith("<") || token.startsWith("[") || token.startsWith("++");
}

/** Parses pocketsphinx_continuous `-time yes` output incrementally (line by line). */
export class PocketSphinxOutputParser {
  #buffer = "";
  #words: TranscriptWord[] = [];
  #index = 0;

  constructor(private readonly onSegment: (segment: TranscriptSegment) => void) {}

  push(text: string): void {
    this.#buffer += text;
    let newline: number;
    while ((newline = this.#buffer.indexOf("\n")) >= 0) {
      this.#line(this.#buffer.slice(0, newline).trim());
      this.#buffer = this.#buffer.slice(newline + 1);
    }
  }

  /** End of output: a last line without newline, and words of an utterance without `</s>`. */
  finish(): void {
    if (this.#buffer.trim()) this.#line(this.#buffer.trim());
    this.#buffer = "";
    this.#flush();
  }

  #line(line: string): void {
    const match = WORD_LINE.exec(line);
    if (!match) return; // the hypothesis line: the same words without times
    const [, token = "", start = "0", end = "0", probability = "0"] = match;
    if (token === "</s>") {
      this.#flush();
      return;
    }
    if (isMarker(token)) return;
    this.#words.push({
      // "the(2)": the dictionary's second pronunciation of "the".
      word: token.replace(/\(\d+\)$/, ""),
      startMs: Math.round(Number(start) * 1000),
      endMs: Math.round(Number(end) * 1000),
      confidence: Math.min(1, Math.max(0, Number(probability))),
    });
  }

  #flush(): void {
    const words = this.#words;
    this.#words = [];
    const first = words[0];
    const last = words.at(-1);
    if (!first || !last) return;
    this.onSegment({
      index: this.#index++,
      text: wordsToText(words),
      words,
      startMs: first.startMs,
      endMs: last.endMs,
      final: true,
    });
  }
}

class PocketSphinxStream implements TranscriptionStream {
  readonly #queue = new SegmentQueue();
  readonly #done: Promise<void>;
  readonly #child: ReturnType<typeof spawn>;
  #receivedBytes = 0;
  #failure: SpeechEngineError | undefined;

  constructor(
    { executable, args }: { executable: string; args: string[] },
    signal: AbortSignal | undefined,
    timeoutMs?: number,
  ) {
    // detached: its own process group, so abort kills sh, cat and the engine together.
    this.#child = spawn("/bin/sh", ["-c", 'cat | exec "$0" "$@"', executable, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    const child = this.#child;
    const parser = new PocketSphinxOutputParser((segment) => this.#queue.push(segment));
    const stderr: Buffer[] = [];
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (text: string) => parser.push(text));
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.stdin?.on("error", () => undefined); // EPIPE after an early exit: see `close`
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              this.#kill(
                new SpeechEngineError("timeout", ENGINE, `PocketSphinx took over ${timeoutMs} ms`),
              ),
            timeoutMs,
          );
    const onAbort = () =>
      this.#kill(new SpeechEngineError("cancelled", ENGINE, "PocketSphinx was cancelled"));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });

    this.#done = new Promise<void>((resolve, reject) => {
      child.on("error", (error) =>
        this.#kill(new SpeechEngineError("engine_failed", ENGINE, error.message)),
      );
      child.on("close", (code, exitSignal) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        const failure =
          this.#failure ?? (code === 0 ? undefined : exitError(ENGINE, code, exitSignal, stderr));
        if (failure?.code === "cancelled") {
          this.#queue.close();
          reject(failure);
        } else if (failure) {
          this.#queue.fail(failure);
          reject(failure);
        } else {
          parser.finish();
          this.#queue.close();
          resolve();
        }
      });
    });
    // end() is how callers see the failure; the iteration sees it too.
    this.#done.catch(() => undefined);
  }

  get receivedMs(): number {
    return this.#receivedBytes / BYTES_PER_MS;
  }

  write(pcm: Buffer): void {
    if (this.#child.stdin?.writable !== true) return;
    this.#receivedBytes += pcm.length;
    this.#child.stdin.write(pcm);
  }

  end(): Promise<void> {
    this.#child.stdin?.end();
    return this.#done;
  }

  abort(): void {
    this.#kill(new SpeechEngineError("cancelled", ENGINE, "PocketSphinx was cancelled"));
  }

  #kill(failure: SpeechEngineError): void {
    this.#failure ??= failure;
    const pid = this.#child.pid;
    if (pid === undefined || this.#child.exitCode !== null) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      this.#child.kill("SIGKILL");
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<TranscriptSegment> {
    return this.#queue[Symbol.asyncIterator]();
  }
}
