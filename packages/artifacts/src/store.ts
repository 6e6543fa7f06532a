// Where stored files go — test runs' screenshots, personal-data export zips: a local folder by
// default, S3-compatible storage when configured. Links handed to browsers are signed and
// expire in both. A package of its own so the core (data exports) and the test engine share it
// without one depending on the other.
import { z } from "zod";

/** `runs/<run>/<test>/failure-1.png`: relative, no `..`, no empty segments. */
export const artifactKeySchema = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/, "an artifact key");

export const contentTypeSchema = z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, "a content type");

/** A signed link lives at least a few seconds and at most a week (S3's own ceiling). */
export const linkLifetimeSchema = z
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 3600);

export interface StoredArtifact {
  bytes: Uint8Array;
  contentType: string;
}

export interface ArtifactStore {
  readonly kind: "local" | "s3";
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** null when there is no such artifact. */
  get(key: string): Promise<StoredArtifact | null>;
  delete(key: string): Promise<void>;
  /** A link that works without a session until it expires. */
  signedUrl(key: string, expiresInSeconds: number): Promise<string>;
}

/** A key outside the tenant's own prefix: refused before the store is asked anything. */
export class ArtifactAccessError extends Error {
  constructor(readonly key: string) {
    super("This artifact belongs to another organization");
    this.name = "ArtifactAccessError";
  }
}

const ORGANIZATION_PREFIX = /^[A-Za-z0-9_-]+$/;

/**
 * One organization's view of a store: artifact keys are `<organizationId>/<run>/…` (the
 * executor writes them so), and this view refuses any other organization's key — reading,
 * writing, deleting or signing a link — so a key taken from another tenant cannot be turned
 * into a link even if it reached a caller.
 */
export function tenantArtifacts<S extends ArtifactStore>(store: S, organizationId: string) {
  if (!ORGANIZATION_PREFIX.test(organizationId)) throw new Error("an organization id");
  const own = (key: string) => {
    const parsed = artifactKeySchema.parse(key);
    if (!parsed.startsWith(`${organizationId}/`)) throw new ArtifactAccessError(parsed);
    return parsed;
  };
  return {
    kind: store.kind,
    put: async (key: string, bytes: Uint8Array, contentType: string) =>
      store.put(own(key), bytes, contentType),
    get: async (key: string) => store.get(own(key)),
    delete: async (key: string) => store.delete(own(key)),
    signedUrl: async (key: string, expiresInSeconds: number) =>
      store.signedUrl(own(key), expiresInSeconds),
  } satisfies ArtifactStore;
}
