// The only place in @plinth/vault that reads process.env. Parsed lazily (on first use of the
// vault), so builds and processes that never touch a secret need no keys.
import { z } from "zod";
import { VaultError } from "./errors.ts";
import { Keyring } from "./keyring.ts";

const schema = z.object({
  /**
   * "v2:<base64>,v1:<base64>": the first encrypts, all decrypt (docs/vault.md). `npm run dev`
   * generates one into .plinth/encryption-keys; production must configure it.
   */
  ENCRYPTION_KEYS: z
    .string()
    .trim()
    .transform((value) => (value === "" ? undefined : value))
    .optional(),
});

/** The keyring described by an environment; NOT_CONFIGURED when ENCRYPTION_KEYS is unset. */
export function parseVaultKeyring(source: Record<string, string | undefined>): Keyring {
  const { ENCRYPTION_KEYS } = schema.parse({ ENCRYPTION_KEYS: source.ENCRYPTION_KEYS });
  if (!ENCRYPTION_KEYS)
    throw new VaultError("NOT_CONFIGURED", [
      { field: "ENCRYPTION_KEYS", message: "not set (npm run dev sets one; production must)" },
    ]);
  return Keyring.parse(ENCRYPTION_KEYS);
}

let cached: Keyring | undefined;

/** The process environment's keyring (parsed once). */
export function vaultKeyring(): Keyring {
  cached ??= parseVaultKeyring(process.env);
  return cached;
}
