// The practice procedures without the socket: who may write scenarios, who sees which
// sessions, the minutes check at the start, the rubric refused when malformed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { RECORDING_CONSENT_VERSION } from "@plinth/platform/contracts";
import {
  addMember,
  callerFor,
  consentToRecording,
  createOrganization,
  createUser,
  scenarioFields,
  setPlan,
} from "./kit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe("practice procedures", () => {
  it("admins write scenarios, members start sessions and see only their own", async () => {
    const owner = await createUser(db, "owner@p.test");
    const member = await createUser(db, "member@p.test");
    const org = await createOrganization(db, owner, "Practice Co");
    await setPlan(db, org.id, "team");
    await addMember(db, org.id, member, "MEMBER");
    const asOwner = callerFor(db, owner);
    const asMember = callerFor(db, member);
    const organizationId = org.id;

    await expect(
      asMember.practiceScenario.create({ organizationId, ...scenarioFields }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const scenario = await asOwner.practiceScenario.create({ organizationId, ...scenarioFields });
    expect(scenario.rubric.skills.map((skill) => skill.weight)).toEqual([2, 1]);
    await expect(
      asOwner.practiceScenario.create({ organizationId, ...scenarioFields }),
    ).rejects.toMatchObject({ code: "CONFLICT" });

    await consentToRecording(db, member);
    await consentToRecording(db, owner);
    const mine = await asMember.practice.start({ organizationId, scenarioId: scenario.id });
    expect(mine.ticket).toMatch(/^vt1\./);
    const theirs = await asOwner.practice.start({ organizationId, scenarioId: scenario.id });
    expect((await asMember.practice.list({ organizationId, who: "all" })).map((s) => s.id)).toEqual(
      [mine.sessionId],
    );
    await expect(
      asMember.practice.get({ organizationId, sessionId: theirs.sessionId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Admins see everyone's (the team view).
    expect(await asOwner.practice.list({ organizationId, who: "all" })).toHaveLength(2);
    // The ticket's hash never leaves the server.
    const detail = await asOwner.practice.get({ organizationId, sessionId: mine.sessionId });
    expect(JSON.stringify(detail)).not.toContain("ticket");

    // An archived scenario cannot be started.
    await asOwner.practiceScenario.archive({ organizationId, scenarioId: scenario.id });
    await expect(
      asMember.practice.start({ organizationId, scenarioId: scenario.id }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("refuses a start without the current recording consent: 412, nothing written", async () => {
    const owner = await createUser(db, "noconsent@p.test");
    const org = await createOrganization(db, owner, "Consent Co");
    await setPlan(db, org.id, "team");
    const api = callerFor(db, owner);
    const organizationId = org.id;
    const scenario = await api.practiceScenario.create({ organizationId, ...scenarioFields });
    const refusal = () =>
      api.practice.start({ organizationId, scenarioId: scenario.id }).then(
        () => null,
        (error: unknown) => error as { code?: string; cause?: { data?: unknown } },
      );
    const written = async () => ({
      sessions: await db.system.practiceSession.count({ where: { organizationId } }),
      ledger: await db.system.minuteLedgerEntry.count({ where: { organizationId } }),
      counters: await db.system.usageCounter.count({ where: { organizationId } }),
      started: await db.system.auditLog.count({
        where: { organizationId, action: "practice.session.started" },
      }),
    });
    const before = await written();

    const error = await refusal();
    expect(error?.code).toBe("PRECONDITION_FAILED");
    expect(error?.cause?.data).toEqual({
      code: "CONSENT_REQUIRED",
      kind: "RECORDING",
      version: RECORDING_CONSENT_VERSION,
    });
    // Granted, then withdrawn: the newest answer counts.
    await consentToRecording(db, owner);
    await api.account.recordConsent({
      kind: "RECORDING",
      version: RECORDING_CONSENT_VERSION,
      granted: false,
    });
    expect((await refusal())?.cause?.data).toMatchObject({ code: "CONSENT_REQUIRED" });
    expect(await written()).toEqual(before);

    await consentToRecording(db, owner);
    const started = await api.practice.start({ organizationId, scenarioId: scenario.id });
    expect(started.ticket).toMatch(/^vt1\./);
  });

  it("a used-up trial pool refuses the start with the upgrade offer", async () => {
    const owner = await createUser(db, "trial@p.test");
    const org = await createOrganization(db, owner, "Trial Practice Co");
    const api = callerFor(db, owner);
    const scenario = await api.practiceScenario.create({
      organizationId: org.id,
      ...scenarioFields,
    });
    await consentToRecording(db, owner);
    const { periodStart } = await api.billing.overview({ organizationId: org.id });
    await db.system.usageCounter.create({
      data: { organizationId: org.id, meter: "session.minutes", periodStart, quantity: 30 },
    });
    const refused = await api.practice
      .start({ organizationId: org.id, scenarioId: scenario.id })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect((refused as { cause?: { data?: unknown } }).cause?.data).toMatchObject({
      code: "QUOTA_EXCEEDED",
      meter: "session.minutes",
      used: 30,
      included: 30,
      upgrade: { planKey: "metered" },
    });
  });
});
