// A module's gateway adapter (modules/<key>/src/http.ts): the public API routes it serves
// under /api/v1, declared without any HTTP library. The gateway (apps/gateway) registers each
// with @hono/zod-openapi (so the OpenAPI document comes from these very schemas), runs the
// pipeline in front of it (key, rate limit, organization, scope, idempotency, quota) and
// answers `handle`'s result as JSON; refusals are AppErrors, answered as problem+json.
import type { Readable } from "node:stream";
import type { z } from "zod";
import type { Logger } from "@plinth/core/logger";
import type { PrismaClient } from "@plinth/db";
import type { NotificationListener } from "@plinth/db/notifications";
import type { OrgScope } from "./scope.ts";

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface HttpRouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

export interface HttpRouteDefinition<
  P extends AnyObject | undefined,
  Q extends AnyObject | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
> {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Under /api/v1, OpenAPI style: "/projects/{id}". */
  path: string;
  summary: string;
  /** The API-key scope a caller needs (one of some module's apiScopes). */
  apiScope: string;
  /** Changes data: refused while the organization is read-only; Idempotency-Key applies. */
  write: boolean;
  /** 201 for creations, 202 for work accepted to run later (a test run). */
  successStatus: 200 | 201 | 202;
  /** Answer the (string) result as this type instead of JSON (JUnit XML reports). */
  contentType?: "application/xml";
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** The same services tRPC calls, with the key's organization scope. */
  handle(
    scope: OrgScope,
    input: HttpRouteInput<
      P extends AnyObject ? z.output<P> : undefined,
      Q extends AnyObject ? z.output<Q> : undefined,
      B extends z.ZodType ? z.output<B> : undefined
    >,
  ): Promise<z.input<R>>;
}

/** A route as the gateway sees it (input types erased: the gateway validates with the schemas). */
export interface HttpRoute {
  readonly method: HttpRouteDefinition<undefined, undefined, undefined, z.ZodType>["method"];
  readonly path: string;
  readonly summary: string;
  readonly apiScope: string;
  readonly write: boolean;
  readonly successStatus: 200 | 201 | 202;
  readonly contentType?: "application/xml";
  readonly params?: AnyObject;
  readonly query?: AnyObject;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
  handle(scope: OrgScope, input: HttpRouteInput<unknown, unknown, unknown>): Promise<unknown>;
}

export type HttpRoutes = readonly HttpRoute[];

/** Declares a route with its handler's input typed by the schemas. */
export function defineHttpRoute<
  R extends z.ZodType,
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(definition: HttpRouteDefinition<P, Q, B, R>): HttpRoute {
  return definition;
}

// ── Gateway extensions ──────────────────────────────────────────────────────────────────────
// A module that serves more than fixed routes (the API catalog's proxy: endpoints defined at
// run time) plugs into the gateway's pipeline as an extension, still without any HTTP
// library: it matches a request after the key, rate limit and organization steps, answers it
// with a plain status, headers record and body (bytes or a stream), and tells the gateway
// what to meter. Plain objects, not Fetch Request/Response: the gateway's node:http fast path
// hands over the IncomingMessage's own headers and pipes a streamed body straight to the
// socket, with no copy in between; the Hono app converts at its edge. The gateway's glue is
// apps/gateway/src/extensions.ts (and extension-io.ts for the conversions).

/** What an extension gets from the gateway process at start. */
export interface GatewayExtensionContext {
  /** The system client: the gateway's (an extension reads platform-level tables with it). */
  db: PrismaClient;
  listener: NotificationListener;
  logger: Logger;
  /** The gateway's rate limiter (Redis when configured): one sliding window per key. */
  rateLimit(
    key: string,
    policy: { name: string; limit: number; windowSeconds: number },
  ): Promise<{ allowed: boolean; retryAfterSeconds: number; headers: Record<string, string> }>;
}

/** The authenticated caller of one request. */
export interface GatewayCall {
  scope: OrgScope;
  apiKeyId: string;
  apiKeyScopes: readonly string[];
  requestId: string;
  ip: string | null;
}

export interface GatewayMatch {
  /** The route template metered and labelled ("/api/v1/geo/lookup/{id}"). */
  readonly route: string;
  readonly meter: string;
}

/** A request as an extension sees it (no HTTP library's types). */
export interface GatewayRequest {
  readonly method: string;
  /** As received, without the query ("/api/v1/geo/lookup/abc"). */
  readonly path: string;
  /** The raw query string, without its "?" ("" for none): forwarded as it came. */
  readonly query: string;
  /**
   * Lowercase names (node:http's IncomingMessage.headers as they are: repeated headers
   * joined with ", ", set-cookie a list).
   */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** null for none (a GET); otherwise the bytes as they arrive (not read yet). */
  readonly body: AsyncIterable<Uint8Array> | null;
}

/** An extension's response: written by the gateway as it is, its own headers added. */
export interface GatewayResponse {
  status: number;
  /** Lowercase names. content-length only with a stream of exactly that many bytes. */
  headers: Record<string, string | string[]>;
  /** null: no body; bytes; or a stream (an upstream's body) piped through to the client. */
  body: Uint8Array<ArrayBuffer> | Readable | null;
}

export interface GatewayAnswer {
  response: GatewayResponse;
  /** Units of the match's meter; 0 for nothing billable. */
  units: number;
  costMicroCents: number;
  /** The units were already added to the period counter (a capped quota). */
  preCounted: boolean;
}

/** An answer the gateway renders as problem+json (statuses the AppError catalogue lacks). */
export class GatewayProblem extends Error {
  constructor(
    readonly status: 400 | 413 | 502 | 503 | 504,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = "GatewayProblem";
  }
}

export interface GatewayExtension {
  /** A request this extension answers for the organization (null: not its, or not visible). */
  match(method: string, path: string, organizationId: string): GatewayMatch | null;
  /** Refusals: AppError (typed 4xx) or GatewayProblem (upstream 5xx). */
  handle(match: GatewayMatch, request: GatewayRequest, call: GatewayCall): Promise<GatewayAnswer>;
  /** OpenAPI 3.1 path items to add to /api/v1/openapi.json (what every caller may see). */
  openapiPaths(): Record<string, Record<string, unknown>>;
  /** Loaded and listening: call before serving. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export type GatewayExtensionFactory = (context: GatewayExtensionContext) => GatewayExtension;
