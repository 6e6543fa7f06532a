// Typed failures of the engine. A step that throws one of these ends as `error` with the
// message (secrets masked), never as an unexplained crash.

export class TestEngineError extends Error {
  override name = "TestEngineError";
}

/** A `{{name}}` with no variable, secret or extracted value behind it. */
export class MissingVariableError extends TestEngineError {
  override name = "MissingVariableError";
  constructor(readonly variable: string) {
    super(`no variable named "${variable}"`);
  }
}

/** The answer's body passed the configured size cap; reading stopped there. */
export class ResponseTooLargeError extends TestEngineError {
  override name = "ResponseTooLargeError";
  constructor(readonly limitBytes: number) {
    super(`response body larger than ${limitBytes} bytes`);
  }
}

export class StepTimeoutError extends TestEngineError {
  override name = "StepTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`step timed out after ${timeoutMs} ms`);
  }
}

export class TestTimeoutError extends TestEngineError {
  override name = "TestTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`test timed out after ${timeoutMs} ms`);
  }
}

export class RunCancelledError extends TestEngineError {
  override name = "RunCancelledError";
  constructor() {
    super("run cancelled");
  }
}

/** A JSON or YAML document that is not a valid suite/test definition. */
export class DefinitionParseError extends TestEngineError {
  override name = "DefinitionParseError";
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
