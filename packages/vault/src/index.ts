// @plinth/vault: secrets encrypted at rest (AES-256-GCM under versioned keys). docs/vault.md.
export { parseVaultKeyring, vaultKeyring } from "./env.ts";
export {
  VAULT_ERROR_MESSAGES,
  VaultError,
  isVaultError,
  type VaultErrorCode,
  type VaultFieldIssue,
} from "./errors.ts";
export { Keyring, generateKeyEntry } from "./keyring.ts";
export { SecretValue } from "./secret-value.ts";
export {
  MAX_SECRET_LENGTH,
  deleteSecret,
  describeSecret,
  listSecrets,
  putSecret,
  readSecret,
  type SecretDescription,
  type VaultDatabase,
} from "./secrets.ts";
