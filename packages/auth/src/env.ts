// The only place in @plinth/auth that reads process.env. Parsed lazily (on first use), so
// `next build` never needs secrets or a database.
import { z } from "zod";

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z.string().min(1).optional(),
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
  })
  .superRefine((env, ctx) => {
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
  });

export type AuthEnv = z.infer<typeof schema>;

export function parseAuthEnv(source: Record<string, string | undefined> = process.env): AuthEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success)
    throw new Error(`Invalid auth configuration: ${z.prettifyError(result.error)}`);
  return result.data;
}

let cached: AuthEnv | undefined;
export function authEnv(): AuthEnv {
  cached ??= parseAuthEnv();
  return cached;
}
