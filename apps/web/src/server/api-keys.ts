// The hook for API-key clients of /api/trpc (`Authorization: Bearer <key>`). API keys arrive
// with their own issue: until then no key is valid and such requests are answered 401.
// When they land, resolve the key here (prefix lookup, SHA-256 compare, scopes, expiry) and
// return the acting identity; the tRPC route already lets bearer requests skip the browser
// same-origin rule, because browsers never attach this header by themselves.
import "server-only";
import type { SessionUser } from "@plinth/core/scope";

export interface ApiKeyIdentity {
  user: SessionUser;
}

export async function authenticateApiKey(_token: string): Promise<ApiKeyIdentity | null> {
  return null;
}
