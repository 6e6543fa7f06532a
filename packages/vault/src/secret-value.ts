// A decrypted secret, wrapped so it cannot slip into a log line, a JSON answer or an error
// message by accident: every way of turning it into text says "[secret]". Only `reveal()`
// gives the plaintext, which makes each real use easy to find (grep for `.reveal(`).

const REDACTED = "[secret]";

export class SecretValue {
  readonly #plaintext: string;

  constructor(plaintext: string) {
    this.#plaintext = plaintext;
    Object.freeze(this);
  }

  /** The plaintext, for the adapter that sends it to its service. Do not log or return it. */
  reveal(): string {
    return this.#plaintext;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  /** console.log, util.inspect and loggers built on them (pino, vitest's diffs). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return REDACTED;
  }
}
