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
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "AUTH_SECRET is required in production" });
    }
  });

export type AuthEnv = z.infer<typeof schema>;

export function parseAuthEnv(source: Record<string, string | undefined> = process.env): AuthEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) throw new Error(`Invalid auth configuration: ${z.prettifyError(result.error)}`);
  return result.data;
}

let cached: AuthEnv | undefined;
export function authEnv(): AuthEnv {
  cached ??= parseAuthEnv();
  return cached;
}
