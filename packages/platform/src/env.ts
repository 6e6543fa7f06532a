// @plinth/platform's configuration (@t3-oss/env-core): where users' data exports (zips) are
// kept and the key their download links are signed with. S3_* set (the same bucket settings as
// test automation's artifacts): an S3-compatible bucket under `data-exports/`; otherwise a
// git-ignored local folder. The web app and the worker must see the same store.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, nodeEnvSchema, once, type RuntimeEnv } from "@plinth/core/env";

export function parsePlatformEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    shared: {
      NODE_ENV: nodeEnvSchema,
    },
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
      /** The local folder for data exports (default .plinth/data-exports, git-ignored). */
      DATA_EXPORTS_DIR: z.string().min(1).optional(),
      /** HMAC key of data export download links (≥ 32 characters); required in production. */
      DATA_EXPORT_LINK_SECRET: z.string().min(32).optional(),
    },
    createFinalSchema: (shape) =>
      z.object(shape).superRefine((env, ctx) => {
        // A dev key in production would let anyone who reads this repository sign links.
        if (env.NODE_ENV === "production" && !env.DATA_EXPORT_LINK_SECRET) {
          ctx.addIssue({
            code: "custom",
            path: ["DATA_EXPORT_LINK_SECRET"],
            message: "required in production (signs data export download links)",
          });
        }
      }),
    ...envOptions("platform", source),
  });
}

export type PlatformEnv = ReturnType<typeof parsePlatformEnv>;

export const platformEnv = once(() => parsePlatformEnv());
