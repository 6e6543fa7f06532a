// Password hashing: argon2id (OWASP parameters: 19 MiB memory, 2 iterations, 1 lane).
// Deliberately free of `next` and `server-only`, so the API package and scripts can import it.
import { hash, verify } from "@node-rs/argon2";

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-policy.ts";

// Argon2id is @node-rs/argon2's default algorithm (its `Algorithm` is a const enum, which
// isolatedModules cannot reference); the test asserts the `$argon2id$` prefix.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A real hash of a random string: verified against when the user does not exist. */
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hash(`dummy-${Math.random()}-${Date.now()}`, OPTIONS);
  return dummyHash;
}

/**
 * Verifies `password` against `passwordHash`. With no hash (unknown user, or an OAuth-only
 * account) it still runs one argon2 verification, so timing does not reveal whether the
 * account exists, and returns false.
 */
export async function verifyPassword(
  passwordHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (!passwordHash) {
    await verify(await getDummyHash(), password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
