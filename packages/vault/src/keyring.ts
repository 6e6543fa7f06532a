// The encryption keys, from ENCRYPTION_KEYS: "v2:<base64>,v1:<base64>". Each entry is a
// version and 32 random bytes (AES-256); the first entry is the current key, which encrypts
// every new or replaced secret; the others only decrypt entries not yet re-encrypted
// (`pnpm vault:rotate`). Versions are unique. The key material lives in KeyObjects and the
// keyring prints as its versions only, so logging it leaks nothing.
import { createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { z } from "zod";
import { VaultError } from "./errors.ts";

export const KEY_BYTES = 32;
const ENTRY = /^v([1-9][0-9]{0,8}):([A-Za-z0-9+/_-]+={0,2})$/;

/** Canonical base64 (either alphabet) of exactly KEY_BYTES bytes: anything else is a typo. */
function decodeKey(text: string): Buffer | null {
  const bytes = Buffer.from(text, "base64");
  const canonical = (value: string) =>
    value.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  if (bytes.length !== KEY_BYTES || canonical(bytes.toString("base64url")) !== canonical(text))
    return null;
  return bytes;
}

const entrySchema = z.string().transform((raw, ctx) => {
  const match = ENTRY.exec(raw.trim());
  const bytes = match?.[2] ? decodeKey(match[2]) : null;
  if (!match || !bytes) {
    // Never echo the entry: it may be a key with one character wrong.
    ctx.addIssue({
      code: "custom",
      message: `expected v<N>:<${KEY_BYTES} random bytes in base64> (pnpm vault:new-key makes one)`,
    });
    return z.NEVER;
  }
  return { version: Number(match[1]), bytes };
});

const keyringSchema = z
  .string()
  .transform((text) => text.split(","))
  .pipe(z.array(entrySchema).min(1))
  .superRefine((entries, ctx) => {
    const versions = entries.map((entry) => entry.version);
    versions.forEach((version, index) => {
      if (versions.indexOf(version) !== index)
        ctx.addIssue({ code: "custom", path: [index], message: `version v${version} repeats` });
    });
    const materials = entries.map((entry) => entry.bytes.toString("hex"));
    materials.forEach((material, index) => {
      if (materials.indexOf(material) !== index)
        ctx.addIssue({ code: "custom", path: [index], message: "the same key appears twice" });
    });
  });

export class Keyring {
  readonly #keys: ReadonlyMap<number, KeyObject>;
  /** The version that encrypts new entries (the first in ENCRYPTION_KEYS). */
  readonly current: number;

  private constructor(entries: readonly { version: number; key: KeyObject }[]) {
    const [first] = entries;
    if (!first) throw new VaultError("NOT_CONFIGURED");
    this.current = first.version;
    this.#keys = new Map(entries.map((entry) => [entry.version, entry.key]));
    Object.freeze(this);
  }

  /** Parses ENCRYPTION_KEYS; a malformed value is a NOT_CONFIGURED error naming the entry. */
  static parse(text: string): Keyring {
    const result = keyringSchema.safeParse(text);
    if (!result.success) {
      throw new VaultError(
        "NOT_CONFIGURED",
        result.error.issues.map((issue) => ({
          field: `ENCRYPTION_KEYS${issue.path.length ? ` entry ${Number(issue.path[0]) + 1}` : ""}`,
          message: issue.message,
        })),
      );
    }
    return new Keyring(
      result.data.map(({ version, bytes }) => {
        const key = createSecretKey(bytes);
        bytes.fill(0); // the KeyObject holds its own copy
        return { version, key };
      }),
    );
  }

  /** Every configured version, current first. */
  get versions(): number[] {
    return [...this.#keys.keys()];
  }

  /** The key of a version, or undefined when it is not configured (any more). */
  key(version: number): KeyObject | undefined {
    return this.#keys.get(version);
  }

  toString(): string {
    return `Keyring(current v${this.current}; ${this.versions.map((v) => `v${v}`).join(", ")})`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** A new ENCRYPTION_KEYS entry: `v<version>:<32 random bytes, base64>`. */
export function generateKeyEntry(version: number): string {
  if (!Number.isInteger(version) || version < 1) throw new VaultError("NOT_CONFIGURED");
  return `v${version}:${randomBytes(KEY_BYTES).toString("base64")}`;
}
