// AES-256-GCM with a fresh 96-bit random nonce per encryption and a 128-bit tag. The
// additional authenticated data names the entry's owner and purpose (and the key version),
// so a ciphertext is only valid in its own row: copied to another organization or name, or
// with any byte of nonce, ciphertext or tag changed, it fails authentication.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { VaultError } from "./errors.ts";
import type { Keyring } from "./keyring.ts";
import { SecretValue } from "./secret-value.ts";

const ALGORITHM = "aes-256-gcm";
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
/** Changes only if the layout of the additional data ever does. */
const AAD_FORMAT = "plinth.vault/1";

/** Who a secret belongs to and what it is for: the additional authenticated data. */
export interface SecretBinding {
  organizationId: string;
  name: string;
}

export interface SealedSecret {
  keyVersion: number;
  nonce: Uint8Array<ArrayBuffer>;
  ciphertext: Uint8Array<ArrayBuffer>;
  authTag: Uint8Array<ArrayBuffer>;
}

function additionalData(binding: SecretBinding, keyVersion: number): Buffer {
  // A JSON array of strings is unambiguous: no name can be made to look like another field.
  return Buffer.from(
    JSON.stringify([AAD_FORMAT, binding.organizationId, binding.name, String(keyVersion)]),
  );
}

/** A copy that owns a plain ArrayBuffer (what Prisma's Bytes fields take). */
const bytes = (buffer: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(buffer);

/** Encrypts under the keyring's current key. */
export function seal(keyring: Keyring, binding: SecretBinding, plaintext: string): SealedSecret {
  const keyVersion = keyring.current;
  const key = keyring.key(keyVersion);
  if (!key) throw new VaultError("NOT_CONFIGURED");
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(binding, keyVersion));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    keyVersion,
    nonce: bytes(nonce),
    ciphertext: bytes(ciphertext),
    authTag: bytes(cipher.getAuthTag()),
  };
}

/**
 * Decrypts and authenticates. KEY_UNAVAILABLE when the version is not in the keyring,
 * DECRYPTION_FAILED for anything altered or misplaced (no detail, by design).
 */
export function open(keyring: Keyring, binding: SecretBinding, sealed: SealedSecret): SecretValue {
  const key = keyring.key(sealed.keyVersion);
  if (!key) throw new VaultError("KEY_UNAVAILABLE");
  if (sealed.nonce.length !== NONCE_BYTES || sealed.authTag.length !== TAG_BYTES)
    throw new VaultError("DECRYPTION_FAILED");
  try {
    const decipher = createDecipheriv(ALGORITHM, key, sealed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(binding, sealed.keyVersion));
    decipher.setAuthTag(sealed.authTag);
    const plaintext = Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
    const value = new SecretValue(plaintext.toString("utf8"));
    plaintext.fill(0);
    return value;
  } catch {
    // OpenSSL's reason ("unable to authenticate data") adds nothing a caller may act on.
    throw new VaultError("DECRYPTION_FAILED");
  }
}
