// DnsProvider over Amazon Route 53 with the official SDK (@aws-sdk/client-route-53): record
// sets of one hosted zone. Route 53 has UPSERT natively; we list first anyway so that a repeat
// reports "unchanged" without a change batch, and DELETE (which must name the set exactly as
// it is) sends what the list returned.
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  Route53ServiceException,
  type ResourceRecordSet,
  type RRType,
} from "@aws-sdk/client-route-53";
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

export interface Route53ProviderOptions {
  hostedZoneId: string;
  region?: string;
  /** Static keys; unset: the SDK's default chain (instance role, AWS_* variables). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Default: Route 53's. Tests point it at theirs. */
  endpoint?: string;
  /** The SDK's attempts per call, retries of throttling and 5xx included (default 3). */
  maxAttempts?: number;
}

const ERROR_CODES: Record<string, DnsErrorCode> = {
  NoSuchHostedZone: "not_found",
  InvalidChangeBatch: "conflict",
  InvalidInput: "invalid",
  InvalidArgument: "invalid",
  Throttling: "rate_limited",
  ThrottlingException: "rate_limited",
  PriorRequestNotComplete: "rate_limited",
  AccessDenied: "forbidden",
  AccessDeniedException: "forbidden",
  InvalidClientTokenId: "unauthorized",
  SignatureDoesNotMatch: "unauthorized",
  UnrecognizedClientException: "unauthorized",
  ExpiredToken: "unauthorized",
};

function mapError(error: unknown): never {
  if (error instanceof DnsProviderError) throw error;
  if (error instanceof Route53ServiceException) {
    const status = error.$metadata.httpStatusCode;
    const code =
      ERROR_CODES[error.name] ?? (status !== undefined && status >= 500 ? "unavailable" : "failed");
    throw new DnsProviderError("route53", code, `${error.name}: ${error.message}`, status);
  }
  // Below the API: refused connections, resets, timeouts.
  throw new DnsProviderError(
    "route53",
    "unavailable",
    error instanceof Error ? `cannot reach the API (${error.name})` : "cannot reach the API",
  );
}

/** Route 53 answers `name.` with \NNN octal escapes (`\052` for `*`). */
function fromWireName(name: string): string {
  return name
    .replace(/\.$/, "")
    .replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    .toLowerCase();
}

/** TXT values travel quoted, with `"` and `\` escaped. */
function toWireValue(type: DnsRecordType, content: string): string {
  return type === "TXT" ? `"${content.replace(/[\\"]/g, (c) => `\\${c}`)}"` : content;
}
function fromWireValue(type: DnsRecordType, value: string): string {
  if (type !== "TXT") return value.replace(/\.$/, "");
  // Several quoted strings in one value are one record's chunks.
  const chunks = [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) =>
    (m[1] ?? "").replace(/\\(.)/g, "$1"),
  );
  return chunks.length ? chunks.join("") : value;
}

function isManagedType(type: string | undefined): type is DnsRecordType {
  return type !== undefined && (DNS_RECORD_TYPES as readonly string[]).includes(type);
}

export function createRoute53Provider(options: Route53ProviderOptions): DnsProvider {
  const client = new Route53Client({
    region: options.region ?? "us-east-1",
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  const HostedZoneId = options.hostedZoneId;

  /** The zone's record sets from `start` on (all of them without), following pagination. */
  async function sets(start?: {
    name: string;
    type?: DnsRecordType;
  }): Promise<ResourceRecordSet[]> {
    const found: ResourceRecordSet[] = [];
    let next: { name?: string; type?: RRType; identifier?: string } = start
      ? { name: start.name, ...(start.type ? { type: start.type } : {}) }
      : {};
    for (;;) {
      const page = await client.send(
        new ListResourceRecordSetsCommand({
          HostedZoneId,
          StartRecordName: next.name,
          StartRecordType: next.type,
          StartRecordIdentifier: next.identifier,
          MaxItems: 100,
        }),
      );
      const batch = page.ResourceRecordSets ?? [];
      found.push(...batch);
      // Listing starts at `name` in Route 53's order: past it, the rest is other names.
      const passed = start && batch.some((set) => fromWireName(set.Name ?? "") !== start.name);
      if (!page.IsTruncated || passed) break;
      next = {
        ...(page.NextRecordName ? { name: page.NextRecordName } : {}),
        ...(page.NextRecordType ? { type: page.NextRecordType } : {}),
        ...(page.NextRecordIdentifier ? { identifier: page.NextRecordIdentifier } : {}),
      };
    }
    return found;
  }

  function toRecords(set: ResourceRecordSet): DnsRecord[] {
    if (!isManagedType(set.Type) || set.AliasTarget) return [];
    const type = set.Type;
    const name = fromWireName(set.Name ?? "");
    return (set.ResourceRecords ?? []).map((record) => ({
      id: `${type} ${name}`,
      type,
      name,
      content: fromWireValue(type, record.Value ?? ""),
      ttl: set.TTL ?? 0,
    }));
  }

  async function existing(
    name: string,
    type: DnsRecordType,
  ): Promise<ResourceRecordSet | undefined> {
    const found = await sets({ name, type });
    return found.find((set) => set.Type === type && fromWireName(set.Name ?? "") === name);
  }

  async function change(action: "UPSERT" | "DELETE", set: ResourceRecordSet): Promise<void> {
    await client.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId,
        ChangeBatch: {
          Comment: "plinth",
          Changes: [{ Action: action, ResourceRecordSet: set }],
        },
      }),
    );
  }

  return {
    name: "route53",
    async listRecords(filter = {}) {
      const name = filter.name ? checkRecordName("route53", filter.name) : undefined;
      try {
        const found = await sets(
          name ? { name, ...(filter.type ? { type: filter.type } : {}) } : undefined,
        );
        return found
          .flatMap(toRecords)
          .filter((r) => (!name || r.name === name) && (!filter.type || r.type === filter.type));
      } catch (error) {
        mapError(error);
      }
    },
    async upsertRecord(input) {
      const wanted = checkRecordInput("route53", input);
      try {
        const before = await existing(wanted.name, wanted.type);
        const current = before ? toRecords(before) : [];
        const record: DnsRecord = {
          id: `${wanted.type} ${wanted.name}`,
          type: wanted.type,
          name: wanted.name,
          content: wanted.content,
          ttl: wanted.ttl,
        };
        if (
          current.length === 1 &&
          current[0]?.content === wanted.content &&
          current[0].ttl === wanted.ttl
        ) {
          return { record, outcome: "unchanged" };
        }
        await change("UPSERT", {
          Name: wanted.name,
          Type: wanted.type,
          TTL: wanted.ttl,
          ResourceRecords: [{ Value: toWireValue(wanted.type, wanted.content) }],
        });
        return { record, outcome: before ? "updated" : "created" };
      } catch (error) {
        mapError(error);
      }
    },
    async deleteRecord(ref) {
      const name = checkRecordName("route53", ref.name);
      try {
        const set = await existing(name, ref.type);
        if (!set) return { deleted: 0 };
        await change("DELETE", set);
        return { deleted: set.ResourceRecords?.length ?? 1 };
      } catch (error) {
        mapError(error);
      }
    },
  };
}
