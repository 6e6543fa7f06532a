// @plinth/dns's configuration (@t3-oss/env-core). DNS_RESOLVERS points domain verification at
// chosen nameservers (unset: the system's). DNS_PROVIDER picks who manages Plinth's own zone:
// none (domain automation not configured), cloudflare or route53, each with its keys.
import { isIP } from "node:net";
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

/** `1.1.1.1`, `1.1.1.1:53`, `::1`, `[::1]:5353`: what Resolver#setServers accepts. */
function isServerAddress(server: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(server);
  if (bracketed) return isIP(bracketed[1] ?? "") === 6 && Number(bracketed[2] ?? 53) <= 65535;
  if (isIP(server) !== 0) return true;
  const [host = "", port = "", ...rest] = server.split(":");
  return rest.length === 0 && isIP(host) === 4 && /^\d{1,5}$/.test(port) && Number(port) <= 65535;
}

const serverListSchema = z
  .string()
  .optional()
  .transform((list) =>
    (list ?? "")
      .split(",")
      .map((server) => server.trim())
      .filter(Boolean),
  )
  .refine((servers) => servers.every(isServerAddress), "IP addresses, optionally with :port");

export function parseDnsEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      DNS_RESOLVERS: serverListSchema,
      DNS_LOOKUP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
      DNS_PROVIDER: z.enum(["none", "cloudflare", "route53"]).default("none"),
      CLOUDFLARE_API_TOKEN: z.string().min(1).optional(),
      CLOUDFLARE_ZONE_ID: z.string().min(1).optional(),
      CLOUDFLARE_API_URL: z.url().optional(),
      ROUTE53_HOSTED_ZONE_ID: z.string().min(1).optional(),
      ROUTE53_REGION: z.string().min(1).default("us-east-1"),
      ROUTE53_ACCESS_KEY_ID: z.string().min(1).optional(),
      ROUTE53_SECRET_ACCESS_KEY: z.string().min(1).optional(),
      ROUTE53_ENDPOINT: z.url().optional(),
    },
    createFinalSchema: (shape) =>
      z.object(shape).superRefine((env, ctx) => {
        const required: Record<typeof env.DNS_PROVIDER, (keyof typeof env)[]> = {
          none: [],
          cloudflare: ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ZONE_ID"],
          route53: ["ROUTE53_HOSTED_ZONE_ID"],
        };
        for (const key of required[env.DNS_PROVIDER]) {
          if (env[key] === undefined) {
            ctx.addIssue({
              code: "custom",
              path: [key],
              message: `DNS_PROVIDER=${env.DNS_PROVIDER} needs ${key}`,
            });
          }
        }
        // Static keys come in pairs; neither set means the SDK's default credential chain.
        if (
          (env.ROUTE53_ACCESS_KEY_ID === undefined) !==
          (env.ROUTE53_SECRET_ACCESS_KEY === undefined)
        ) {
          ctx.addIssue({
            code: "custom",
            path: ["ROUTE53_SECRET_ACCESS_KEY"],
            message: "ROUTE53_ACCESS_KEY_ID and ROUTE53_SECRET_ACCESS_KEY go together",
          });
        }
      }),
    ...envOptions("dns", source),
  });
}

export type DnsEnv = ReturnType<typeof parseDnsEnv>;

export const dnsEnv = once(() => parseDnsEnv());
