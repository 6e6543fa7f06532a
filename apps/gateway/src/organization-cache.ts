// The read half of bindOrganization (the organization and its subscription state), reused per
// organization for `ttlMs` (default 1 s): a busy key costs one read a second instead of one
// per request. A plan change or a lapse reaches the gateway within that second; a key's
// revocation does not wait for it (the verifier hears it by NOTIFY). Concurrent misses share
// one read.
import type { OrganizationContext } from "@plinth/platform";

export class OrganizationCache {
  readonly #entries = new Map<string, { at: number; value: Promise<OrganizationContext> }>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(organizationId: string, load: () => Promise<OrganizationContext>) {
    const now = Date.now();
    const cached = this.#entries.get(organizationId);
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    const value = load();
    if (this.ttlMs > 0) {
      if (this.#entries.size >= this.maxEntries) this.#entries.clear();
      this.#entries.set(organizationId, { at: now, value });
      // A failed read is not remembered.
      value.catch(() => {
        if (this.#entries.get(organizationId)?.value === value)
          this.#entries.delete(organizationId);
      });
    }
    return value;
  }
}
