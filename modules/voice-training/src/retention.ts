// Audio retention per company: recordings (the trainee's audio) are kept
// `recordingRetentionDays` days — the company's setting, else PRACTICE_RETENTION_DAYS — then
// deleted by the daily `voiceTraining.purgeRecordings` job. Transcripts, feedback and minutes
// stay. The purge is batched (one short statement per batch, oldest first) and idempotent: a
// second run, or two at once, deletes nothing more.
import { recordAudit } from "@plinth/core/audit";
import type { PrismaClient } from "@plinth/db";
import type { OrgScope } from "@plinth/platform";

export const RETENTION_DAYS_MAX = 3650;

/** The company's retention and whether it is the default. */
export async function practiceSettings(scope: OrgScope, defaultDays: number) {
  const row = await scope.db.client.practiceSettings.findUnique({
    where: { organizationId: scope.organization.id },
    select: { recordingRetentionDays: true, updatedAt: true },
  });
  const own = row?.recordingRetentionDays ?? null;
  return {
    recordingRetentionDays: own ?? defaultDays,
    usesDefault: own === null,
    defaultRetentionDays: defaultDays,
    /** When an admin last changed it (the scope's clock), or null: never. */
    updatedAt: row?.updatedAt ?? null,
  };
}

/** An admin sets the company's retention (null: back to the default). Audited. */
export async function updatePracticeSettings(
  scope: OrgScope,
  input: { recordingRetentionDays: number | null },
  defaultDays: number,
) {
  const organizationId = scope.organization.id;
  const updatedAt = scope.clock.now();
  await scope.db.transaction(async (tx) => {
    const before = await tx.practiceSettings.findUnique({
      where: { organizationId },
      select: { recordingRetentionDays: true },
    });
    await tx.practiceSettings.upsert({
      where: { organizationId },
      create: { organizationId, recordingRetentionDays: input.recordingRetentionDays, updatedAt },
      update: { recordingRetentionDays: input.recordingRetentionDays, updatedAt },
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "practice.settings.updated",
      targetType: "organization",
      targetId: organizationId,
      changes: {
        recordingRetentionDays: {
          from: before?.recordingRetentionDays ?? null,
          to: input.recordingRetentionDays,
        },
      },
    });
  });
  return practiceSettings(scope, defaultDays);
}

/**
 * Deletes every recording older than its company's retention at `now` (system client, across
 * companies), `batchSize` rows per statement. Returns how many went.
 */
export async function purgeExpiredRecordings(
  prisma: PrismaClient,
  options: { now: Date; defaultDays: number; batchSize?: number },
): Promise<{ deleted: number; batches: number }> {
  const batchSize = options.batchSize ?? 500;
  const nowMs = options.now.getTime();
  let deleted = 0;
  let batches = 0;
  for (;;) {
    const count = await prisma.$executeRaw`
      DELETE FROM practice_recordings WHERE id IN (
        SELECT r.id FROM practice_recordings r
        LEFT JOIN practice_settings s ON s.organization_id = r.organization_id
        WHERE r.created_at < to_timestamp(${nowMs}::double precision / 1000) AT TIME ZONE 'UTC'
          - make_interval(days => COALESCE(s.recording_retention_days, ${options.defaultDays}::int))
        ORDER BY r.created_at
        LIMIT ${batchSize}
        FOR UPDATE OF r SKIP LOCKED
      )`;
    batches += 1;
    deleted += count;
    if (count < batchSize) break;
  }
  return { deleted, batches };
}
