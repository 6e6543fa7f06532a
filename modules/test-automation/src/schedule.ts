// Scheduled suite runs. graphile-worker's cron fires testAutomation.scheduleTick every minute
// with the minute it stands for (`_cron.ts`); each suite whose cron expression matches that
// minute gets one run: the conditional update of lastScheduledFor lets exactly one tick per
// period through, however often the tick itself runs (retries, two workers, backfill).
import type { PrismaClient } from "@plinth/db";
import { recordUsage } from "@plinth/billing/usage";
import { parseCronItem, type TimestampDigest } from "graphile-worker";
import { loadRunTarget, queueTestRun } from "./runs.ts";

export function digest(ts: Date): TimestampDigest {
  return {
    min: ts.getUTCMinutes(),
    hour: ts.getUTCHours(),
    date: ts.getUTCDate(),
    month: ts.getUTCMonth() + 1,
    dow: ts.getUTCDay(),
  };
}

/** Whether a five-field cron expression (UTC) matches the minute `ts` falls in. */
export function cronMatches(expression: string, ts: Date): boolean {
  try {
    return parseCronItem({ task: "testAutomation.scheduleTick", match: expression }).match(
      digest(ts),
    );
  } catch {
    return false;
  }
}

export interface ScheduleOutcome {
  started: string[];
  skipped: { suiteId: string; reason: string }[];
}

/** Starts the runs due in the minute of `ts` (system work: every organization's suites). */
export async function runDueSchedules(prisma: PrismaClient, ts: Date): Promise<ScheduleOutcome> {
  const period = new Date(Math.floor(ts.getTime() / 60_000) * 60_000);
  const suites = await prisma.testSuite.findMany({
    where: { schedule: { not: null }, scheduleEnvironmentId: { not: null } },
    select: { id: true, organizationId: true, schedule: true, scheduleEnvironmentId: true },
  });
  const outcome: ScheduleOutcome = { started: [], skipped: [] };
  for (const suite of suites) {
    if (!suite.schedule || !suite.scheduleEnvironmentId) continue;
    if (!cronMatches(suite.schedule, period)) continue;
    try {
      const started = await prisma.$transaction(async (tx) => {
        const claimed = await tx.testSuite.updateMany({
          where: {
            id: suite.id,
            OR: [{ lastScheduledFor: null }, { lastScheduledFor: { lt: period } }],
          },
          data: { lastScheduledFor: period },
        });
        if (claimed.count === 0) return null; // this period already has its run
        const request = {
          organizationId: suite.organizationId,
          suiteId: suite.id,
          environmentId: suite.scheduleEnvironmentId ?? "",
          trigger: "SCHEDULE" as const,
          reference: `schedule ${period.toISOString()}`,
        };
        const target = await loadRunTarget(tx, request);
        const testRun = await queueTestRun(tx, request, target);
        await recordUsage(tx, {
          organizationId: suite.organizationId,
          meter: "test.runs",
          quantity: 1,
        });
        return testRun.id;
      });
      if (started) outcome.started.push(started);
    } catch (error) {
      outcome.skipped.push({
        suiteId: suite.id,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return outcome;
}
