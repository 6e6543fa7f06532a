// The batched usage writer: `record(event)` is a push onto an in-memory queue (no I/O on the
// request path); a flush — every `flushIntervalMs` (≤ 250 ms) or as soon as `maxBatch` events
// wait — writes up to `maxBatch` events with ONE statement:
//
//   1. INSERT … SELECT FROM unnest(…) INTO usage_events ON CONFLICT DO NOTHING RETURNING
//   2. advance usage_counters by the quantities of the rows step 1 actually inserted
//
// both in one data-modifying CTE, so one transaction. An event's id (a UUIDv7 made here, at
// the edge, when the event is recorded) is its idempotency key: a flush retried after a lost
// answer (the server committed, the client never heard) inserts nothing the second time and
// so advances no counter twice.
//
// Failures: the batch goes back to the head of the queue and the next flush waits with
// exponential backoff; the queue is bounded (`maxQueue`): past it `record` refuses the event
// and counts it in `dropped` (memory stays bounded when the database is down for long).
// Events of an organization deleted in the meantime are skipped (not an error that would
// block the queue forever); a month without a partition gets one, then the batch is retried.
// `close()` stops the timer and drains the queue (SIGTERM).
//
// Step 2 is `advanceCountersSql` of @plinth/billing/usage: the one home of the counter upsert
// (its single-row form, recordUsage, is what quotas use). An event whose units a quota check
// already counted (`preCounted`: the gateway's consumeQuota on a capped plan) is stored but
// does not advance the counter again.
import { isIP } from "node:net";
import { inspect } from "node:util";
import { uuidv7 } from "./uuid7.ts";
import { z } from "zod";
import { advanceCountersSql } from "@plinth/billing/usage";
import type { PrismaClient } from "@plinth/db";

export const usageEventInput = z.object({
  /** Made at record time when absent; a caller retrying its own send passes the same id. */
  id: z.uuid().optional(),
  occurredAt: z.date().optional(),
  organizationId: z.string().min(1).max(191),
  apiKeyId: z.string().min(1).max(191).nullish(),
  meter: z.string().min(1).max(100),
  /** Units of the meter (1 per API request). */
  quantity: z.number().int().min(0).max(2_147_483_647),
  /** The billing period the usage counts towards (the subscription's current period start). */
  periodStart: z.date(),
  /** The route template ("/api/v1/projects/{id}"), never the raw path. */
  route: z.string().max(200).nullish(),
  method: z.string().max(10).nullish(),
  status: z.number().int().min(100).max(599).nullish(),
  latencyMs: z.number().min(0).max(3_600_000).nullish(),
  costMicroCents: z.union([z.bigint(), z.number().int()]).optional(),
  /** The units were already added to the counter (a capped quota's consumeQuota). */
  preCounted: z.boolean().optional(),
  ip: z
    .string()
    .refine((value) => isIP(value) !== 0, "not an IP address")
    .nullish(),
});
export type UsageEventInput = z.input<typeof usageEventInput>;

interface QueuedEvent {
  id: string;
  occurredAt: string;
  organizationId: string;
  apiKeyId: string | null;
  meter: string;
  quantity: number;
  periodStart: string;
  route: string | null;
  method: string | null;
  status: number | null;
  latencyMs: number | null;
  costMicroCents: string;
  ip: string | null;
  preCounted: boolean;
  /** performance.now() at record: for the lag metric. */
  recordedAt: number;
}

export interface FlushReport {
  events: number;
  /** Rows new to usage_events (the rest were already there: a retry, or a deleted org). */
  inserted: number;
  durationMs: number;
  /** From the oldest event's record() to its commit. */
  maxLagMs: number;
}

export interface MeteringWriterOptions {
  /** The system client: a batch spans organizations. */
  db: PrismaClient;
  /** Default 250 ms. */
  flushIntervalMs?: number;
  /** Events per statement; reaching it triggers a flush at once. Default 1,000. */
  maxBatch?: number;
  /** Events held in memory at most (queued + in flight). Default 100,000. */
  maxQueue?: number;
  /** First retry delay after a failed flush, doubling up to maxBackoffMs. Default 100 ms. */
  minBackoffMs?: number;
  /** Default 5 s. */
  maxBackoffMs?: number;
  onError?: (error: unknown) => void;
  onFlush?: (report: FlushReport) => void;
}

export interface MeteringMetrics {
  /** Events waiting (not yet in a flush). */
  depth: number;
  /** Events in the flush running now. */
  inFlight: number;
  /** Age of the oldest event not yet committed, ms (0 when empty). */
  lagMs: number;
  recorded: number;
  inserted: number;
  /** Refused by record(): invalid, or the queue was full. */
  dropped: number;
  flushes: number;
  failedFlushes: number;
  /** Consecutive failures now (0 when healthy). */
  failureStreak: number;
}

export interface MeteringWriter {
  /** Queues an event. False (and counted in `dropped`) when invalid or the queue is full. */
  record(event: UsageEventInput): boolean;
  /** Writes everything queued now (retrying with backoff); resolves when the queue is empty. */
  flush(): Promise<void>;
  metrics(): MeteringMetrics;
  /** Stops the timer and drains the queue; gives up after `timeoutMs` (default 10 s). */
  close(options?: { timeoutMs?: number }): Promise<{ remaining: number }>;
}

export function createMeteringWriter(options: MeteringWriterOptions): MeteringWriter {
  const flushIntervalMs = options.flushIntervalMs ?? 250;
  const maxBatch = options.maxBatch ?? 1_000;
  const maxQueue = options.maxQueue ?? 100_000;
  const minBackoffMs = options.minBackoffMs ?? 100;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;

  let queue: QueuedEvent[] = [];
  let inFlight: QueuedEvent[] = [];
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let failureStreak = 0;
  let retryAt = 0;
  const counts = { recorded: 0, inserted: 0, dropped: 0, flushes: 0, failedFlushes: 0 };

  function schedule(delayMs: number) {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void runOnce();
    }, delayMs);
    timer.unref();
  }

  /** One batch; on failure the batch returns to the head of the queue. */
  async function runOnce(): Promise<void> {
    if (running) return running;
    if (queue.length === 0) return;
    const wait = retryAt - Date.now();
    if (wait > 0) {
      schedule(wait);
      return;
    }
    inFlight = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
    queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
    running = (async () => {
      const started = performance.now();
      try {
        const inserted = await writeBatch(options.db, inFlight);
        const done = performance.now();
        counts.flushes++;
        counts.inserted += inserted;
        failureStreak = 0;
        retryAt = 0;
        options.onFlush?.({
          events: inFlight.length,
          inserted,
          durationMs: done - started,
          maxLagMs: done - (inFlight[0]?.recordedAt ?? done),
        });
        inFlight = [];
      } catch (error) {
        counts.failedFlushes++;
        failureStreak++;
        const ceiling = Math.min(maxBackoffMs, minBackoffMs * 2 ** (failureStreak - 1));
        retryAt = Date.now() + ceiling / 2 + (Math.random() * ceiling) / 2;
        queue = inFlight.concat(queue);
        inFlight = [];
        options.onError?.(error);
      }
    })().finally(() => {
      running = null;
      if (queue.length > 0) schedule(queue.length >= maxBatch ? 0 : flushIntervalMs);
    });
    return running;
  }

  async function flush(deadline = Infinity): Promise<void> {
    while ((queue.length > 0 || running) && Date.now() < deadline) {
      if (running) await running;
      else {
        const wait = retryAt - Date.now();
        if (wait > 0)
          await new Promise((resolve) =>
            setTimeout(resolve, Math.min(wait, deadline - Date.now())),
          );
        await runOnce();
      }
    }
  }

  return {
    record(event) {
      const parsed = usageEventInput.safeParse(event);
      if (!parsed.success || closed || queue.length + inFlight.length >= maxQueue) {
        counts.dropped++;
        return false;
      }
      const data = parsed.data;
      queue.push({
        id: data.id ?? uuidv7(),
        occurredAt: (data.occurredAt ?? new Date()).toISOString(),
        organizationId: data.organizationId,
        apiKeyId: data.apiKeyId ?? null,
        meter: data.meter,
        quantity: data.quantity,
        periodStart: data.periodStart.toISOString(),
        route: data.route ?? null,
        method: data.method ?? null,
        status: data.status ?? null,
        latencyMs: data.latencyMs ?? null,
        costMicroCents: String(data.costMicroCents ?? 0),
        ip: data.ip ?? null,
        preCounted: data.preCounted ?? false,
        recordedAt: performance.now(),
      });
      counts.recorded++;
      if (queue.length >= maxBatch && !running) {
        clearTimeout(timer);
        timer = undefined;
        schedule(0);
      } else schedule(flushIntervalMs);
      return true;
    },
    flush: () => flush(),
    metrics() {
      const oldest = inFlight[0] ?? queue[0];
      return {
        depth: queue.length,
        inFlight: inFlight.length,
        lagMs: oldest ? performance.now() - oldest.recordedAt : 0,
        ...counts,
        failureStreak,
      };
    },
    async close({ timeoutMs = 10_000 } = {}) {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      await flush(Date.now() + timeoutMs);
      return { remaining: queue.length + inFlight.length };
    },
  };
}

const NO_PARTITION = "23514"; // check_violation: "no partition of relation … found for row"

/** Writes one batch; returns how many events were new. */
async function writeBatch(db: PrismaClient, batch: readonly QueuedEvent[]): Promise<number> {
  try {
    return await insertAndCount(db, batch);
  } catch (error) {
    if (!isNoPartition(error)) throw error;
    const times = batch.map((event) => event.occurredAt).sort();
    await db.$queryRaw`SELECT usage_events_create_partitions(${times[0]}::timestamp, ${times.at(-1)}::timestamp)`;
    return insertAndCount(db, batch);
  }
}

function isNoPartition(error: unknown): boolean {
  const text = String(error instanceof Error ? `${error.message} ${inspect(error.cause)}` : error);
  return text.includes(NO_PARTITION) || /no partition of relation/i.test(text);
}

async function insertAndCount(db: PrismaClient, batch: readonly QueuedEvent[]): Promise<number> {
  const column = <K extends keyof QueuedEvent>(key: K) => batch.map((event) => event[key]);
  // One statement = one transaction: the counters move by exactly what was inserted.
  const rows = await db.$queryRawUnsafe<{ inserted: number }[]>(
    INSERT_AND_COUNT_SQL,
    ...BATCH_COLUMNS.map(column),
  );
  return rows[0]?.inserted ?? 0;
}

/** The statement's parameters, in order ($1 … $14). */
const BATCH_COLUMNS = [
  "id",
  "occurredAt",
  "organizationId",
  "apiKeyId",
  "meter",
  "quantity",
  "periodStart",
  "route",
  "method",
  "status",
  "latencyMs",
  "costMicroCents",
  "ip",
  "preCounted",
] as const satisfies readonly (keyof QueuedEvent)[];

/** Events ($1…$14, one array per column) → usage_events, and usage_counters by what was new. */
export const INSERT_AND_COUNT_SQL = `
    WITH input AS (
      SELECT DISTINCT ON (v.id, v.occurred_at) v.*
      FROM unnest(
        $1::uuid[], $2::timestamp(3)[],
        $3::text[], $4::text[],
        $5::text[], $6::int[],
        $7::timestamp(3)[], $8::text[],
        $9::text[], $10::smallint[],
        $11::real[], $12::bigint[],
        $13::inet[], $14::boolean[]
      ) AS v(id, occurred_at, organization_id, api_key_id, meter, quantity, period_start,
             route, method, status, latency_ms, cost_micro_cents, ip, pre_counted)
    ),
    inserted AS (
      INSERT INTO usage_events (id, occurred_at, organization_id, api_key_id, meter, quantity,
                                route, method, status, latency_ms, cost_micro_cents, ip)
      SELECT i.id, i.occurred_at, i.organization_id, i.api_key_id, i.meter, i.quantity,
             i.route, i.method, i.status, i.latency_ms, i.cost_micro_cents, i.ip
      FROM input i
      WHERE EXISTS (SELECT 1 FROM organizations o WHERE o.id = i.organization_id)
      ON CONFLICT DO NOTHING
      RETURNING id, occurred_at
    ),
    counted AS (${advanceCountersSql(`(
      SELECT i.organization_id, i.meter, i.period_start, i.quantity
      FROM input i JOIN inserted r ON r.id = i.id AND r.occurred_at = i.occurred_at
      WHERE NOT i.pre_counted
    )`)}
    )
    SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM counted)::int AS counters`;
