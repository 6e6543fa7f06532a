// The hosting module's configuration (@t3-oss/env-core): the PostgreSQL server the local
// provider creates workspaces' databases and roles on (a role allowed to CREATE DATABASE and
// CREATE ROLE). Unset: the server of DATABASE_URL (the tenant database's own server).
// HOSTING_PROVIDER picks the adapter of new workspaces (terraform: packages/terraform's
// TERRAFORM_* settings, state in the same server's pg backend). HOSTING_DOMAIN_ZONE is the zone
// custom domains point at (./domains.ts).
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";
import { domainNameSchema } from "@plinth/dns";

export function parseHostingEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      HOSTING_LOCAL_DATABASE_URL: z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string")
        .optional(),
      /** The provider new workspaces are provisioned with: local (default) or terraform. */
      HOSTING_PROVIDER: z.enum(["local", "terraform"]).default("local"),
      /**
       * Plinth's zone (the one DNS_PROVIDER manages): a verified custom domain gets the record
       * `d-<domain id>.<zone>` there, which the tenant's domain points at (CNAME).
       */
      HOSTING_DOMAIN_ZONE: domainNameSchema.default("plinth-hosted.localhost"),
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
