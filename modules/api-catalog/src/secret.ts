// A product's upstream secret, sealed with @plinth/vault's cipher under the same versioned
// keys (ENCRYPTION_KEYS) as the tenant vault. The catalog is platform-level, so the secret
// lives on the product row, bound (additional authenticated data) to "platform" and the
// product id: copied to another product it does not decrypt. Only the gateway opens it.
import { open, seal } from "@plinth/vault/cipher";
import { vaultKeyring, type Keyring, type SecretValue } from "@plinth/vault";

const binding = (productId: string) => ({
  organizationId: "platform",
  name: `api-catalog.upstream:${productId}`,
});

export interface SealedColumns {
  secretKeyVersion: number | null;
  secretNonce: Uint8Array<ArrayBuffer> | null;
  secretCiphertext: Uint8Array<ArrayBuffer> | null;
  secretAuthTag: Uint8Array<ArrayBuffer> | null;
  secretHint: string | null;
}

export const NO_SECRET: SealedColumns = {
  secretKeyVersion: null,
  secretNonce: null,
  secretCiphertext: null,
  secretAuthTag: null,
  secretHint: null,
};

export function sealSecret(
  productId: string,
  plaintext: string,
  keyring: Keyring = vaultKeyring(),
): SealedColumns {
  const sealed = seal(keyring, binding(productId), plaintext);
  const characters = Array.from(plaintext);
  return {
    secretKeyVersion: sealed.keyVersion,
    secretNonce: sealed.nonce,
    secretCiphertext: sealed.ciphertext,
    secretAuthTag: sealed.authTag,
    secretHint: characters.length >= 12 ? characters.slice(-4).join("") : "",
  };
}

export function openSecret(
  productId: string,
  columns: Pick<
    SealedColumns,
    "secretKeyVersion" | "secretNonce" | "secretCiphertext" | "secretAuthTag"
  >,
  keyring?: Keyring,
): SecretValue | null {
  const { secretKeyVersion, secretNonce, secretCiphertext, secretAuthTag } = columns;
  if (secretKeyVersion === null || !secretNonce || !secretCiphertext || !secretAuthTag) return null;
  // The keyring only when there is something to open (a catalog without secrets needs none).
  return open(keyring ?? vaultKeyring(), binding(productId), {
    keyVersion: secretKeyVersion,
    nonce: secretNonce,
    ciphertext: secretCiphertext,
    authTag: secretAuthTag,
  });
}
