// The hosting module's configuration (@t3-oss/env-core): the PostgreSQL server the local
// provider creates workspaces' databases and roles on (a role allowed to CREATE DATABASE and
// CREATE ROLE). Unset: the server of DATABASE_URL (the tenant database's own server).
// HOSTING_PROVIDER picks the adapter of new workspaces (terraform: packages/terraform's
// TERRAFORM_* settings, state in the same server's pg backend).
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

export function parseHostingEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      HOSTING_LOCAL_DATABASE_URL: z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string")
        .optional(),
      /** The provider new workspaces are provisioned with: local (default) or terraform. */
      HOSTING_PROVIDER: z.enum(["local", "terraform"]).default("local"),
      DATABASE_URL: z.string().optional(),
    },
    ...envOptions("hosting", source),
  });
}

export const hostingEnv = once(() => parseHostingEnv());

/** The local provider's server: HOSTING_LOCAL_DATABASE_URL, else DATABASE_URL's server. */
export function localServerUrl(env = hostingEnv()): string {
  const url = env.HOSTING_LOCAL_DATABASE_URL ?? env.DATABASE_URL;
  if (!url)
    throw new Error("The local hosting provider needs HOSTING_LOCAL_DATABASE_URL or DATABASE_URL");
  return url;
}
