// Cancellation requests of running tasks, polled for all of them at once: one query per
// `pollMs` for every task the worker is running (instead of one per task), while any runs.
import type { PrismaClient } from "@plinth/db";

type OnCancel = () => void;

class CancelWatch {
  private readonly watched = new Map<string, OnCancel>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly pollMs: number,
  ) {}

  watch(taskId: string, onCancel: OnCancel): () => void {
    this.watched.set(taskId, onCancel);
    this.timer ??= setInterval(() => void this.poll(), this.pollMs);
    return () => {
      if (this.watched.get(taskId) === onCancel) this.watched.delete(taskId);
      if (this.watched.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  private async poll() {
    if (this.polling || this.watched.size === 0) return; // the previous poll is still out
    this.polling = true;
    try {
      const rows = await this.prisma.aiTask.findMany({
        where: { id: { in: [...this.watched.keys()] }, cancelRequestedAt: { not: null } },
        select: { id: true },
      });
      for (const row of rows) this.watched.get(row.id)?.();
    } catch {
      // The next poll tries again; a task whose cancel is missed finishes normally.
    } finally {
      this.polling = false;
    }
  }
}

const watches = new WeakMap<PrismaClient, Map<number, CancelWatch>>();

/** Calls `onCancel` once the task's cancellation is requested; the answer stops watching. */
export function watchCancellation(
  prisma: PrismaClient,
  taskId: string,
  pollMs: number,
  onCancel: OnCancel,
): () => void {
  let byInterval = watches.get(prisma);
  if (!byInterval) watches.set(prisma, (byInterval = new Map<number, CancelWatch>()));
  let watch = byInterval.get(pollMs);
  if (!watch) byInterval.set(pollMs, (watch = new CancelWatch(prisma, pollMs)));
  return watch.watch(taskId, onCancel);
}
