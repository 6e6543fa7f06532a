// API-key clients of /api/trpc (`Authorization: Bearer <key>`; @plinth/client): the same
// verifier as the gateway — an in-memory cache of key records, invalidated by the api_keys
// NOTIFY channel, last use written in batches — built once per server process (cached on
// globalThis for Next's dev reloads). Unknown, revoked, expired and malformed keys all give
// null (the route answers 401); which procedures a key may call is decided by the procedures
// (meta.apiScope, @plinth/trpc).
import "server-only";
import { createApiKeyRuntime, type ApiKeyRuntime } from "@plinth/api-keys";
import { rootLogger } from "@plinth/core/root-logger";
import type { ApiKeyIdentity } from "@plinth/core/scope";
import { systemClient } from "@plinth/db";
import { db } from "~/server/db.ts";
import { listener } from "~/server/listener.ts";

const holder = globalThis as { plinthApiKeys?: ApiKeyRuntime };

function runtime(): ApiKeyRuntime {
  if (holder.plinthApiKeys) return holder.plinthApiKeys;
  const log = rootLogger().child({ source: "api-keys" });
  holder.plinthApiKeys = createApiKeyRuntime({
    // Keys are looked up by hash before any tenant is known.
    db: systemClient(db(), "api key lookup by hash (bearer clients of /api/trpc)"),
    listener: listener(),
    onError: (err) => log.warn({ err }, "api key runtime"),
  });
  return holder.plinthApiKeys;
}

export async function authenticateApiKey(token: string): Promise<ApiKeyIdentity | null> {
  const result = await runtime().verifier.verify(token);
  if (!result.ok) return null;
  const { id, organizationId, name, scopes } = result.key;
  return { id, organizationId, name, scopes };
}
