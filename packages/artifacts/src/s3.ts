// Artifacts in S3 or an S3-compatible store (MinIO, R2, s3rver in the tests) through the
// official SDK; links are the SDK's presigned GET URLs.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { z } from "zod";
import {
  artifactKeySchema,
  contentTypeSchema,
  linkLifetimeSchema,
  type ArtifactStore,
} from "./store.ts";

export const s3ArtifactConfigSchema = z.strictObject({
  bucket: z.string().min(3).max(63),
  region: z.string().min(1).default("us-east-1"),
  /** For S3-compatible stores; AWS itself needs none. */
  endpoint: z.url().optional(),
  /** Most S3-compatible stores want path-style addressing. */
  forcePathStyle: z.boolean().default(false),
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  /** Prepended to every key, e.g. `plinth/`. */
  keyPrefix: z
    .string()
    .regex(/^([A-Za-z0-9._-]+\/)*$/)
    .default(""),
});
export type S3ArtifactConfig = z.input<typeof s3ArtifactConfigSchema>;

export interface S3ArtifactStoreOptions {
  /** When links are signed (their expiry counts from it); injectable for tests. */
  now?: () => Date;
}

export function createS3ArtifactStore(
  config: S3ArtifactConfig,
  options: S3ArtifactStoreOptions = {},
): ArtifactStore & { client: S3Client } {
  const now = options.now ?? (() => new Date());
  const settings = s3ArtifactConfigSchema.parse(config);
  const client = new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // Checksums only where S3 requires them: S3-compatible stores differ in what they accept.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const objectKey = (key: string) => `${settings.keyPrefix}${artifactKeySchema.parse(key)}`;

  return {
    kind: "s3",
    client,
    async put(key, bytes, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket: settings.bucket,
          Key: objectKey(key),
          Body: bytes,
          ContentType: contentTypeSchema.parse(contentType),
        }),
      );
    },
    async get(key) {
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket: settings.bucket, Key: objectKey(key) }),
        );
        if (!object.Body) return null;
        return {
          bytes: await object.Body.transformToByteArray(),
          contentType: object.ContentType ?? "application/octet-stream",
        };
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
          return null;
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: objectKey(key) }));
    },
    async signedUrl(key, expiresInSeconds) {
      return getSignedUrl(
        client,
        new GetObjectCommand({ Bucket: settings.bucket, Key: objectKey(key) }),
        { expiresIn: linkLifetimeSchema.parse(expiresInSeconds), signingDate: now() },
      );
    },
  };
}
