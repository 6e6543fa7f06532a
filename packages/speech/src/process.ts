// Running the offline engines (pocketsphinx_continuous, espeak-ng, sox) as child processes:
// find the binary first (a missing one is a clear `engine_missing`, not ENOENT), never through
// a shell with caller text in the command line (text goes on stdin), kill on abort or timeout.
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { SpeechEngineError } from "./errors.ts";

/** The Debian packages that provide the offline engines (installed by `npm test`). */
export const DEBIAN_PACKAGES = "pocketsphinx pocketsphinx-en-us espeak-ng sox";

/** Absolute path of an executable: as given when it contains a slash, else found on PATH. */
export function findExecutable(name: string, searchPath: string | undefined): string | undefined {
  const candidates = name.includes("/")
    ? [name]
    : (searchPath ?? "/usr/local/bin:/usr/bin:/bin")
        .split(":")
        .filter(Boolean)
        .map((dir) => path.join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function requireExecutable(
  engine: string,
  name: string,
  searchPath: string | undefined,
): string {
  const found = findExecutable(name, searchPath);
  if (!found) {
    throw new SpeechEngineError(
      "engine_missing",
      engine,
      `${engine} is not installed (no executable "${name}"): apt-get install ${DEBIAN_PACKAGES} (npm test installs them)`,
    );
  }
  return found;
}

export interface RunOptions {
  engine: string;
  stdin: Buffer | string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** Runs a binary to completion: stdin in, stdout out; a failure names the engine and its stderr. */
export function runToCompletion(
  executable: string,
  args: readonly string[],
  { engine, stdin, timeoutMs, signal }: RunOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new SpeechEngineError("cancelled", engine, `${engine} was cancelled`));
      return;
    }
    const child = spawn(executable, args, { stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let failure: SpeechEngineError | undefined;
    const stop = (error: SpeechEngineError) => {
      failure ??= error;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(
      () => stop(new SpeechEngineError("timeout", engine, `${engine} took over ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onAbort = () =>
      stop(new SpeechEngineError("cancelled", engine, `${engine} was cancelled`));
    signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    // EPIPE when the engine exits early: its exit status tells the story.
    child.stdin.on("error", () => undefined);
    child.on("error", (error) =>
      stop(new SpeechEngineError("engine_failed", engine, `${engine} failed: ${error.message}`)),
    );
    child.on("close", (code, exitSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (failure) reject(failure);
      else if (code !== 0) reject(exitError(engine, code, exitSignal, stderr));
      else resolve(Buffer.concat(stdout));
    });
    child.stdin.end(stdin);
  });
}

export function exitError(
  engine: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: readonly Buffer[],
): SpeechEngineError {
  const detail = Buffer.concat(stderr).toString("utf8").trim().split("\n").slice(-3).join(" | ");
  return new SpeechEngineError(
    "engine_failed",
    engine,
    `${engine} exited with ${signal ?? code}${detail ? `: ${detail.slice(0, 500)}` : ""}`,
  );
}

export type { ChildProcess };
