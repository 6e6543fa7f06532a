// Test automation's configuration (@t3-oss/env-core): where artifacts (screenshots) go.
// S3_* set: an S3-compatible bucket (@aws-sdk/client-s3, presigned GET links); otherwise a
// git-ignored local folder served by the web app at /api/test-artifacts with HMAC-signed links.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

export function parseTestAutomationEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      S3_BUCKET: z.string().min(3).max(63).optional(),
      S3_REGION: z.string().min(1).default("us-east-1"),
      S3_ENDPOINT: z.url().optional(),
      S3_FORCE_PATH_STYLE: z
        .enum(["true", "false"])
        .default("false")
        .transform((value) => value === "true"),
      S3_ACCESS_KEY_ID: z.string().min(1).optional(),
      S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
      /** The local folder for artifacts (default .plinth/artifacts, git-ignored). */
      TEST_ARTIFACTS_DIR: z.string().min(1).optional(),
      /** HMAC key of local artifact links (≥ 32 characters); dev default when unset. */
      TEST_ARTIFACTS_SIGNING_SECRET: z.string().min(32).optional(),
      APP_URL: z.url().default("http://localhost:3000"),
    },
    ...envOptions("test-automation", source),
  });
}

export type TestAutomationEnv = ReturnType<typeof parseTestAutomationEnv>;

export const testAutomationEnv = once(() => parseTestAutomationEnv());
