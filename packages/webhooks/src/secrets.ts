// An endpoint's signing secret lives in the vault (encrypted at rest), under
// `webhooks.endpoint.<endpointId>`. `issueSigningSecret` answers the new secret to show once;
// only the delivery path reads it back.
import type { TransactionClient } from "@plinth/db";
import { putSecret, readSecret, type Keyring } from "@plinth/vault";
import { generateSigningSecret } from "./signing.ts";

export function signingSecretName(endpointId: string): string {
  return `webhooks.endpoint.${endpointId.toLowerCase()}`;
}

/** A new secret for the endpoint, stored (replacing any previous one); shown once. */
export async function issueSigningSecret(
  tx: Pick<TransactionClient, "vaultSecret">,
  endpoint: { organizationId: string; id: string },
  keyring?: Keyring,
): Promise<string> {
  const secret = generateSigningSecret();
  await putSecret(
    tx,
    {
      organizationId: endpoint.organizationId,
      name: signingSecretName(endpoint.id),
      plaintext: secret,
    },
    keyring,
  );
  return secret;
}

export async function readSigningSecret(
  db: Pick<TransactionClient, "vaultSecret">,
  endpoint: { organizationId: string; id: string },
  keyring?: Keyring,
): Promise<string | null> {
  const value = await readSecret(
    db,
    { organizationId: endpoint.organizationId, name: signingSecretName(endpoint.id) },
    keyring,
  );
  return value ? value.reveal() : null;
}

export async function deleteSigningSecret(
  tx: Pick<TransactionClient, "vaultSecret">,
  endpoint: { organizationId: string; id: string },
): Promise<void> {
  await tx.vaultSecret.deleteMany({
    where: { organizationId: endpoint.organizationId, name: signingSecretName(endpoint.id) },
  });
}
