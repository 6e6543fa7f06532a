// A local server shaped like Amazon Route 53's REST/XML API, for the real
// @aws-sdk/client-route-53 (endpoint → this server): ChangeResourceRecordSets (POST
// /2013-04-01/hostedzone/:id/rrset, CREATE/UPSERT/DELETE applied as one atomic batch with
// Route 53's InvalidChangeBatch rules) and ListResourceRecordSets (GET …/rrset with name,
// type, maxitems; Route 53's order and NextRecordName/NextRecordType pagination), errors as
// <ErrorResponse>. Requests must carry a SigV4 Authorization header for the test key.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { XMLParser } from "fast-xml-parser";

const NS = "https://route53.amazonaws.com/doc/2013-04-01/";

export interface Route53Set {
  name: string;
  type: string;
  ttl: number;
  values: string[];
}

export interface Route53Request {
  method: string;
  path: string;
  query: Record<string, string>;
  /** ChangeResourceRecordSets: the actions of the batch. */
  actions: string[];
}

export interface Route53TestServer {
  endpoint: string;
  hostedZoneId: string;
  zoneName: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Record sets by `name type` (names with the trailing dot, as Route 53 keeps them). */
  sets: Map<string, Route53Set>;
  requests: Route53Request[];
  maxItems: number;
  failNext(status: number, code: string, message: string, times?: number): void;
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Route 53's form of a name: lower case, trailing dot, `*` as \052. */
function wireName(name: string): string {
  const lower = name.toLowerCase().replace(/\*/g, "\\052");
  return lower.endsWith(".") ? lower : `${lower}.`;
}

/** Route 53 lists in DNS order: labels compared from the right. */
function orderKey(name: string, type: string): string {
  return `${name.replace(/\.$/, "").split(".").reverse().join("\u0000")}\u0001${type}`;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

interface ParsedSet {
  Name?: string;
  Type?: string;
  TTL?: number | string;
  ResourceRecords?: {
    ResourceRecord?: { Value?: string | number } | { Value?: string | number }[];
  };
}
interface ParsedRequest {
  ChangeResourceRecordSetsRequest?: {
    ChangeBatch?: {
      Changes?: {
        Change?:
          | { Action?: string; ResourceRecordSet?: ParsedSet }
          | { Action?: string; ResourceRecordSet?: ParsedSet }[];
      };
    };
  };
}

export async function startRoute53Server(
  options: { zoneName?: string } = {},
): Promise<Route53TestServer> {
  const zoneName = wireName(options.zoneName ?? "plinth-hosted.test");
  const hostedZoneId = `Z${randomBytes(8).toString("hex").toUpperCase()}`;
  const credentials = {
    accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
    secretAccessKey: randomBytes(20).toString("base64"),
  };
  const sets = new Map<string, Route53Set>();
  const requests: Route53Request[] = [];
  const failures: { status: number; code: string; message: string }[] = [];
  const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true });

  function change(body: string): string[] {
    const parsed = parser.parse(body) as ParsedRequest;
    const changes = asArray(parsed.ChangeResourceRecordSetsRequest?.ChangeBatch?.Changes?.Change);
    if (changes.length === 0) throw new ApiError(400, "InvalidInput", "ChangeBatch has no changes");
    const next = new Map(sets);
    const errors: string[] = [];
    for (const { Action, ResourceRecordSet: set } of changes) {
      const name = wireName(String(set?.Name ?? ""));
      const type = String(set?.Type ?? "");
      const ttl = Number(set?.TTL);
      const values = asArray(set?.ResourceRecords?.ResourceRecord).map((r) =>
        String(r.Value ?? ""),
      );
      const key = `${name} ${type}`;
      const label = `[name='${name}', type='${type}']`;
      if (!Number.isInteger(ttl) || values.length === 0) {
        throw new ApiError(
          400,
          "InvalidInput",
          "Invalid request: TTL and ResourceRecords are required",
        );
      }
      if (name !== zoneName && !name.endsWith(`.${zoneName}`)) {
        errors.push(`RRSet with DNS name ${name} is not permitted in zone ${zoneName}`);
        continue;
      }
      if (type === "TXT" && values.some((value) => !/^".*"$/s.test(value))) {
        errors.push(
          "Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with ''",
        );
        continue;
      }
      const current = next.get(key);
      if (Action === "DELETE") {
        if (!current)
          errors.push(`Tried to delete resource record set ${label} but it was not found`);
        else if (current.ttl !== ttl || current.values.join("\n") !== values.join("\n")) {
          errors.push(
            `Tried to delete resource record set ${label} but the values provided do not match the current values`,
          );
        } else next.delete(key);
        continue;
      }
      if (Action === "CREATE" && current) {
        errors.push(`Tried to create resource record set ${label} but it already exists`);
        continue;
      }
      if (Action !== "CREATE" && Action !== "UPSERT") {
        throw new ApiError(400, "InvalidInput", `Invalid action ${String(Action)}`);
      }
      const clash = [...next.values()].some(
        (other) =>
          other.name === name &&
          other.type !== type &&
          (type === "CNAME" || other.type === "CNAME"),
      );
      if (clash) {
        errors.push(
          `RRSet of type ${type} with DNS name ${name} is not permitted as it conflicts with other records with the same DNS name in zone ${zoneName}`,
        );
        continue;
      }
      next.set(key, { name, type, ttl, values });
    }
    if (errors.length) throw new ApiError(400, "InvalidChangeBatch", `[${errors.join(", ")}]`);
    sets.clear();
    for (const [key, value] of next) sets.set(key, value);
    return changes.map((c) => String(c.Action));
  }

  function list(query: URLSearchParams): string {
    const max = Math.min(Number(query.get("maxitems") ?? 300), server.maxItems);
    const startName = query.get("name");
    const startType = query.get("type") ?? "";
    if (startType && !startName) {
      throw new ApiError(400, "InvalidInput", "The input is not valid: type requires name");
    }
    const sorted = [...sets.values()].sort((a, b) =>
      orderKey(a.name, a.type) < orderKey(b.name, b.type) ? -1 : 1,
    );
    const from = startName ? orderKey(wireName(startName), startType) : "";
    const rest = sorted.filter((set) => orderKey(set.name, set.type) >= from);
    const page = rest.slice(0, max);
    const after = rest[max];
    const xmlSets = page
      .map(
        (set) =>
          `<ResourceRecordSet><Name>${escapeXml(set.name)}</Name><Type>${set.type}</Type><TTL>${set.ttl}</TTL><ResourceRecords>${set.values
            .map((value) => `<ResourceRecord><Value>${escapeXml(value)}</Value></ResourceRecord>`)
            .join("")}</ResourceRecords></ResourceRecordSet>`,
      )
      .join("");
    return `<?xml version="1.0" encoding="UTF-8"?>\n<ListResourceRecordSetsResponse xmlns="${NS}"><ResourceRecordSets>${xmlSets}</ResourceRecordSets><IsTruncated>${after ? "true" : "false"}</IsTruncated>${
      after
        ? `<NextRecordName>${escapeXml(after.name)}</NextRecordName><NextRecordType>${after.type}</NextRecordType>`
        : ""
    }<MaxItems>${max}</MaxItems></ListResourceRecordSetsResponse>`;
  }

  const http = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://localhost");
      const method = request.method ?? "GET";
      const entry: Route53Request = {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        actions: [],
      };
      requests.push(entry);
      const reply = (status: number, xml: string) => {
        response.writeHead(status, {
          "content-type": "text/xml",
          "x-amzn-requestid": randomBytes(8).toString("hex"),
        });
        response.end(xml);
      };
      try {
        const auth = request.headers.authorization ?? "";
        if (!auth.startsWith(`AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/`)) {
          throw new ApiError(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
          );
        }
        const failure = failures.shift();
        if (failure) throw new ApiError(failure.status, failure.code, failure.message);
        const match = /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/.exec(url.pathname);
        if (!match) throw new ApiError(404, "UnknownOperationException", "Unknown operation");
        if (match[1] !== hostedZoneId) {
          throw new ApiError(404, "NoSuchHostedZone", `No hosted zone found with ID: ${match[1]}`);
        }
        if (method === "GET") return reply(200, list(url.searchParams));
        if (method === "POST") {
          entry.actions = change(body);
          return reply(
            200,
            `<?xml version="1.0" encoding="UTF-8"?>\n<ChangeResourceRecordSetsResponse xmlns="${NS}"><ChangeInfo><Id>/change/C${randomBytes(6).toString("hex").toUpperCase()}</Id><Status>PENDING</Status><SubmittedAt>${new Date().toISOString()}</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>`,
          );
        }
        throw new ApiError(405, "MethodNotAllowed", "Method not allowed");
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        reply(
          error.status,
          `<?xml version="1.0"?>\n<ErrorResponse xmlns="${NS}"><Error><Type>${error.status >= 500 ? "Receiver" : "Sender"}</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${randomBytes(8).toString("hex")}</RequestId></ErrorResponse>`,
        );
      }
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  const server: Route53TestServer = {
    endpoint: `http://127.0.0.1:${port}`,
    hostedZoneId,
    zoneName,
    credentials,
    sets,
    requests,
    maxItems: 300,
    failNext: (status, code, message, times = 1) => {
      for (let i = 0; i < times; i++) failures.push({ status, code, message });
    },
    close: () =>
      new Promise<void>((resolve, reject) =>
        http.close((error) => (error ? reject(error) : resolve())),
      ),
  };
  return server;
}
