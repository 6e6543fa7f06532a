// Last-used timestamps without a write per request: the verifier reports each accepted key
// here, the batcher keeps the latest time per key in memory and writes them all with one
// UPDATE every few seconds (and on close). A failed write keeps the times for the next one.
// The api_keys trigger ignores last_used_at changes, so these writes invalidate no cache.
import type { PrismaClient } from "@plinth/db";

export interface LastUsedBatcherOptions {
  /** The system client (the batch spans organizations). */
  db: PrismaClient;
  /** Default 5 s. */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface LastUsedBatcher {
  /** Records a use (cheap: a Map write). */
  touch(keyId: string, at?: number): void;
  /** Writes what is pending now; resolves to the number of keys written. */
  flush(): Promise<number>;
  /** Keys waiting to be written. */
  readonly pending: number;
  /** Stops the timer and writes what is pending. */
  close(): Promise<void>;
}

export function createLastUsedBatcher(options: LastUsedBatcherOptions): LastUsedBatcher {
  let pending = new Map<string, number>();
  let flushing: Promise<number> | null = null;

  async function write(batch: Map<string, number>): Promise<number> {
    const ids = [...batch.keys()];
    const times = ids.map((id) => new Date(batch.get(id)!).toISOString());
    // One statement for the whole batch (unnest: one prepared shape whatever its size). A
    // newer time already stored (another gateway) is kept.
    return options.db.$executeRaw`
      UPDATE api_keys AS k SET last_used_at = v.at
      FROM unnest(${ids}::text[], ${times}::timestamp(3)[]) AS v(id, at)
      WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < v.at)`;
  }

  async function flush(): Promise<number> {
    if (flushing) await flushing.catch(() => undefined);
    if (pending.size === 0) return 0;
    const batch = pending;
    pending = new Map();
    flushing = write(batch).catch((error: unknown) => {
      for (const [id, at] of batch) if ((pending.get(id) ?? 0) < at) pending.set(id, at);
      throw error;
    });
    try {
      return await flushing;
    } finally {
      flushing = null;
    }
  }

  const timer = setInterval(() => {
    flush().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 5_000);
  timer.unref();

  return {
    touch(keyId, at = Date.now()) {
      if ((pending.get(keyId) ?? 0) < at) pending.set(keyId, at);
    },
    flush,
    get pending() {
      return pending.size;
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
