// Configuration, the create-t3-turbo way: every package that reads the environment has an
// env.ts built with @t3-oss/env-core's createEnv (zod schemas), and each app's env.ts composes
// them with `extends`. This file holds what they share: the options every env.ts passes to
// createEnv, `once` (parse on first use, never at import, so `next build` needs no database or
// secrets), and the keys every process reads: NODE_ENV, APP_URL and LOG_LEVEL.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

/** What an env.ts parses: `process.env`, or the object a test passes. */
export type RuntimeEnv = Record<string, string | undefined>;

interface EnvIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** A configuration that does not validate: names the package, each key and what is wrong. */
export class InvalidEnvError extends Error {
  override name = "InvalidEnvError";
  constructor(
    readonly scope: string,
    readonly issues: readonly EnvIssue[],
  ) {
    super(
      `Invalid ${scope} configuration:\n${issues
        .map((issue) => {
          const path = (issue.path ?? [])
            .map((segment) => String(typeof segment === "object" ? segment.key : segment))
            .join(".");
          return `  ✖ ${path || "(environment)"}: ${issue.message}`;
        })
        .join("\n")}`,
    );
  }
}

/**
 * The createEnv options of every Plinth env.ts: `source` copied (createEnv deletes empty
 * strings from the object it is given: `KEY=` in a .env file means unset), empty strings as
 * undefined, and a thrown InvalidEnvError instead of t3's console output.
 */
export function envOptions(scope: string, source: RuntimeEnv = process.env) {
  return {
    runtimeEnv: { ...source },
    emptyStringAsUndefined: true,
    onValidationError: (issues: readonly EnvIssue[]): never => {
      throw new InvalidEnvError(scope, issues);
    },
  };
}

/** `parse` runs on the first call; later calls return the same object. */
export function once<T>(parse: () => T): () => T {
  let cached: { value: T } | undefined;
  return () => (cached ??= { value: parse() }).value;
}

export const nodeEnvSchema = z.enum(["development", "test", "production"]).default("development");

export function parseCoreEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    shared: {
      NODE_ENV: nodeEnvSchema,
    },
    server: {
      /** Public base URL of the web app: links in emails, Stripe return URLs, the origin check. */
      APP_URL: z
        .url({ protocol: /^https?$/ })
        .default("http://localhost:3000")
        .transform((url) => url.replace(/\/+$/, "")),
      /** Lines below this level are not written (web and worker). */
      LOG_LEVEL: z
        .enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"])
        .default("info"),
    },
    ...envOptions("core", source),
  });
}

export type CoreEnv = ReturnType<typeof parseCoreEnv>;

/** The process environment's shared keys, parsed once. */
export const coreEnv = once(() => parseCoreEnv());
