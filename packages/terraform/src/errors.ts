// Typed failures of a CLI command: which command (argv holds no secret: they travel in the
// environment), how it ended, the last lines it printed (redacted) and whether a retry may
// succeed (`transient`).

/** Output that means "try again": a held state lock, the network, a throttled API. */
const TRANSIENT_PATTERNS = [
  /error acquiring the state lock/i,
  /error releasing the state lock/i,
  /connection refused/i,
  /connection reset by peer/i,
  /i\/o timeout/i,
  /tls handshake timeout/i,
  /no such host/i,
  /temporary failure in name resolution/i,
  /network is unreachable/i,
  /context deadline exceeded/i,
  /too many requests|rate limit|throttl/i,
  /\b(502|503|504)\b.*(bad gateway|service unavailable|gateway timeout)/i,
  /failed to query available provider packages/i,
  /could not connect to server|the database system is starting up|too many clients/i,
];

export function isTransientOutput(lines: readonly string[]): boolean {
  return lines.some((line) => TRANSIENT_PATTERNS.some((pattern) => pattern.test(line)));
}

export abstract class TerraformError extends Error {
  abstract readonly transient: boolean;
  constructor(
    message: string,
    /** The command line (binary and arguments). */
    readonly command: readonly string[],
    /** The last lines of its output, redacted. */
    readonly tail: readonly string[],
  ) {
    super(message);
  }
}

/** The command ran and exited with a failure code. */
export class TerraformCommandError extends TerraformError {
  override name = "TerraformCommandError";
  readonly transient: boolean;
  constructor(
    command: readonly string[],
    readonly exitCode: number,
    tail: readonly string[],
  ) {
    const last = tail.findLast((line) => line.trim() !== "") ?? "(no output)";
    super(`${command.slice(0, 2).join(" ")} exited with code ${exitCode}: ${last}`, command, tail);
    this.transient = isTransientOutput(tail);
  }
}

/** The command ran past its timeout and was stopped. A hang is not retried blindly. */
export class TerraformTimeoutError extends TerraformError {
  override name = "TerraformTimeoutError";
  readonly transient = false;
  constructor(
    command: readonly string[],
    readonly timeoutMs: number,
    tail: readonly string[],
  ) {
    super(`${command.slice(0, 2).join(" ")} timed out after ${timeoutMs} ms`, command, tail);
  }
}

/** The caller's AbortSignal stopped the command. */
export class TerraformAbortedError extends TerraformError {
  override name = "TerraformAbortedError";
  readonly transient = false;
  constructor(command: readonly string[], tail: readonly string[]) {
    super(`${command.slice(0, 2).join(" ")} was aborted`, command, tail);
  }
}

/** The command could not start (binary missing, not executable) or was killed by a signal. */
export class TerraformSpawnError extends TerraformError {
  override name = "TerraformSpawnError";
  readonly transient = false;
  constructor(command: readonly string[], reason: string, tail: readonly string[]) {
    super(`${command.slice(0, 2).join(" ")} failed: ${reason}`, command, tail);
  }
}

/** `output -json` / `show -json` printed something that is not what was expected. */
export class TerraformOutputError extends TerraformError {
  override name = "TerraformOutputError";
  readonly transient = false;
  constructor(command: readonly string[], reason: string) {
    super(`${command.slice(0, 2).join(" ")}: unexpected output (${reason})`, command, []);
  }
}

/** The template or the inputs cannot make a working directory. */
export class TerraformTemplateError extends Error {
  override name = "TerraformTemplateError";
}

export function isTransientTerraformError(error: unknown): boolean {
  return error instanceof TerraformError && error.transient;
}
