// The typed REST client of /api/v1 for external buyers: openapi-fetch over the types
// openapi-typescript generated from the gateway's own OpenAPI document (./schema.ts, kept
// current by apps/gateway/test/openapi.test.ts: `pnpm vitest run apps/gateway/test/openapi.test.ts -u`
// rewrites it). The catalog's proxied endpoints change at run time, so they are typed loosely
// (call them with `client.request` or plain fetch); Plinth's own routes are typed exactly.
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./schema.ts";

export type { paths } from "./schema.ts";
export type ApiClient = Client<paths>;

export function createApiClient(options: {
  baseUrl: string;
  apiKey: string;
  fetch?: (request: Request) => Promise<Response>;
}): ApiClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
