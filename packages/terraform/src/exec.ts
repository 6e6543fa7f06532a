// Runs one CLI command (execa): output streamed line by line (redacted) to a callback and kept
// as a short tail for errors, a timeout, and the caller's AbortSignal. Both stop the CLI with
// SIGINT first (Terraform then finishes the current operation, writes its state and releases
// the lock) and SIGKILL after a grace period.
import { execa } from "execa";
import {
  TerraformAbortedError,
  TerraformCommandError,
  TerraformSpawnError,
  TerraformTimeoutError,
} from "./errors.ts";
import type { Redactor } from "./redact.ts";

export type OutputStream = "stdout" | "stderr";

export interface TerraformLine {
  /** The subcommand that printed it: init, plan, apply, destroy, output, show. */
  command: string;
  stream: OutputStream;
  line: string;
}

export interface RunOptions {
  /** Each output line, redacted, as it is printed. */
  onLine?: (line: TerraformLine) => void;
  /** Stops the command (SIGINT, then SIGKILL after the grace period). */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface CommandSpec {
  bin: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  redact: Redactor;
  timeoutMs: number;
  killGraceMs: number;
  /** Exit codes that are not failures (plan's -detailed-exitcode: 2 = changes). */
  okExitCodes?: readonly number[];
  /** Stdout is data (output -json may hold sensitive values): parsed, never streamed. */
  captureStdout?: boolean;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
}

const TAIL_LINES = 40;

export async function runCommand(spec: CommandSpec, options: RunOptions): Promise<CommandResult> {
  const command = [spec.bin, ...spec.args];
  const subcommand = spec.args[0] ?? "";
  const tail: string[] = [];
  const emit = (stream: OutputStream) =>
    function* (chunk: unknown) {
      const line = spec.redact(String(chunk));
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      try {
        options.onLine?.({ command: subcommand, stream, line });
      } catch {
        // A failing log sink must not stop Terraform halfway through an apply.
      }
      yield line;
    };

  const result = await execa(spec.bin, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    extendEnv: false,
    stdin: "ignore",
    stdout: spec.captureStdout ? "pipe" : emit("stdout"),
    stderr: emit("stderr"),
    timeout: options.timeoutMs ?? spec.timeoutMs,
    cancelSignal: options.signal,
    killSignal: "SIGINT",
    forceKillAfterDelay: spec.killGraceMs,
    // Streamed output is not kept (an apply can print for an hour); only data stdout is.
    buffer: { stdout: Boolean(spec.captureStdout), stderr: false },
    maxBuffer: 64 * 1024 * 1024,
    reject: false,
  });

  if (result.isCanceled) throw new TerraformAbortedError(command, tail);
  if (result.timedOut) {
    throw new TerraformTimeoutError(command, options.timeoutMs ?? spec.timeoutMs, tail);
  }
  if (result.exitCode === undefined) {
    const reason = result.signal
      ? `killed by ${result.signal}`
      : spec.redact(result.originalMessage ?? result.shortMessage ?? "did not start");
    throw new TerraformSpawnError(command, reason, tail);
  }
  if (result.exitCode !== 0 && !(spec.okExitCodes ?? []).includes(result.exitCode)) {
    throw new TerraformCommandError(command, result.exitCode, tail);
  }
  return { exitCode: result.exitCode, stdout: spec.captureStdout ? String(result.stdout) : "" };
}
