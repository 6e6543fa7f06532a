// @plinth/dns: custom domains (docs/hosting-infra.md). Ownership verified by a TXT record
// looked up through node:dns; records of Plinth's own zone managed through one DnsProvider
// interface with Cloudflare and Route 53 adapters (official SDKs).
export { createCloudflareProvider, type CloudflareProviderOptions } from "./cloudflare.ts";
export { dnsEnv, parseDnsEnv, type DnsEnv } from "./env.ts";
export { domainNameSchema, recordNameSchema } from "./names.ts";
export {
  DNS_RECORD_TYPES,
  DnsProviderError,
  dnsRecordInputSchema,
  type DnsErrorCode,
  type DnsProvider,
  type DnsRecord,
  type DnsRecordFilter,
  type DnsRecordInput,
  type DnsRecordType,
  type UpsertOutcome,
} from "./provider.ts";
export { createRoute53Provider, type Route53ProviderOptions } from "./route53.ts";
export { dnsProviderFromEnv, domainVerifierFromEnv, type ConfiguredDnsProvider } from "./select.ts";
export {
  CHALLENGE_LABEL,
  TOKEN_PREFIX,
  createDomainVerifier,
  createVerificationToken,
  verificationRecord,
  type DomainVerifier,
  type VerificationRecord,
  type VerificationResult,
  type VerifierOptions,
} from "./verification.ts";
