// Artifact refs of a result become signed, expiring links (the store's: HMAC for the local
// folder, presigned GETs for S3). The keys themselves stay on the server.
// Signed through the organization's own view of the store (tenantArtifacts): a key of
// another organization is refused, never signed.
import { tenantArtifacts } from "@plinth/artifacts";
import { ARTIFACT_LINK_SECONDS, artifactStore } from "./artifacts.ts";

export async function artifactLinks<
  T extends { artifacts: { key: string; label: string; attempt: number; contentType: string }[] },
>(
  result: T,
  organizationId: string,
): Promise<
  Omit<T, "artifacts"> & {
    artifacts: {
      label: string;
      attempt: number;
      contentType: string;
      url: string;
      expiresInSeconds: number;
    }[];
  }
> {
  const store = tenantArtifacts(artifactStore(), organizationId);
  const artifacts = await Promise.all(
    result.artifacts.map(async ({ key, ...artifact }) => ({
      ...artifact,
      url: await store.signedUrl(key, ARTIFACT_LINK_SECONDS),
      expiresInSeconds: ARTIFACT_LINK_SECONDS,
    })),
  );
  const { artifacts: _refs, ...rest } = result;
  return { ...rest, artifacts };
}
