// The provider DNS_PROVIDER names, built from its keys; "none" answers that domain
// automation is not configured (callers show that, nothing is recorded in its place).
import { createCloudflareProvider } from "./cloudflare.ts";
import { dnsEnv, type DnsEnv } from "./env.ts";
import type { DnsProvider } from "./provider.ts";
import { createRoute53Provider } from "./route53.ts";
import { createDomainVerifier, type DomainVerifier } from "./verification.ts";

export type ConfiguredDnsProvider =
  { configured: true; provider: DnsProvider } | { configured: false; reason: string };

export function dnsProviderFromEnv(env: DnsEnv = dnsEnv()): ConfiguredDnsProvider {
  switch (env.DNS_PROVIDER) {
    case "none":
      return { configured: false, reason: "DNS automation is not configured (DNS_PROVIDER=none)" };
    case "cloudflare":
      // parseDnsEnv guarantees both keys for this provider.
      return {
        configured: true,
        provider: createCloudflareProvider({
          apiToken: env.CLOUDFLARE_API_TOKEN ?? "",
          zoneId: env.CLOUDFLARE_ZONE_ID ?? "",
          ...(env.CLOUDFLARE_API_URL ? { baseURL: env.CLOUDFLARE_API_URL } : {}),
        }),
      };
    case "route53":
      return {
        configured: true,
        provider: createRoute53Provider({
          hostedZoneId: env.ROUTE53_HOSTED_ZONE_ID ?? "",
          region: env.ROUTE53_REGION,
          ...(env.ROUTE53_ACCESS_KEY_ID && env.ROUTE53_SECRET_ACCESS_KEY
            ? {
                credentials: {
                  accessKeyId: env.ROUTE53_ACCESS_KEY_ID,
                  secretAccessKey: env.ROUTE53_SECRET_ACCESS_KEY,
                },
              }
            : {}),
          ...(env.ROUTE53_ENDPOINT ? { endpoint: env.ROUTE53_ENDPOINT } : {}),
        }),
      };
  }
}

export function domainVerifierFromEnv(env: DnsEnv = dnsEnv()): DomainVerifier {
  return createDomainVerifier({ servers: env.DNS_RESOLVERS, timeoutMs: env.DNS_LOOKUP_TIMEOUT_MS });
}
