// A module's gateway adapter (modules/<key>/src/http.ts): the public API routes it serves
// under /api/v1. The gateway (issue 12) builds its app from the enabled modules' routes,
// through @plinth/product/http; until then every module exports an empty list.
import type { OrgScope } from "./scope.ts";

export interface HttpRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Under /api/v1, e.g. "/projects/{id}". */
  path: string;
  /** The API-key scope a caller needs (a key of some module's apiScopes). */
  apiScope: string;
  /** The same services tRPC calls, with the key's organization scope. */
  handle(scope: OrgScope, request: Request): Promise<Response>;
}

export type HttpRoutes = readonly HttpRoute[];
