// One interface over the DNS APIs that manage Plinth's own zone (the hostnames workspaces and
// custom domains point at). A record set is (type, name) with one value: upsert makes it
// exactly that (creating, replacing or leaving it), delete removes it.
import { z } from "zod";
import { recordNameSchema } from "./names.ts";

export const DNS_RECORD_TYPES = ["A", "CNAME", "TXT"] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

export const dnsRecordInputSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("A"), name: recordNameSchema, content: z.ipv4() }),
  z.object({
    type: z.literal("CNAME"),
    name: recordNameSchema,
    content: recordNameSchema,
  }),
  // One character-string: what both APIs take without splitting.
  z.object({ type: z.literal("TXT"), name: recordNameSchema, content: z.string().min(1).max(255) }),
]);
export const ttlSchema = z.number().int().min(60).max(86_400).default(300);

export type DnsRecordInput = z.input<typeof dnsRecordInputSchema> & { ttl?: number };

export interface DnsRecord {
  /** The provider's id (Cloudflare's record id; Route 53 has none: `type name`). */
  id: string;
  type: DnsRecordType;
  name: string;
  content: string;
  ttl: number;
}

export type UpsertOutcome = "created" | "updated" | "unchanged";

export interface DnsRecordFilter {
  name?: string;
  type?: DnsRecordType;
}

export interface DnsProvider {
  readonly name: "cloudflare" | "route53";
  /** Idempotent: the same input twice gives "unchanged" the second time. */
  upsertRecord(input: DnsRecordInput): Promise<{ record: DnsRecord; outcome: UpsertOutcome }>;
  /** Deletes the (type, name) record set; `deleted` 0 when there was none. */
  deleteRecord(ref: { type: DnsRecordType; name: string }): Promise<{ deleted: number }>;
  listRecords(filter?: DnsRecordFilter): Promise<DnsRecord[]>;
}

export type DnsErrorCode =
  | "invalid"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "unavailable"
  | "failed";

const TRANSIENT: ReadonlySet<DnsErrorCode> = new Set(["rate_limited", "unavailable"]);

/** A provider's refusal or failure, with a code callers can branch on and retry by. */
export class DnsProviderError extends Error {
  override name = "DnsProviderError";
  readonly transient: boolean;
  constructor(
    readonly provider: DnsProvider["name"],
    readonly code: DnsErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(`${provider}: ${message}`);
    this.transient = TRANSIENT.has(code);
  }
}

/** Validated input with its TTL, or a DnsProviderError("invalid"). */
export function checkRecordInput(
  provider: DnsProvider["name"],
  input: DnsRecordInput,
): z.output<typeof dnsRecordInputSchema> & { ttl: number } {
  const record = dnsRecordInputSchema.safeParse(input);
  const ttl = ttlSchema.safeParse(input.ttl);
  if (!record.success || !ttl.success) {
    const issue = (record.error ?? ttl.error)?.issues[0];
    throw new DnsProviderError(
      provider,
      "invalid",
      `record ${issue?.path.join(".") || "input"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return { ...record.data, ttl: ttl.data };
}

export function checkRecordName(provider: DnsProvider["name"], name: string): string {
  const parsed = recordNameSchema.safeParse(name);
  if (!parsed.success) throw new DnsProviderError(provider, "invalid", `record name ${name}`);
  return parsed.data;
}
