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
  /** An IPv4/IPv6 address: checked with node:net's isIP in record() (a zod refine here cost
   * ~4 µs of the ~11 µs per event, measured). */
  ip: z.string().max(45).nullish(),
});
export type UsageEventInput = z.input<typeof usageEventInput>;
/** An event as usageEventInput outputs it: what recordTyped() takes. */
export type UsageEvent = z.output<typeof usageEventInput>;

const MAX_QUANTITY = 2_147_483_647;
const within = (value: string, min: number, max: number) =>
  value.length >= min && value.length <= max;

/**
 * The bounds of usageEventInput that its TypeScript type cannot carry (ranges, lengths, the
 * address), as plain comparisons: for recordTyped(), whose callers built the event from
 * values of their own, so the shape is already the type's.
 */
function inBounds(event: UsageEvent): boolean {
  const { status, latencyMs, costMicroCents } = event;
  return (
    within(event.organizationId, 1, 191) &&
    (event.apiKeyId == null || within(event.apiKeyId, 1, 191)) &&
    within(event.meter, 1, 100) &&
    Number.isInteger(event.quantity) &&
    event.quantity >= 0 &&
    event.quantity <= MAX_QUANTITY &&
    !Number.isNaN(event.periodStart.getTime()) &&
    (event.route == null || event.route.length <= 200) &&
    (event.method == null || event.method.length <= 10) &&
    (status == null || (Number.isInteger(status) && status >= 100 && status <= 599)) &&
    (latencyMs == null || (latencyMs >= 0 && latencyMs <= 3_600_000)) &&
    (typeof costMicroCents !== "number" || Number.isInteger(costMicroCents)) &&
    (event.ip == null || (event.ip.length <= 45 && isIP(event.ip) !== 0))
  );
}

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

/** A pg pool (or anything with its `query(text, values)`): the flush statement's fast path. */
export interface MeteringSql {
  query(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface MeteringWriterOptions {
  /** The system client: a batch spans organizations. */
  db: PrismaClient;
  /**
   * The system role's pg pool (`systemPool` of @plinth/db). When given, the flush statement
   * goes through it: the same SQL, without Prisma's handling of 14 parameter arrays (~40% of a
   * 2,000-event flush measured through Prisma's $queryRawUnsafe).
   */
  pool?: MeteringSql;
  /** Default 250 ms. */
  flushIntervalMs?: number;
  /** Events per statement; reaching it triggers a flush at once. Default 1,000. */
  maxBatch?: number;
  /**
   * Batches written at once (default 2): while full batches wait, a second statement runs
   * beside the first, so PostgreSQL uses a second core. Counter rows are locked in one order
   * (advanceCountersSql sorts), so two flushes wait on each other there, never deadlock.
   */
  concurrency?: number;
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
  /**
   * Queues an event from outside (validated with usageEventInput). False (and counted in
   * `dropped`) when invalid or the queue is full.
   */
  record(event: UsageEventInput): boolean;
  /**
   * Queues an event its caller built from typed values of its own (the gateway's hot path):
   * the bounds are checked without zod's parse. False as record()'s.
   */
  recordTyped(event: UsageEvent): boolean;
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

  const concurrency = Math.max(1, options.concurrency ?? 2);

  let queue: QueuedEvent[] = [];
  /** Batches being written now (at most `concurrency`). */
  const flights = new Set<{ batch: QueuedEvent[]; done: Promise<void> }>();
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

  const inFlight = () => {
    let events = 0;
    for (const flight of flights) events += flight.batch.length;
    return events;
  };
  /** Resolves when one of the batches in flight is done (at once when none is). */
  const nextDone = () => Promise.race([...[...flights].map((flight) => flight.done)]);

  /**
   * Starts batches: one when none is running, more (up to `concurrency`) only while full
   * batches wait, so a trickle is not cut into small statements. On failure a batch returns
   * to the head of the queue.
   */
  function runOnce(): Promise<void> {
    const wait = retryAt - Date.now();
    if (wait > 0) {
      if (queue.length > 0) schedule(wait);
      return flights.size > 0 ? nextDone() : Promise.resolve();
    }
    while (
      queue.length > 0 &&
      flights.size < concurrency &&
      (flights.size === 0 || queue.length >= maxBatch)
    ) {
      start();
    }
    return flights.size > 0 ? nextDone() : Promise.resolve();
  }

  function start() {
    const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
    queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
    const flight = { batch, done: Promise.resolve() };
    flight.done = (async () => {
      const started = performance.now();
      try {
        const inserted = await writeBatch(options, batch);
        const done = performance.now();
        counts.flushes++;
        counts.inserted += inserted;
        failureStreak = 0;
        retryAt = 0;
        options.onFlush?.({
          events: batch.length,
          inserted,
          durationMs: done - started,
          maxLagMs: done - (batch[0]?.recordedAt ?? done),
        });
      } catch (error) {
        counts.failedFlushes++;
        failureStreak++;
        const ceiling = Math.min(maxBackoffMs, minBackoffMs * 2 ** (failureStreak - 1));
        retryAt = Date.now() + ceiling / 2 + (Math.random() * ceiling) / 2;
        queue = batch.concat(queue);
        options.onError?.(error);
      }
    })().finally(() => {
      flights.delete(flight);
      if (queue.length > 0) schedule(queue.length >= maxBatch ? 0 : flushIntervalMs);
    });
    flights.add(flight);
  }

  async function flush(deadline = Infinity): Promise<void> {
    while ((queue.length > 0 || flights.size > 0) && Date.now() < deadline) {
      const wait = retryAt - Date.now();
      if (flights.size > 0) await runOnce();
      else if (wait > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, deadline - Date.now())));
      else await runOnce();
    }
  }

  /** A valid event onto the queue (false when closed or full). */
  function enqueue(data: UsageEvent): boolean {
    if (closed || queue.length + inFlight() >= maxQueue) {
      counts.dropped++;
      return false;
    }
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
    if (queue.length >= maxBatch && flights.size < concurrency) {
      clearTimeout(timer);
      timer = undefined;
      schedule(0);
    } else schedule(flushIntervalMs);
    return true;
  }

  return {
    record(event) {
      const parsed = usageEventInput.safeParse(event);
      if (!parsed.success || (parsed.data.ip != null && isIP(parsed.data.ip) === 0)) {
        counts.dropped++;
        return false;
      }
      return enqueue(parsed.data);
    },
    recordTyped(event) {
      if (!inBounds(event)) {
        counts.dropped++;
        return false;
      }
      return enqueue(event);
    },
    flush: () => flush(),
    metrics() {
      let oldest = queue[0];
      for (const flight of flights) {
        const first = flight.batch[0];
        if (first && (!oldest || first.recordedAt < oldest.recordedAt)) oldest = first;
      }
      return {
        depth: queue.length,
        inFlight: inFlight(),
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
      return { remaining: queue.length + inFlight() };
    },
  };
}

const NO_PARTITION = "23514"; // check_violation: "no partition of relation … found for row"

/** Writes one batch; returns how many events were new. */
async function writeBatch(
  options: Pick<MeteringWriterOptions, "db" | "pool">,
  batch: readonly QueuedEvent[],
): Promise<number> {
  const unique = distinctEvents(batch);
  try {
    return await insertAndCount(options, unique);
  } catch (error) {
    if (!isNoPartition(error)) throw error;
    const times = unique.map((event) => event.occurredAt).sort();
    await options.db
      .$queryRaw`SELECT usage_events_create_partitions(${times[0]}::timestamp, ${times.at(-1)}::timestamp)`;
    return insertAndCount(options, unique);
  }
}

/** One event per (id, occurredAt), the first recorded (a caller may send the same id twice). */
function distinctEvents(batch: readonly QueuedEvent[]): readonly QueuedEvent[] {
  const seen = new Set<string>();
  const unique: QueuedEvent[] = [];
  for (const event of batch) {
    const key = `${event.id} ${event.occurredAt}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(event);
  }
  return unique.length === batch.length ? batch : unique;
}

function isNoPartition(error: unknown): boolean {
  const text = String(error instanceof Error ? `${error.message} ${inspect(error.cause)}` : error);
  return text.includes(NO_PARTITION) || /no partition of relation/i.test(text);
}

const insertedRow = z.object({ inserted: z.number().int() });

async function insertAndCount(
  { db, pool }: Pick<MeteringWriterOptions, "db" | "pool">,
  batch: readonly QueuedEvent[],
): Promise<number> {
  const columns = BATCH_COLUMNS.map((key) => batch.map((event) => event[key]));
  // One statement = one transaction: the counters move by exactly what was inserted.
  const rows = pool
    ? (await pool.query(INSERT_AND_COUNT_SQL, columns)).rows
    : await db.$queryRawUnsafe<unknown[]>(INSERT_AND_COUNT_SQL, ...columns);
  return rows[0] === undefined ? 0 : insertedRow.parse(rows[0]).inserted;
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

/**
 * Events ($1…$14, one array per column, no (id, occurred_at) twice: distinctEvents) →
 * usage_events, and usage_counters by what was new.
 */
export const INSERT_AND_COUNT_SQL = `
    WITH input AS (
      SELECT v.*
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
