// The vault's refusals. Each is a code with a fixed message: nothing about the key, the
// plaintext, the ciphertext or the crypto library's reason ever reaches the message, so an
// error can be logged or mapped to an answer as it is.

export const VAULT_ERROR_MESSAGES = {
  /** ENCRYPTION_KEYS is missing or malformed (start-up configuration). */
  NOT_CONFIGURED: "The vault has no valid encryption keys (ENCRYPTION_KEYS, see docs/vault.md)",
  /** The input (organization id, name or plaintext) is not acceptable. */
  INVALID_INPUT: "The secret's organization, name or value is not valid",
  /** The entry was encrypted under a key version the keyring no longer holds. */
  KEY_UNAVAILABLE: "The secret was encrypted under a key that is not configured",
  /** Authentication failed: the entry was altered, moved to another row, or is not ours. */
  DECRYPTION_FAILED: "The secret could not be decrypted",
} as const;

export type VaultErrorCode = keyof typeof VAULT_ERROR_MESSAGES;

export interface VaultFieldIssue {
  /** The input field, e.g. "name". */
  field: string;
  message: string;
}

export class VaultError extends Error {
  override readonly name = "VaultError";

  constructor(
    readonly code: VaultErrorCode,
    /** For INVALID_INPUT and NOT_CONFIGURED: which field and why (never its value). */
    readonly issues: readonly VaultFieldIssue[] = [],
  ) {
    super(VAULT_ERROR_MESSAGES[code]);
  }
}

export const isVaultError = (error: unknown, code?: VaultErrorCode): error is VaultError =>
  error instanceof VaultError && (code === undefined || error.code === code);
