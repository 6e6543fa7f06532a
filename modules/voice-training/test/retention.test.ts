// Audio retention per company on real PostgreSQL: the company's setting (admins; default
// PRACTICE_RETENTION_DAYS), and the purge that deletes recordings past it — batched,
// idempotent (again, or two at once, deletes nothing more), transcripts and feedback kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { voiceTrainingModule } from "../src/index.ts";
import { purgeExpiredRecordings } from "../src/retention.ts";
import { voiceJobs } from "../src/jobs.ts";
import {
  addMember,
  callerFor,
  createOrganization,
  createUser,
  scenarioFields,
  setPlan,
} from "./kit.ts";

const DAY = 86_400_000;
const NOW = new Date("2026-12-02T04:10:00Z");
const DEFAULT_DAYS = 30;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function company(name: string) {
  const owner = await createUser(db, `${name.toLowerCase()}@r.test`);
  const org = await createOrganization(db, owner, name);
  await setPlan(db, org.id, "team");
  const scenario = await callerFor(db, owner).practiceScenario.create({
    organizationId: org.id,
    ...scenarioFields,
  });
  /** An ended session with a transcript, feedback and a recording made `daysAgo` days ago. */
  const session = async (daysAgo: number) => {
    const createdAt = new Date(NOW.getTime() - daysAgo * DAY);
    const row = await db.system.practiceSession.create({
      data: { organizationId: org.id, scenarioId: scenario.id, userId: owner.id, status: "ENDED" },
    });
    await db.system.transcriptSegment.create({
      data: {
        organizationId: org.id,
        sessionId: row.id,
        seq: 0,
        speaker: "TRAINEE",
        text: "hello",
        startMs: 0,
        endMs: 500,
      },
    });
    await db.system.sessionFeedback.create({
      data: {
        organizationId: org.id,
        sessionId: row.id,
        revision: 1,
        analysisVersion: 1,
        provider: "offline",
        offline: true,
        talkTimeMs: 500,
        wordsPerMinute: 120,
        fillersPerMinute: 0,
        questions: 0,
        metrics: {},
        summary: "ok",
      },
    });
    await db.system.practiceRecording.create({
      data: {
        organizationId: org.id,
        sessionId: row.id,
        audio: Buffer.alloc(64),
        durationMs: 500,
        createdAt,
      },
    });
    return row.id;
  };
  return { owner, org, session };
}

const recordingsOf = async (sessionIds: string[]) =>
  (
    await db.system.practiceRecording.findMany({
      where: { sessionId: { in: sessionIds } },
      select: { sessionId: true },
    })
  )
    .map((r) => sessionIds.indexOf(r.sessionId))
    .sort();

describe("audio retention", () => {
  it("a company's setting: admins change it, members read it, null restores the default", async () => {
    const { owner, org } = await company("Settings");
    const member = await createUser(db, "member-settings@r.test");
    await addMember(db, org.id, member, "MEMBER");
    const organizationId = org.id;
    const asMember = callerFor(db, member);
    const asOwner = callerFor(db, owner, { now: () => NOW });

    expect(await asMember.practice.settings({ organizationId })).toEqual({
      recordingRetentionDays: 90, // PRACTICE_RETENTION_DAYS's default
      usesDefault: true,
      defaultRetentionDays: 90,
      updatedAt: null,
    });
    await expect(
      asMember.practice.updateSettings({ organizationId, recordingRetentionDays: 7 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The settings page's bounds (the same contract validates the form): 1 to 3650 whole days.
    for (const recordingRetentionDays of [0, -1, 3651, 7.5]) {
      await expect(
        asOwner.practice.updateSettings({ organizationId, recordingRetentionDays }),
        String(recordingRetentionDays),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await asMember.practice.settings({ organizationId })).toMatchObject({
      usesDefault: true,
    });
    expect(
      await asOwner.practice.updateSettings({ organizationId, recordingRetentionDays: 7 }),
    ).toMatchObject({ recordingRetentionDays: 7, usesDefault: false, updatedAt: NOW });
    expect(await asMember.practice.settings({ organizationId })).toMatchObject({
      recordingRetentionDays: 7,
    });
    const audit = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId, action: "practice.settings.updated" },
    });
    expect(audit.changes).toMatchObject({ recordingRetentionDays: { from: null, to: 7 } });
    expect(
      await asOwner.practice.updateSettings({ organizationId, recordingRetentionDays: null }),
    ).toMatchObject({ recordingRetentionDays: 90, usesDefault: true });
    // An admin (not only the owner) may change it; the bounds themselves are accepted.
    const admin = await createUser(db, "admin-settings@r.test");
    await addMember(db, org.id, admin, "ADMIN");
    for (const recordingRetentionDays of [1, 3650]) {
      expect(
        await callerFor(db, admin).practice.updateSettings({
          organizationId,
          recordingRetentionDays,
        }),
      ).toMatchObject({ recordingRetentionDays, usesDefault: false });
    }
  });

  it("deletes recordings past each company's retention, in batches, once", async () => {
    const short = await company("Short");
    const standard = await company("Standard");
    await callerFor(db, short.owner).practice.updateSettings({
      organizationId: short.org.id,
      recordingRetentionDays: 7,
    });
    // Short keeps 7 days, Standard the default (30 here).
    const shortSessions = [await short.session(3), await short.session(8), await short.session(20)];
    const standardSessions = [
      await standard.session(8),
      await standard.session(29),
      await standard.session(31),
      await standard.session(400),
    ];

    const first = await purgeExpiredRecordings(db.system, {
      now: NOW,
      defaultDays: DEFAULT_DAYS,
      batchSize: 2,
    });
    expect(first).toEqual({ deleted: 4, batches: 3 });
    expect(await recordingsOf(shortSessions)).toEqual([0]);
    expect(await recordingsOf(standardSessions)).toEqual([0, 1]);
    // Transcripts and feedback stay, with the sessions.
    const all = [...shortSessions, ...standardSessions];
    expect(await db.system.practiceSession.count({ where: { id: { in: all } } })).toBe(7);
    expect(await db.system.transcriptSegment.count({ where: { sessionId: { in: all } } })).toBe(7);
    expect(await db.system.sessionFeedback.count({ where: { sessionId: { in: all } } })).toBe(7);

    // Idempotent: again, and twice at once, nothing more goes.
    const again = await Promise.all([
      purgeExpiredRecordings(db.system, { now: NOW, defaultDays: DEFAULT_DAYS }),
      purgeExpiredRecordings(db.system, { now: NOW, defaultDays: DEFAULT_DAYS }),
    ]);
    expect(again.map((r) => r.deleted)).toEqual([0, 0]);

    // A day later the 29-day-old Standard recording is past 30 days.
    const later = await purgeExpiredRecordings(db.system, {
      now: new Date(NOW.getTime() + 1.5 * DAY),
      defaultDays: DEFAULT_DAYS,
    });
    expect(later.deleted).toBe(1);
    expect(await recordingsOf(standardSessions)).toEqual([0]);
  });

  it("is declared as the module's daily cron job", () => {
    expect(voiceTrainingModule.cron).toEqual([
      { job: voiceJobs.purgeRecordings, match: "10 4 * * *", maxAttempts: 3 },
    ]);
    expect(voiceTrainingModule.tenantModels).toContain("PracticeSettings");
  });
});
