// The verifier: presented key → the key's record, from an in-memory cache keyed by the key's
// hash, so a gateway request costs no database read for a known key.
//
// - Fresh (default 10 s after loading): answered from the cache.
// - Stale (up to 60 s): still answered from the cache while ONE background reload per key
//   runs — but only while the invalidation listener is connected (revocations are heard);
//   without it, a stale entry is reloaded before answering.
// - Unknown hashes are remembered for a short time (default 5 s, at most 10,000 of them), so
//   a client repeating a bad key does not read the database on every request.
// - Expiry and the rotation grace window are checked on every call against the clock, so a
//   cached key stops working the moment it expires.
// - Malformed, unknown, revoked and expired keys all answer the same `{ ok: false }`: the
//   answer tells a caller nothing about which keys exist.
// Invalidation: `invalidateId` (from the api_keys NOTIFY channel) and `clear` (after the
// listener reconnects); a load that started before an invalidation is not cached.
import { hashApiKey, parseApiKey } from "./format.ts";
import { isUsable, type ApiKeyRecord } from "./store.ts";

export interface VerifiedApiKey {
  id: string;
  organizationId: string;
  name: string;
  environment: ApiKeyRecord["environment"];
  scopes: readonly string[];
  rateLimit: ApiKeyRecord["rateLimit"];
}

export type VerifyResult = { ok: true; key: VerifiedApiKey } | { ok: false };

/** The one refusal, whatever the reason. */
const REFUSED: VerifyResult = Object.freeze({ ok: false });

export interface ApiKeyVerifierOptions {
  /** Reads a key by hash (findApiKeyByHash on the system client). */
  load: (hash: string) => Promise<ApiKeyRecord | null>;
  freshMs?: number;
  /** How old a cached entry may be and still be answered while it reloads. */
  staleMs?: number;
  negativeTtlMs?: number;
  maxEntries?: number;
  maxNegativeEntries?: number;
  /** Whether invalidations are being heard now (the listener is connected). Default: never. */
  invalidationsLive?: () => boolean;
  /** Called for every accepted key (the last-used batcher). */
  onAccepted?: (key: VerifiedApiKey, now: number) => void;
  /** A failed background reload (the stale entry keeps being served until it is too old). */
  onRefreshError?: (error: unknown) => void;
  /** Milliseconds since the epoch (tests pass a fake clock). */
  now?: () => number;
}

interface Entry {
  record: ApiKeyRecord;
  key: VerifiedApiKey;
  loadedAt: number;
  refreshing: boolean;
}

export interface VerifierStats {
  hits: number;
  staleHits: number;
  negativeHits: number;
  loads: number;
  invalidations: number;
}

export class ApiKeyVerifier {
  readonly #load: ApiKeyVerifierOptions["load"];
  readonly #freshMs: number;
  readonly #staleMs: number;
  readonly #negativeTtlMs: number;
  readonly #maxEntries: number;
  readonly #maxNegativeEntries: number;
  readonly #invalidationsLive: () => boolean;
  readonly #onAccepted: ApiKeyVerifierOptions["onAccepted"];
  readonly #onRefreshError: ApiKeyVerifierOptions["onRefreshError"];
  readonly #now: () => number;

  readonly #entries = new Map<string, Entry>();
  /** hash → when it was found unknown. */
  readonly #negative = new Map<string, number>();
  readonly #hashById = new Map<string, string>();
  /** Cold loads in flight: concurrent requests for one key share one read. */
  readonly #loading = new Map<string, Promise<Entry | null>>();
  /** Bumped by every invalidation: a load that saw an older value is not cached. */
  #generation = 0;
  readonly stats: VerifierStats = {
    hits: 0,
    staleHits: 0,
    negativeHits: 0,
    loads: 0,
    invalidations: 0,
  };

  constructor(options: ApiKeyVerifierOptions) {
    this.#load = options.load;
    this.#freshMs = options.freshMs ?? 10_000;
    this.#staleMs = Math.max(options.staleMs ?? 60_000, this.#freshMs);
    this.#negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#maxNegativeEntries = options.maxNegativeEntries ?? 10_000;
    this.#invalidationsLive = options.invalidationsLive ?? (() => false);
    this.#onAccepted = options.onAccepted;
    this.#onRefreshError = options.onRefreshError;
    this.#now = options.now ?? Date.now;
  }

  /** Cached keys (known and unknown). */
  get size(): { known: number; unknown: number } {
    return { known: this.#entries.size, unknown: this.#negative.size };
  }

  /**
   * Verifies a presented key (the bearer token). Rejects only when the database cannot be
   * read for a key that is not cached (the gateway answers 503, not 401).
   */
  async verify(presented: string | null | undefined): Promise<VerifyResult> {
    const parsed = parseApiKey(presented);
    if (!parsed) return REFUSED;
    const hash = hashApiKey(parsed.key);
    const now = this.#now();

    const entry = this.#entries.get(hash);
    if (entry) {
      const age = now - entry.loadedAt;
      if (age < this.#freshMs) {
        this.stats.hits++;
        return this.#answer(entry, now);
      }
      if (age < this.#staleMs && this.#invalidationsLive()) {
        this.stats.staleHits++;
        this.#refreshInBackground(hash, entry);
        return this.#answer(entry, now);
      }
    } else {
      const unknownSince = this.#negative.get(hash);
      if (unknownSince !== undefined) {
        if (now - unknownSince < this.#negativeTtlMs) {
          this.stats.negativeHits++;
          return REFUSED;
        }
        this.#negative.delete(hash);
      }
    }

    const loaded = await this.#loadShared(hash);
    return loaded ? this.#answer(loaded, this.#now()) : REFUSED;
  }

  /** Drops a key (its row changed: revoked, rotated, scopes edited, deleted). */
  invalidateId(id: string): void {
    this.#generation++;
    this.stats.invalidations++;
    const hash = this.#hashById.get(id);
    if (hash === undefined) return;
    this.#hashById.delete(id);
    this.#entries.delete(hash);
  }

  /** Drops everything (the listener reconnected: changes may have been missed). */
  clear(): void {
    this.#generation++;
    this.stats.invalidations++;
    this.#entries.clear();
    this.#negative.clear();
    this.#hashById.clear();
  }

  #answer(entry: Entry, now: number): VerifyResult {
    if (!isUsable(entry.record, now)) return REFUSED;
    this.#onAccepted?.(entry.key, now);
    return { ok: true, key: entry.key };
  }

  #loadShared(hash: string): Promise<Entry | null> {
    let pending = this.#loading.get(hash);
    if (!pending) {
      pending = this.#loadAndCache(hash).finally(() => this.#loading.delete(hash));
      this.#loading.set(hash, pending);
    }
    return pending;
  }

  async #loadAndCache(hash: string): Promise<Entry | null> {
    const generation = this.#generation;
    this.stats.loads++;
    const record = await this.#load(hash);
    const loadedAt = this.#now();
    const cacheable = generation === this.#generation;
    if (!record) {
      if (cacheable) this.#rememberUnknown(hash, loadedAt);
      return null;
    }
    const entry: Entry = { record, key: toVerified(record), loadedAt, refreshing: false };
    if (cacheable) {
      const previous = this.#entries.get(hash);
      if (previous && previous.record.id !== record.id) this.#hashById.delete(previous.record.id);
      this.#rememberKnown(hash, entry);
    }
    return entry;
  }

  #refreshInBackground(hash: string, entry: Entry): void {
    if (entry.refreshing || this.#loading.has(hash)) return;
    entry.refreshing = true;
    this.#loadShared(hash)
      .then((loaded) => {
        // Gone (deleted) since: forget it. Otherwise the new entry replaced this one.
        if (!loaded && this.#entries.get(hash) === entry) {
          this.#entries.delete(hash);
          this.#hashById.delete(entry.record.id);
        }
      })
      .catch((error: unknown) => this.#onRefreshError?.(error))
      .finally(() => {
        entry.refreshing = false;
      });
  }

  // Size bounds: the oldest insertion goes first (a Map iterates in insertion order).
  #rememberKnown(hash: string, entry: Entry): void {
    this.#negative.delete(hash);
    this.#entries.delete(hash);
    this.#entries.set(hash, entry);
    this.#hashById.set(entry.record.id, hash);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.entries().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value[0]);
      this.#hashById.delete(oldest.value[1].record.id);
    }
  }

  #rememberUnknown(hash: string, at: number): void {
    this.#negative.delete(hash);
    this.#negative.set(hash, at);
    while (this.#negative.size > this.#maxNegativeEntries) {
      const oldest = this.#negative.keys().next();
      if (oldest.done) break;
      this.#negative.delete(oldest.value);
    }
  }
}

function toVerified(record: ApiKeyRecord): VerifiedApiKey {
  return Object.freeze({
    id: record.id,
    organizationId: record.organizationId,
    name: record.name,
    environment: record.environment,
    scopes: Object.freeze([...record.scopes]),
    rateLimit: record.rateLimit ? Object.freeze({ ...record.rateLimit }) : null,
  });
}
