// DnsProvider over Cloudflare's API v4 with the official SDK (`cloudflare`): records of one
// zone (/zones/:zone_id/dns_records). Upsert lists the (type, name) set first, so a repeat is
// "unchanged" and duplicates left by an earlier crash are removed.
import Cloudflare from "cloudflare";
import {
  DNS_RECORD_TYPES,
  DnsProviderError,
  checkRecordInput,
  checkRecordName,
  type DnsErrorCode,
  type DnsProvider,
  type DnsRecord,
  type DnsRecordType,
} from "./provider.ts";

export interface CloudflareProviderOptions {
  apiToken: string;
  zoneId: string;
  /** Default: Cloudflare's (https://api.cloudflare.com/client/v4). Tests point it at theirs. */
  baseURL?: string;
  /** The SDK's retries of 429/5xx/connection errors (default 2). */
  maxRetries?: number;
  timeoutMs?: number;
}

/** Cloudflare's error codes that mean "the record set is not in a state for this". */
const CONFLICT_CODES = new Set([81053, 81054, 81057, 81058]);

function mapError(error: unknown): never {
  if (error instanceof DnsProviderError) throw error;
  if (error instanceof Cloudflare.APIConnectionError) {
    throw new DnsProviderError("cloudflare", "unavailable", "cannot reach the API");
  }
  if (error instanceof Cloudflare.APIError) {
    const first = error.errors[0];
    const status = typeof error.status === "number" ? error.status : undefined;
    const code: DnsErrorCode =
      first?.code !== undefined && CONFLICT_CODES.has(first.code)
        ? "conflict"
        : status === 401
          ? "unauthorized"
          : status === 403
            ? "forbidden"
            : status === 404
              ? "not_found"
              : status === 409
                ? "conflict"
                : status === 429
                  ? "rate_limited"
                  : status !== undefined && status >= 500
                    ? "unavailable"
                    : status === 400 || status === 422
                      ? "invalid"
                      : "failed";
    const message = first ? `${first.message} (code ${first.code})` : `HTTP ${status ?? "?"}`;
    throw new DnsProviderError("cloudflare", code, message, status);
  }
  throw new DnsProviderError(
    "cloudflare",
    "failed",
    error instanceof Error ? error.message : "unknown",
  );
}

/** Cloudflare may store TXT content quoted; compare and return it bare. */
function bare(type: DnsRecordType, content: string): string {
  return type === "TXT" && /^".*"$/s.test(content) ? content.slice(1, -1) : content;
}

function isManagedType(type: string): type is DnsRecordType {
  return (DNS_RECORD_TYPES as readonly string[]).includes(type);
}

export function createCloudflareProvider(options: CloudflareProviderOptions): DnsProvider {
  const client = new Cloudflare({
    apiToken: options.apiToken,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
  });
  const zone_id = options.zoneId;

  async function list(filter: { name?: string; type?: DnsRecordType }): Promise<DnsRecord[]> {
    const records: DnsRecord[] = [];
    const pages = client.dns.records.list({
      zone_id,
      per_page: 100,
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.name ? { name: { exact: filter.name } } : {}),
    });
    for await (const record of pages) {
      if (!isManagedType(record.type)) continue;
      records.push({
        id: record.id,
        type: record.type,
        name: record.name,
        content: bare(record.type, record.content ?? ""),
        ttl: record.ttl,
      });
    }
    return records;
  }

  return {
    name: "cloudflare",
    async listRecords(filter = {}) {
      const name = filter.name ? checkRecordName("cloudflare", filter.name) : undefined;
      try {
        return await list({ ...filter, ...(name ? { name } : {}) });
      } catch (error) {
        mapError(error);
      }
    },
    async upsertRecord(input) {
      const wanted = checkRecordInput("cloudflare", input);
      const body = { zone_id, name: wanted.name, content: wanted.content, ttl: wanted.ttl };
      try {
        const [first, ...duplicates] = await list({ name: wanted.name, type: wanted.type });
        for (const duplicate of duplicates) {
          await client.dns.records.delete(duplicate.id, { zone_id });
        }
        if (first && first.content === wanted.content && first.ttl === wanted.ttl) {
          return { record: first, outcome: "unchanged" };
        }
        const saved = first
          ? await client.dns.records.update(first.id, { ...body, type: wanted.type })
          : await client.dns.records.create({ ...body, type: wanted.type });
        return {
          record: {
            id: saved.id,
            type: wanted.type,
            name: saved.name,
            content: bare(wanted.type, saved.content ?? ""),
            ttl: saved.ttl,
          },
          outcome: first ? "updated" : "created",
        };
      } catch (error) {
        mapError(error);
      }
    },
    async deleteRecord(ref) {
      const name = checkRecordName("cloudflare", ref.name);
      try {
        const existing = await list({ name, type: ref.type });
        for (const record of existing) await client.dns.records.delete(record.id, { zone_id });
        return { deleted: existing.length };
      } catch (error) {
        mapError(error);
      }
    },
  };
}
