// The API key format: `plk_live_` or `plk_test_`, 32 random bytes in base62 (43 characters)
// and a 6-character base62 CRC32 of everything before it — 58 characters in all.
// The fixed prefix lets secret scanners recognise a leaked key; the checksum lets our own
// parser refuse a mistyped or truncated key without a database read (CRC32 catches every
// single-character error and every swap of two neighbours). Only the SHA-256 of the key is
// ever stored (hashApiKey).
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

export type ApiKeyEnvironment = "live" | "test";

export const API_KEY_PREFIXES: Record<ApiKeyEnvironment, string> = {
  live: "plk_live_",
  test: "plk_test_",
};

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SECRET_BYTES = 32;
/** 62^43 > 2^256: 43 characters hold any 32 bytes. */
const SECRET_LENGTH = 43;
/** 62^6 > 2^32. */
const CHECKSUM_LENGTH = 6;
const PREFIX_LENGTH = 9;
export const API_KEY_LENGTH = PREFIX_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;
/** Random characters shown after the type prefix to recognise a key in a list. */
const DISPLAY_CHARACTERS = 4;

const BASE62_PATTERN = /^[0-9A-Za-z]+$/;

function toBase62(value: bigint, length: number): string {
  let out = "";
  let rest = value;
  while (rest > 0n) {
    out = BASE62[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out.padStart(length, "0");
}

function checksum(text: string): string {
  return toBase62(BigInt(crc32(text)), CHECKSUM_LENGTH);
}

export interface GeneratedApiKey {
  /** The full key: shown to its owner once, never stored. */
  key: string;
  environment: ApiKeyEnvironment;
  /** For lists: the type prefix and the first random characters ("plk_live_4B1n"). */
  prefix: string;
  /** For lists: the key's last 4 characters. */
  lastFour: string;
  /** SHA-256 (hex): the only form of the key the database holds. */
  hash: string;
}

/**
 * A new key. `secretBytes` (32 bytes) replaces the random part: only the demo seed passes
 * it, to print the same local demo keys on every `npm run dev`.
 */
export function generateApiKey(
  environment: ApiKeyEnvironment = "live",
  secretBytes: Buffer = randomBytes(SECRET_BYTES),
): GeneratedApiKey {
  if (secretBytes.length !== SECRET_BYTES)
    throw new Error(`an API key needs ${SECRET_BYTES} bytes`);
  const prefix = API_KEY_PREFIXES[environment];
  const secret = toBase62(BigInt(`0x${secretBytes.toString("hex")}`), SECRET_LENGTH);
  const key = `${prefix}${secret}${checksum(prefix + secret)}`;
  return {
    key,
    environment,
    prefix: key.slice(0, PREFIX_LENGTH + DISPLAY_CHARACTERS),
    lastFour: key.slice(-4),
    hash: hashApiKey(key),
  };
}

export interface ParsedApiKey {
  key: string;
  environment: ApiKeyEnvironment;
}

/**
 * The key if `input` is a well-formed Plinth key with a matching checksum, else null — a pure
 * check: no database, no timing that depends on stored keys.
 */
export function parseApiKey(input: unknown): ParsedApiKey | null {
  if (typeof input !== "string" || input.length !== API_KEY_LENGTH) return null;
  const environment: ApiKeyEnvironment | null = input.startsWith(API_KEY_PREFIXES.live)
    ? "live"
    : input.startsWith(API_KEY_PREFIXES.test)
      ? "test"
      : null;
  if (!environment) return null;
  const body = input.slice(PREFIX_LENGTH);
  if (!BASE62_PATTERN.test(body)) return null;
  const payload = input.slice(0, API_KEY_LENGTH - CHECKSUM_LENGTH);
  if (checksum(payload) !== input.slice(-CHECKSUM_LENGTH)) return null;
  return { key: input, environment };
}

/** SHA-256 of the full key, hex: what api_keys.key_hash holds and the verifier looks up. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** "plk_live_4B1n…3E9a": how lists show a key. */
export function maskApiKey(key: { prefix: string; lastFour: string }): string {
  return `${key.prefix}…${key.lastFour}`;
}

/** The key in an `Authorization: Bearer <key>` header value, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1] ?? null;
}
