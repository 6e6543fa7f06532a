// @plinth/auth's configuration (@t3-oss/env-core; composed by apps/web/src/env.ts). Parsed on
// first use, so `next build` never needs secrets or a database.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, nodeEnvSchema, once, type RuntimeEnv } from "@plinth/core/env";

export function parseAuthEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    shared: {
      NODE_ENV: nodeEnvSchema,
    },
    server: {
      /** Signs Auth.js cookies and tokens. Required in production. */
      AUTH_SECRET: z.string().min(1).optional(),
      /** Public base URL of the app, e.g. https://app.example.com. */
      AUTH_URL: z.url().optional(),
      /** Trust X-Forwarded-Host (behind a proxy you control). */
      AUTH_TRUST_HOST: z
        .enum(["true", "false", "1", "0"])
        .optional()
        .transform((value) => value === "true" || value === "1"),
      /** Days a session lives; it slides with use. */
      AUTH_SESSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
      /** OAuth: GitHub. Enabled only when both are set. */
      AUTH_GITHUB_ID: z.string().min(1).optional(),
      AUTH_GITHUB_SECRET: z.string().min(1).optional(),
      /** OAuth: Google. Enabled only when both are set. */
      AUTH_GOOGLE_ID: z.string().min(1).optional(),
      AUTH_GOOGLE_SECRET: z.string().min(1).optional(),
      /** Generic OpenID Connect (enterprise SSO). Enabled only when issuer, id and secret are set. */
      AUTH_OIDC_ISSUER: z.url().optional(),
      AUTH_OIDC_ID: z.string().min(1).optional(),
      AUTH_OIDC_SECRET: z.string().min(1).optional(),
      /** Label of the OIDC button, e.g. "Acme SSO". */
      AUTH_OIDC_NAME: z.string().min(1).max(60).default("Single sign-on"),
    },
    createFinalSchema: (shape) =>
      z.object(shape).superRefine((env, ctx) => {
        // A half-configured provider is a mistake worth failing on, not a silently hidden button.
        const groups: [string, (keyof typeof env)[]][] = [
          ["GitHub", ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"]],
          ["Google", ["AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET"]],
          ["OpenID Connect", ["AUTH_OIDC_ISSUER", "AUTH_OIDC_ID", "AUTH_OIDC_SECRET"]],
        ];
        for (const [label, keys] of groups) {
          const set = keys.filter((key) => env[key] !== undefined);
          if (set.length > 0 && set.length < keys.length) {
            for (const key of keys.filter((k) => env[k] === undefined)) {
              ctx.addIssue({
                code: "custom",
                path: [key],
                message: `${label} sign-in needs ${keys.join(", ")} (only ${set.join(", ")} set)`,
              });
            }
          }
        }
        if (env.NODE_ENV === "production" && !env.AUTH_SECRET) {
          ctx.addIssue({
            code: "custom",
            path: ["AUTH_SECRET"],
            message: "AUTH_SECRET is required in production",
          });
        }
      }),
    ...envOptions("auth", source),
  });
}

export type AuthEnv = ReturnType<typeof parseAuthEnv>;

export const authEnv = once(() => parseAuthEnv());
