// One process's sliding-window counts in a Map: for a single gateway instance, for web's
// unauthenticated limits, and as the fallback while Redis is unreachable. Bounded: keys whose
// windows have both passed are swept, and past `maxKeys` the oldest key goes first.
import {
  slidingEstimate,
  type RateLimitPolicy,
  type RateLimitStore,
  type WindowCounts,
} from "./sliding-window.ts";

interface Slot {
  /** Index of the current fixed window (now / windowMs, floored). */
  window: number;
  previous: number;
  current: number;
  previousFirst: number;
  previousLast: number;
  currentFirst: number;
  currentLast: number;
}

const empty = (window: number): Slot => ({
  window,
  previous: 0,
  current: 0,
  previousFirst: 0,
  previousLast: 0,
  currentFirst: 0,
  currentLast: 0,
});

export interface MemoryStoreOptions {
  /** Default 100,000 keys. */
  maxKeys?: number;
  now?: () => number;
}

export function createMemoryStore(options: MemoryStoreOptions = {}): RateLimitStore & {
  readonly size: number;
} {
  const maxKeys = options.maxKeys ?? 100_000;
  const clock = options.now ?? Date.now;
  const slots = new Map<string, Slot>();
  let hitsSinceSweep = 0;

  function sweep(now: number, windowMs: number) {
    const window = Math.floor(now / windowMs);
    for (const [key, slot] of slots) if (slot.window < window - 1) slots.delete(key);
  }

  return {
    get size() {
      return slots.size;
    },
    hit(key: string, policy: RateLimitPolicy, cost: number): Promise<WindowCounts> {
      const now = clock();
      const windowMs = policy.windowSeconds * 1000;
      const window = Math.floor(now / windowMs);
      const id = `${policy.windowSeconds}:${key}`;
      let slot = slots.get(id);
      if (!slot) {
        slot = empty(window);
      } else if (slot.window === window - 1) {
        slot = {
          ...empty(window),
          previous: slot.current,
          previousFirst: slot.currentFirst,
          previousLast: slot.currentLast,
        };
      } else if (slot.window !== window) {
        slot = empty(window);
      }
      const allowed = slidingEstimate(slot, windowMs, now) + cost <= policy.limit;
      if (allowed) {
        if (slot.current === 0) slot.currentFirst = now;
        slot.currentLast = now;
        slot.current += cost;
      }
      // Re-inserted: Map order is then "least recently hit first" for the size bound.
      slots.delete(id);
      slots.set(id, slot);
      if (++hitsSinceSweep >= 10_000) {
        hitsSinceSweep = 0;
        sweep(now, windowMs);
      }
      while (slots.size > maxKeys) {
        const oldest = slots.keys().next();
        if (oldest.done) break;
        slots.delete(oldest.value);
      }
      const { previous, current, previousFirst, previousLast, currentFirst, currentLast } = slot;
      return Promise.resolve({
        allowed,
        previous,
        current,
        previousFirst,
        previousLast,
        currentFirst,
        currentLast,
        now,
      });
    },
  };
}
