// Where run artifacts (screenshots) go: a local folder by default, S3-compatible storage when
// configured. Links handed to browsers are signed and expire in both.
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
