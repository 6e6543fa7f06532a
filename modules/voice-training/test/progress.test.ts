// Progress over time (practice.progress) and the team view (practice.teamProgress) against
// seeded sessions and feedback: the figures are the seeded ones (latest revision, the period,
// the limit), a member reads only their own, an admin any member's, another company's user
// is NOT_FOUND.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import {
  addMember,
  callerFor,
  createOrganization,
  createUser,
  scenarioFields,
  setPlan,
} from "./kit.ts";

const DAY = 86_400_000;
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

interface Seed {
  daysAgo: number;
  status?: "ENDED" | "LIVE";
  minutes: number;
  /** Feedback revisions, oldest first: [score, wpm, fillers/min, talk ratio]. */
  feedback: [number | null, number, number, number | null][];
}

async function seedSession(organizationId: string, scenarioId: string, userId: string, seed: Seed) {
  const createdAt = new Date(Date.now() - seed.daysAgo * DAY);
  const ended = (seed.status ?? "ENDED") === "ENDED";
  const row = await db.system.practiceSession.create({
    data: {
      organizationId,
      scenarioId,
      userId,
      status: seed.status ?? "ENDED",
      minutesCharged: seed.minutes,
      createdAt,
      endedAt: ended ? new Date(createdAt.getTime() + 5 * 60_000) : null,
    },
  });
  for (const [index, [score, wpm, fillers, ratio]] of seed.feedback.entries()) {
    await db.system.sessionFeedback.create({
      data: {
        organizationId,
        sessionId: row.id,
        revision: index + 1,
        analysisVersion: 1,
        provider: "offline",
        offline: true,
        overallScore: score,
        talkTimeMs: 60_000,
        wordsPerMinute: wpm,
        fillersPerMinute: fillers,
        talkListenRatio: ratio,
        questions: 1,
        metrics: {},
        summary: "ok",
      },
    });
  }
  return {
    id: row.id,
    createdAt,
    endedAt: ended ? new Date(createdAt.getTime() + 5 * 60_000) : null,
  };
}

describe("practice progress", () => {
  it("charts a member's sessions and the admins' team view from the seeded figures", async () => {
    const owner = await createUser(db, "owner@progress.test");
    const member = await createUser(db, "member@progress.test");
    const org = await createOrganization(db, owner, "Progress Co");
    await setPlan(db, org.id, "team");
    await addMember(db, org.id, member, "MEMBER");
    const organizationId = org.id;
    const asOwner = callerFor(db, owner);
    const asMember = callerFor(db, member);
    const scenario = await asOwner.practiceScenario.create({ organizationId, ...scenarioFields });

    // Two revisions: the second (the latest) counts.
    const first = await seedSession(organizationId, scenario.id, member.id, {
      daysAgo: 10,
      minutes: 3,
      feedback: [
        [50, 100, 4, 1.5],
        [70, 120, 2, 1.2],
      ],
    });
    const second = await seedSession(organizationId, scenario.id, member.id, {
      daysAgo: 5,
      minutes: 2,
      feedback: [[90, 140, 1, 0.8]],
    });
    // Outside the 90 days: neither charted nor averaged.
    await seedSession(organizationId, scenario.id, member.id, {
      daysAgo: 200,
      minutes: 4,
      feedback: [[10, 60, 9, 3]],
    });
    // Still live: its minutes count, it is not a finished session.
    await seedSession(organizationId, scenario.id, member.id, {
      daysAgo: 1,
      status: "LIVE",
      minutes: 1,
      feedback: [],
    });

    const mine = await asMember.practice.progress({ organizationId });
    expect(mine.userId).toBe(member.id);
    expect(mine.days).toBe(90);
    expect(mine.truncated).toBe(false);
    expect(mine.points).toEqual([
      {
        sessionId: first.id,
        scenarioName: scenarioFields.name,
        date: first.endedAt,
        overallScore: 70,
        wordsPerMinute: 120,
        fillersPerMinute: 2,
        talkListenRatio: 1.2,
      },
      {
        sessionId: second.id,
        scenarioName: scenarioFields.name,
        date: second.endedAt,
        overallScore: 90,
        wordsPerMinute: 140,
        fillersPerMinute: 1,
        talkListenRatio: 0.8,
      },
    ]);
    // A longer period reaches the old session; a limit keeps the newest.
    expect((await asMember.practice.progress({ organizationId, days: 365 })).points).toHaveLength(
      3,
    );
    const newest = await asMember.practice.progress({ organizationId, limit: 1 });
    expect(newest.points.map((p) => p.sessionId)).toEqual([second.id]);
    expect(newest.truncated).toBe(true);
    // Naming oneself is the same.
    expect(
      (await asMember.practice.progress({ organizationId, userId: member.id })).points,
    ).toEqual(mine.points);

    // An admin reads the member's; the member cannot read the admin's.
    expect((await asOwner.practice.progress({ organizationId, userId: member.id })).points).toEqual(
      mine.points,
    );
    await expect(
      asMember.practice.progress({ organizationId, userId: owner.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asMember.practice.teamProgress({ organizationId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // Bad input is a 400.
    await expect(asMember.practice.progress({ organizationId, days: 0 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    const team = await asOwner.practice.teamProgress({ organizationId });
    expect(team.days).toBe(90);
    const byUser = new Map(team.members.map((row) => [row.userId, row]));
    expect(byUser.get(member.id)).toEqual({
      userId: member.id,
      name: "member",
      email: "member@progress.test",
      role: "MEMBER",
      sessions: 2,
      minutesUsed: 6,
      averageScore: 80,
      averageWordsPerMinute: 130,
      averageFillersPerMinute: 1.5,
      lastSessionAt: second.createdAt,
    });
    expect(byUser.get(owner.id)).toMatchObject({
      role: "OWNER",
      sessions: 0,
      minutesUsed: 0,
      averageScore: null,
      averageWordsPerMinute: null,
      averageFillersPerMinute: null,
      lastSessionAt: null,
    });
    expect(team.members).toHaveLength(2);
  });

  it("another company's user, or no member at all, is NOT_FOUND; its team is not ours", async () => {
    const ownerA = await createUser(db, "a@progress.test");
    const ownerB = await createUser(db, "b@progress.test");
    const orgA = await createOrganization(db, ownerA, "Progress A");
    const orgB = await createOrganization(db, ownerB, "Progress B");
    const scenarioB = await callerFor(db, ownerB).practiceScenario.create({
      organizationId: orgB.id,
      ...scenarioFields,
    });
    await seedSession(orgB.id, scenarioB.id, ownerB.id, {
      daysAgo: 2,
      minutes: 1,
      feedback: [[60, 110, 2, 1]],
    });
    const asA = callerFor(db, ownerA);
    await expect(
      asA.practice.progress({ organizationId: orgA.id, userId: ownerB.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      asA.practice.progress({ organizationId: orgA.id, userId: "cxxxxxxxxxxxxxxxxxxxxxxxx" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      asA.practice.progress({ organizationId: orgB.id, userId: ownerB.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const team = await asA.practice.teamProgress({ organizationId: orgA.id });
    expect(team.members.map((row) => row.userId)).toEqual([ownerA.id]);
    expect(team.members[0]).toMatchObject({ sessions: 0, minutesUsed: 0 });
  });
});
