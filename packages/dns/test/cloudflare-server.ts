// A local server shaped like Cloudflare's API v4 DNS records endpoints, for the real
// `cloudflare` SDK (baseURL → this server): /client/v4/zones/:zone/dns_records with list
// (type, name.exact, page, per_page), create (POST), update (PUT), edit (PATCH) and delete,
// Cloudflare's JSON envelope ({ success, errors, messages, result, result_info }), its
// bearer-token check and its error codes (81053 CNAME conflict, 81058 identical record,
// 81044 record not found, 7003 unknown zone). `failNext` scripts 429/5xx answers.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface CloudflareRecord {
  id: string;
  zone_id: string;
  zone_name: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  proxied: boolean;
  proxiable: boolean;
  comment: string | null;
  tags: string[];
  settings: Record<string, never>;
  meta: Record<string, never>;
  created_on: string;
  modified_on: string;
}

export interface CloudflareRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface CloudflareTestServer {
  baseURL: string;
  token: string;
  zoneId: string;
  records: Map<string, CloudflareRecord>;
  requests: CloudflareRequest[];
  /** The next request(s) answer with this status and Cloudflare error instead. */
  failNext(status: number, code: number, message: string, times?: number): void;
  /** Largest page the list endpoint returns (pagination in tests). */
  maxPerPage: number;
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function envelope(result: unknown, extra: Record<string, unknown> = {}) {
  return { success: true, errors: [], messages: [], result, ...extra };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export async function startCloudflareServer(
  options: { zoneName?: string } = {},
): Promise<CloudflareTestServer> {
  const zoneName = options.zoneName ?? "plinth-hosted.test";
  const zoneId = randomBytes(16).toString("hex");
  const token = `cf-token-${randomBytes(8).toString("hex")}`;
  const records = new Map<string, CloudflareRecord>();
  const requests: CloudflareRequest[] = [];
  const failures: { status: number; code: number; message: string }[] = [];

  function validate(
    body: unknown,
    id?: string,
  ): Omit<CloudflareRecord, "id" | "created_on" | "modified_on"> {
    if (!isObject(body)) throw new ApiError(400, 9207, "Request body is invalid.");
    const { type, name, content, ttl } = body;
    if (type !== "A" && type !== "CNAME" && type !== "TXT") {
      throw new ApiError(400, 9005, "Content for record is invalid.");
    }
    if (typeof name !== "string" || typeof content !== "string") {
      throw new ApiError(400, 9000, "DNS name is invalid.");
    }
    if (typeof ttl !== "number" || (ttl !== 1 && (ttl < 60 || ttl > 86400))) {
      throw new ApiError(400, 9016, "DNS record TTL must be 1 (auto) or between 60 and 86400.");
    }
    const fqdn = name.toLowerCase();
    if (fqdn !== zoneName && !fqdn.endsWith(`.${zoneName}`)) {
      throw new ApiError(400, 9005, "Record name is not within the zone.");
    }
    for (const other of records.values()) {
      if (other.id === id || other.name !== fqdn) continue;
      if ((type === "CNAME") !== (other.type === "CNAME")) {
        throw new ApiError(
          400,
          81053,
          "An A, AAAA, or CNAME record with that host already exists.",
        );
      }
      if (other.type === type && other.content === content) {
        throw new ApiError(400, 81058, "An identical record already exists.");
      }
    }
    return {
      zone_id: zoneId,
      zone_name: zoneName,
      name: fqdn,
      type,
      content,
      ttl,
      proxied: false,
      proxiable: type !== "TXT",
      comment: null,
      tags: [],
      settings: {},
      meta: {},
    };
  }

  function handle(method: string, path: string, query: URLSearchParams, body: unknown) {
    const match = /^\/client\/v4\/zones\/([^/]+)\/dns_records(?:\/([^/]+))?$/.exec(path);
    if (!match) throw new ApiError(404, 7000, "No route for that URI");
    if (match[1] !== zoneId) {
      throw new ApiError(
        404,
        7003,
        "Could not route to /zones, perhaps your object identifier is invalid?",
      );
    }
    const recordId = match[2];
    const now = new Date().toISOString();
    if (!recordId && method === "GET") {
      const perPage = Math.min(Number(query.get("per_page") ?? 100), server.maxPerPage);
      const page = Number(query.get("page") ?? 1);
      const matching = [...records.values()].filter(
        (record) =>
          (!query.get("type") || record.type === query.get("type")) &&
          (!query.get("name.exact") || record.name === query.get("name.exact")?.toLowerCase()),
      );
      const result = matching.slice((page - 1) * perPage, page * perPage);
      return envelope(result, {
        result_info: {
          page,
          per_page: perPage,
          count: result.length,
          total_count: matching.length,
          total_pages: Math.ceil(matching.length / perPage),
        },
      });
    }
    if (!recordId && method === "POST") {
      const record = {
        ...validate(body),
        id: randomBytes(16).toString("hex"),
        created_on: now,
        modified_on: now,
      };
      records.set(record.id, record);
      return envelope(record);
    }
    const existing = recordId ? records.get(recordId) : undefined;
    if (!existing) throw new ApiError(404, 81044, "Record does not exist.");
    if (method === "DELETE") {
      records.delete(existing.id);
      return envelope({ id: existing.id });
    }
    if (method === "PUT" || method === "PATCH") {
      const merged = method === "PATCH" && isObject(body) ? { ...existing, ...body } : body;
      const record = { ...existing, ...validate(merged, existing.id), modified_on: now };
      records.set(record.id, record);
      return envelope(record);
    }
    throw new ApiError(405, 10405, "Method not allowed");
  }

  function reply(response: ServerResponse, status: number, payload: unknown) {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(payload));
  }

  const http = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (raw += chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://localhost");
      let body: unknown = undefined;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return reply(response, 400, {
          success: false,
          errors: [{ code: 6007, message: "Malformed JSON in request body" }],
          messages: [],
          result: null,
        });
      }
      const method = request.method ?? "GET";
      requests.push({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
      });
      const failure = failures.shift();
      try {
        if (request.headers.authorization !== `Bearer ${token}`) {
          throw new ApiError(401, 10000, "Authentication error");
        }
        if (failure) throw new ApiError(failure.status, failure.code, failure.message);
        reply(response, 200, handle(method, url.pathname, url.searchParams, body));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        reply(response, error.status, {
          success: false,
          errors: [{ code: error.code, message: error.message }],
          messages: [],
          result: null,
        });
      }
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;

  const server: CloudflareTestServer = {
    baseURL: `http://127.0.0.1:${port}/client/v4`,
    token,
    zoneId,
    records,
    requests,
    maxPerPage: 100,
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
