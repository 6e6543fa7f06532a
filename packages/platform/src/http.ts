// A module's gateway adapter (modules/<key>/src/http.ts): the public API routes it serves
// under /api/v1, declared without any HTTP library. The gateway (apps/gateway) registers each
// with @hono/zod-openapi (so the OpenAPI document comes from these very schemas), runs the
// pipeline in front of it (key, rate limit, organization, scope, idempotency, quota) and
// answers `handle`'s result as JSON; refusals are AppErrors, answered as problem+json.
import type { z } from "zod";
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
  return definition as unknown as HttpRoute;
}
