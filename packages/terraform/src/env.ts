// @plinth/terraform's configuration (@t3-oss/env-core). TERRAFORM_BIN names the CLI (`terraform`
// or `tofu`, or a path); TERRAFORM_WORK_DIR holds the rendered working directories (unset: the
// system's temporary folder); TERRAFORM_TIMEOUT_SECONDS bounds one command.
import os from "node:os";
import path from "node:path";
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

export function parseTerraformEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      TERRAFORM_BIN: z.string().min(1).default("terraform"),
      TERRAFORM_WORK_DIR: z
        .string()
        .optional()
        .transform((dir) => dir ?? path.join(os.tmpdir(), "plinth-terraform")),
      TERRAFORM_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(1800),
    },
    ...envOptions("terraform", source),
  });
}

export type TerraformEnv = ReturnType<typeof parseTerraformEnv>;

export const terraformEnv = once(() => parseTerraformEnv());

/**
 * What the CLI inherits from this process: only what it needs to run (PATH, HOME, its own CLI
 * configuration, proxies). Never the server's secrets (DATABASE_URL, ENCRYPTION_KEYS, …): a
 * template's provider or local-exec could read them.
 */
const INHERITED = [
  "PATH",
  "HOME",
  "TMPDIR",
  "TF_CLI_CONFIG_FILE",
  "TF_PLUGIN_CACHE_DIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "SSL_CERT_FILE",
] as const;

export function inheritedEnvironment(source: RuntimeEnv = process.env): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of INHERITED) {
    const value = source[key];
    if (value) picked[key] = value;
  }
  return picked;
}
