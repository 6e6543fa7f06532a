// The token deltas of running tasks as ai_task_chunks rows. A task's first delta is written at
// once (time to first token is what its page shows); later deltas gather per task and every
// task's gathered text is written in one multi-row INSERT per `flushMs`, across all the tasks
// the worker runs (one statement instead of one per task). Whatever is left when the stream
// ends is handed to the caller (`finish`), which writes it with the task's completion.
// A task's rows commit in seq order (a reader resumes after the last seq it saw): its next
// batch is only joined once its previous write has committed.
import type { PrismaClient } from "@plinth/db";

export interface ChunkTarget {
  organizationId: string;
  taskId: string;
  attempt: number;
}

export interface ChunkRow extends ChunkTarget {
  seq: number;
  text: string;
}

interface Member {
  /** Takes the task's gathered text as its next row (null when there is none). */
  take(): ChunkRow | null;
  done(error?: unknown): void;
}

/** One multi-row INSERT every `flushMs` for every task that has gathered text. */
class ChunkBatcher {
  private members = new Set<Member>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly flushMs: number,
  ) {}

  join(member: Member) {
    this.members.add(member);
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Leaves before the next flush (the stream ended): true when it was still waiting. */
  leave(member: Member): boolean {
    return this.members.delete(member);
  }

  private async flush() {
    this.timer = undefined;
    const members = [...this.members];
    this.members.clear();
    const rows: ChunkRow[] = [];
    for (const member of members) {
      const row = member.take();
      if (row) rows.push(row);
    }
    let failure: unknown;
    if (rows.length > 0) {
      try {
        await this.prisma.aiTaskChunk.createMany({ data: rows });
      } catch (error) {
        failure = error ?? new Error("Writing chunks failed");
      }
    }
    for (const member of members) member.done(failure);
  }
}

const batchers = new WeakMap<PrismaClient, Map<number, ChunkBatcher>>();

function batcherFor(prisma: PrismaClient, flushMs: number): ChunkBatcher {
  let byInterval = batchers.get(prisma);
  if (!byInterval) batchers.set(prisma, (byInterval = new Map<number, ChunkBatcher>()));
  let batcher = byInterval.get(flushMs);
  if (!batcher) byInterval.set(flushMs, (batcher = new ChunkBatcher(prisma, flushMs)));
  return batcher;
}

/** The chunk writer of one attempt of one task; `lastSeq`: the task's highest seq so far. */
export function chunkWriter(
  prisma: PrismaClient,
  target: ChunkTarget,
  lastSeq: number,
  flushMs: number,
) {
  const batcher = batcherFor(prisma, flushMs);
  let seq = lastSeq;
  let pending = "";
  let wroteFirst = false;
  /** The task's writes, one after the other (the first row, then each batch it joined). */
  let chain: Promise<void> = Promise.resolve();
  /** A batch join is queued on the chain or waiting in the batcher. */
  let joined = false;
  /** In the batcher, waiting for its flush. */
  let member: Member | undefined;
  let finishing = false;
  let failure: unknown;
  let firstAt: number | undefined;

  const nextRow = (): ChunkRow | null => {
    if (!pending) return null;
    seq += 1;
    const row = { ...target, seq, text: pending };
    pending = "";
    return row;
  };

  const joinBatch = () =>
    new Promise<void>((resolve) => {
      if (finishing) {
        joined = false;
        return resolve(); // the rest goes with the completion
      }
      const self: Member = {
        take() {
          member = undefined;
          joined = false;
          return nextRow();
        },
        done(error) {
          if (member === self) member = undefined;
          if (error !== undefined) failure ??= error;
          resolve();
        },
      };
      member = self;
      batcher.join(self);
    });

  return {
    push(delta: string) {
      if (!delta) return;
      pending += delta;
      if (!wroteFirst) {
        wroteFirst = true;
        const row = nextRow();
        if (!row) return;
        chain = prisma.aiTaskChunk
          .create({ data: row, select: { id: true } })
          .then(() => {
            firstAt = performance.now();
          })
          .catch((error: unknown) => {
            failure ??= error;
          });
        return;
      }
      if (joined) return;
      joined = true;
      chain = chain.then(joinBatch);
    },
    /**
     * The stream ended: waits for the task's writes in flight and answers the text not yet
     * written as the next row (the caller writes it, with the task's completion), or null.
     * Throws if an earlier write failed.
     */
    async finish(): Promise<ChunkRow | null> {
      finishing = true;
      const waiting = member;
      if (waiting && batcher.leave(waiting)) {
        member = undefined;
        joined = false;
        waiting.done();
      }
      await chain;
      if (failure !== undefined) {
        throw failure instanceof Error
          ? failure
          : new Error("Writing chunks failed", { cause: failure });
      }
      return nextRow();
    },
    /** When the first chunk row was committed (performance.now()). */
    get firstChunkAt() {
      return firstAt;
    },
  };
}

export type ChunkWriter = ReturnType<typeof chunkWriter>;
