// A gateway's key handling in one call: the verifier reading through the system client, its
// cache invalidated by the api_keys NOTIFY channel (cleared on every reconnect), and the
// last-used batcher fed by every accepted key.
import type { PrismaClient } from "@plinth/db";
import type { NotificationListener } from "@plinth/db/notifications";
import { createLastUsedBatcher, type LastUsedBatcher } from "./last-used.ts";
import { findApiKeyByHash } from "./store.ts";
import { ApiKeyVerifier, type ApiKeyVerifierOptions } from "./verifier.ts";

/** The channel the api_keys trigger NOTIFYs (payload: the key's id). */
export const API_KEYS_CHANNEL = "api_keys";

/** Wires a verifier to a listener; returns the unsubscribe. */
export function invalidateOnChange(
  verifier: ApiKeyVerifier,
  listener: NotificationListener,
): () => void {
  const offChange = listener.subscribe(API_KEYS_CHANNEL, (id) => verifier.invalidateId(id));
  const offReconnect = listener.onReconnect(() => verifier.clear());
  return () => {
    offChange();
    offReconnect();
  };
}

export interface ApiKeyRuntimeOptions extends Omit<
  ApiKeyVerifierOptions,
  "load" | "invalidationsLive" | "onAccepted"
> {
  /** The system client: keys are looked up before any tenant is known. */
  db: PrismaClient;
  /** Without one, cached keys are trusted for `freshMs` only. */
  listener?: NotificationListener;
  /** Default 5 s; false: do not record last use. */
  lastUsedIntervalMs?: number | false;
  onError?: (error: unknown) => void;
}

export interface ApiKeyRuntime {
  verifier: ApiKeyVerifier;
  lastUsed: LastUsedBatcher | null;
  /** Unsubscribes and writes the pending last-used times (the listener is the caller's). */
  close(): Promise<void>;
}

export function createApiKeyRuntime(options: ApiKeyRuntimeOptions): ApiKeyRuntime {
  const { db, listener, lastUsedIntervalMs, onError, ...cache } = options;
  const lastUsed =
    lastUsedIntervalMs === false
      ? null
      : createLastUsedBatcher({
          db,
          ...(lastUsedIntervalMs ? { intervalMs: lastUsedIntervalMs } : {}),
          ...(onError ? { onError } : {}),
        });
  const verifier = new ApiKeyVerifier({
    ...cache,
    load: (hash) => findApiKeyByHash(db, hash),
    invalidationsLive: () => listener?.connected ?? false,
    ...(lastUsed ? { onAccepted: (key, now) => lastUsed.touch(key.id, now) } : {}),
    ...(onError ? { onRefreshError: onError } : {}),
  });
  const unsubscribe = listener ? invalidateOnChange(verifier, listener) : () => undefined;
  return {
    verifier,
    lastUsed,
    async close() {
      unsubscribe();
      await lastUsed?.close();
    },
  };
}
