// What binding a request to an organization reads (the membership, the organization and its
// subscription state: OrganizationContext), kept per organization and actor in the process, so
// a member's second call costs no database round trip. Correctness comes from invalidation, not
// from the lifetime: triggers on organizations, memberships and subscriptions NOTIFY the
// organization_context channel (migration 20261203170000) and every entry of that organization
// goes. While the listener is not connected (starting, reconnecting) a change could be missed,
// so entries are trusted only for `unlistenedTtlMs` (default 0: no caching); after a reconnect
// everything goes. The pending read is what is stored, at once: an invalidation during a slow
// read removes it too, so it never puts back what a change just removed. Refusals (NOT_FOUND)
// and failed reads are not kept.
import type { NotificationListener } from "@plinth/db/notifications";
import type { OrganizationContext } from "./scope.ts";

/** The channel the triggers NOTIFY (payload: the organization's id). */
export const ORGANIZATION_CONTEXT_CHANNEL = "organization_context";

export interface OrganizationContextCacheOptions {
  /** Whether invalidations are being heard now (the listener's `connected`). */
  listening: () => boolean;
  /** How long an entry lives while invalidations are heard (default 60 s: a safety net). */
  ttlMs?: number;
  /** How long an entry lives while they are not (default 0: every bind reads). */
  unlistenedTtlMs?: number;
  /** Entries kept at most; beyond, the oldest organization's go first. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  at: number;
  value: Promise<OrganizationContext>;
}

export class OrganizationContextCache {
  /** Organization id → actor key → entry (Map order: least recently inserted first). */
  readonly #organizations = new Map<string, Map<string, Entry>>();
  #size = 0;
  readonly #options: Required<Omit<OrganizationContextCacheOptions, "listening" | "now">> & {
    listening: () => boolean;
    now: () => number;
  };

  constructor(options: OrganizationContextCacheOptions) {
    this.#options = {
      ttlMs: 60_000,
      unlistenedTtlMs: 0,
      maxEntries: 10_000,
      now: Date.now,
      ...options,
    };
  }

  /** The cached context of `actorKey` in the organization, or `load()`'s (concurrent misses share it). */
  get(
    organizationId: string,
    actorKey: string,
    load: () => Promise<OrganizationContext>,
  ): Promise<OrganizationContext> {
    const now = this.#options.now();
    const ttl = this.#options.listening() ? this.#options.ttlMs : this.#options.unlistenedTtlMs;
    const entries = this.#organizations.get(organizationId);
    const cached = entries?.get(actorKey);
    if (cached && now - cached.at < ttl) return cached.value;
    const value = load();
    if (ttl <= 0) return value;
    this.#store(organizationId, actorKey, { at: now, value });
    value.catch(() => this.#remove(organizationId, actorKey, value));
    return value;
  }

  /** Drops every entry of the organization (its membership, organization or subscription changed). */
  invalidate(organizationId: string): void {
    const entries = this.#organizations.get(organizationId);
    if (!entries) return;
    this.#size -= entries.size;
    this.#organizations.delete(organizationId);
  }

  /** Drops everything (after a reconnect: notifications may have been missed). */
  clear(): void {
    this.#organizations.clear();
    this.#size = 0;
  }

  /** Entries held (for tests and metrics). */
  get size(): number {
    return this.#size;
  }

  #store(organizationId: string, actorKey: string, entry: Entry) {
    let entries = this.#organizations.get(organizationId);
    if (!entries) {
      entries = new Map();
      this.#organizations.set(organizationId, entries);
    }
    if (!entries.has(actorKey)) this.#size += 1;
    entries.set(actorKey, entry);
    while (this.#size > this.#options.maxEntries) {
      const oldest = this.#organizations.keys().next();
      if (oldest.done) break;
      const dropped = this.#organizations.get(oldest.value);
      this.#size -= dropped?.size ?? 0;
      this.#organizations.delete(oldest.value);
    }
  }

  #remove(organizationId: string, actorKey: string, value: Promise<OrganizationContext>) {
    const entries = this.#organizations.get(organizationId);
    if (entries?.get(actorKey)?.value !== value) return;
    entries.delete(actorKey);
    this.#size -= 1;
    if (entries.size === 0) this.#organizations.delete(organizationId);
  }
}

/** A cache invalidated through `listener`; returns it with the unsubscribe. */
export function listeningOrganizationContextCache(
  listener: NotificationListener,
  options: Omit<OrganizationContextCacheOptions, "listening"> = {},
): { cache: OrganizationContextCache; close: () => void } {
  const cache = new OrganizationContextCache({ ...options, listening: () => listener.connected });
  const offChange = listener.subscribe(ORGANIZATION_CONTEXT_CHANNEL, (organizationId) =>
    cache.invalidate(organizationId),
  );
  const offReconnect = listener.onReconnect(() => cache.clear());
  return {
    cache,
    close: () => {
      offChange();
      offReconnect();
    },
  };
}
