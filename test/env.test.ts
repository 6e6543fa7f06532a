// Configuration: each app composes the env.ts of every package it runs; a bad value is refused
// with a message naming the package and the key; .env.example lists every key exactly once and
// its values are the defaults.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseWebEnv } from "../apps/web/src/env.ts";
import { parseWorkerEnv } from "../apps/worker/src/env.ts";
import { REPO_ROOT } from "@plinth/db/local-database";

const DATABASE_URL = "postgresql://plinth:plinth@127.0.0.1:5432/plinth";

/** .env.example as KEY → value (quotes removed), failing on a key listed twice. */
function readEnvExample(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of readFileSync(path.join(REPO_ROOT, ".env.example"), "utf8").split("\n")) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const [, key = "", raw = ""] = match;
    if (key in entries) throw new Error(`.env.example lists ${key} twice`);
    entries[key] = raw.replace(/^"(.*)"$/, "$1");
  }
  return entries;
}

/** The src/env.ts files of every app, package and module. */
function envFiles(): string[] {
  return ["apps", "packages", "modules"].flatMap((root) =>
    readdirSync(path.join(REPO_ROOT, root), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(REPO_ROOT, root, entry.name, "src", "env.ts"))
      .filter((file) => existsSync(file)),
  );
}

/** Every key declared by an env.ts (`KEY: z…` in its schema). */
function declaredKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of envFiles()) {
    const source = readFileSync(file, "utf8");
    const declarations = source.matchAll(
      /^\s+([A-Z][A-Z0-9_]+): (?:z\b|[a-z]\w*Schema\b|optionalString\b)/gm,
    );
    for (const [, key] of declarations) if (key) keys.add(key);
  }
  return keys;
}

describe("environment", () => {
  it(".env.example lists every key an env.ts declares, once, and no other", () => {
    const documented = Object.keys(readEnvExample()).sort();
    const declared = [...declaredKeys()].sort();
    expect(envFiles().map((file) => path.relative(REPO_ROOT, file))).toEqual(
      expect.arrayContaining([
        "apps/web/src/env.ts",
        "apps/worker/src/env.ts",
        "packages/auth/src/env.ts",
        "packages/billing/src/env.ts",
        "packages/core/src/env.ts",
        "packages/db/src/env.ts",
        "packages/email/src/env.ts",
      ]),
    );
    expect(documented).toEqual(declared);
  });

  it("the values in .env.example are the defaults of both apps", () => {
    const example = { ...readEnvExample(), DATABASE_URL };
    expect({ ...parseWebEnv(example) }).toEqual({ ...parseWebEnv({ DATABASE_URL }) });
    expect({ ...parseWorkerEnv(example) }).toEqual({ ...parseWorkerEnv({ DATABASE_URL }) });
    expect(parseWebEnv(example)).toMatchObject({
      NODE_ENV: "development",
      APP_URL: "http://localhost:3000",
      LOG_LEVEL: "info",
      AUTH_TRUST_HOST: false,
      AUTH_SESSION_MAX_AGE_DAYS: 30,
      EMAIL_FROM: "Plinth <no-reply@plinth.local>",
      BILLING_PAST_DUE_GRACE_DAYS: 7,
      DEV_MAILBOX: false,
    });
    expect(parseWorkerEnv(example)).toMatchObject({
      APP_URL: "http://localhost:3000",
      WORKER_CONCURRENCY: 5,
      WORKER_POLL_INTERVAL_MS: 2_000,
    });
  });

  it("a composed app env carries every package's keys, typed, and APP_URL without its slash", () => {
    const env = parseWebEnv({
      DATABASE_URL,
      APP_URL: "https://app.example.com/",
      AUTH_SESSION_MAX_AGE_DAYS: "7",
      STRIPE_API_PORT: "12111",
      SMTP_URL: "",
    });
    expect(env).toMatchObject({
      APP_URL: "https://app.example.com",
      DATABASE_URL,
      AUTH_SESSION_MAX_AGE_DAYS: 7,
      STRIPE_API_PORT: 12111,
    });
    // An empty value is unset, never the string "" or "undefined".
    expect(env.SMTP_URL).toBeUndefined();
  });

  it("refuses a bad value with a message naming the package and the key", () => {
    expect(() => parseWebEnv({ DATABASE_URL, APP_URL: "localhost:3000" })).toThrow(
      "Invalid core configuration:\n  ✖ APP_URL: Invalid URL",
    );
    expect(() => parseWebEnv({ DATABASE_URL, AUTH_GITHUB_ID: "only-the-id" })).toThrow(
      /Invalid auth configuration:\n {2}✖ AUTH_GITHUB_SECRET: GitHub sign-in needs AUTH_GITHUB_ID, AUTH_GITHUB_SECRET/,
    );
    expect(() =>
      parseWorkerEnv({ DATABASE_URL, RESEND_API_KEY: "re_x", SMTP_URL: "smtp://localhost:25" }),
    ).toThrow(
      /Invalid email configuration:\n {2}✖ SMTP_URL: set either RESEND_API_KEY or SMTP_URL, not both/,
    );
    expect(() => parseWorkerEnv({ DATABASE_URL, WORKER_CONCURRENCY: "0" })).toThrow(
      /Invalid worker configuration:\n {2}✖ WORKER_CONCURRENCY: Too small/,
    );
    expect(() => parseWorkerEnv({ DATABASE_URL: "mysql://x" })).toThrow(
      "Invalid database configuration:\n  ✖ DATABASE_URL: must be a postgres:// connection string",
    );
    expect(() => parseWebEnv({})).toThrow(
      "✖ DATABASE_URL: is not set (npm run dev starts a local database and sets it)",
    );
    expect(() => parseWebEnv({ DATABASE_URL, NODE_ENV: "production" })).toThrow(
      "✖ AUTH_SECRET: AUTH_SECRET is required in production",
    );
    expect(() =>
      parseWorkerEnv({ DATABASE_URL, NODE_ENV: "production", DATA_EXPORT_LINK_SECRET: "short" }),
    ).toThrow(/Invalid platform configuration:\n {2}✖ DATA_EXPORT_LINK_SECRET: Too small/);
    expect(() => parseWorkerEnv({ DATABASE_URL, NODE_ENV: "production" })).toThrow(
      "✖ DATA_EXPORT_LINK_SECRET: required in production (signs data export download links)",
    );
  });
});
