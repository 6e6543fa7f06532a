// Cron jobs through a real worker: trial reminders go out exactly once per organization and
// event even when the job runs repeatedly or concurrently; expired tokens are purged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { enqueueSystem, installJobSchema, jobs } from "@plinth/jobs";
import { parseCronItems } from "graphile-worker";
import { activeProduct } from "@plinth/product";
import { cronSchedule } from "../src/worker.ts";
import { queueRows, startTestWorker, waitFor, type TestWorker } from "./helpers.ts";

let db: TestDatabase;
let worker: TestWorker;
const DAY = 86_400_000;

beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.url);
  worker = await startTestWorker(db, { concurrency: 3 });
});
afterAll(async () => {
  await worker.stop();
  await db.drop();
});

async function runJobAndWait(times: number) {
  await Promise.all(
    Array.from({ length: times }, () => enqueueSystem(db.system, jobs.trialReminders, {})),
  );
  await waitFor(async () => (await queueRows(db.system)).length === 0, { what: "queue to drain" });
}

describe("cron.trialReminders", () => {
  it("emails every owner once per event, however often it runs", async () => {
    const now = Date.now();
    const user = (email: string) => db.system.user.create({ data: { email } });
    const [owner1, owner2, member, owner3, owner4, owner5] = await Promise.all(
      ["o1@a.test", "o2@a.test", "m@a.test", "o3@b.test", "o4@c.test", "o5@d.test"].map(user),
    );
    const org = (slug: string, trialEndsAt: Date) =>
      db.system.organization.create({ data: { name: slug.toUpperCase(), slug, trialEndsAt } });
    const ending = await org("ending", new Date(now + 2 * DAY));
    const ended = await org("ended", new Date(now - DAY));
    const paid = await org("paid", new Date(now + 2 * DAY));
    const later = await org("later", new Date(now + 10 * DAY));
    await db.system.subscription.createMany({
      data: [
        { organizationId: ended.id, planKey: "trial", status: "TRIALING" },
        { organizationId: paid.id, planKey: "pro", status: "ACTIVE" },
      ],
    });
    await db.system.membership.createMany({
      data: [
        { organizationId: ending.id, userId: owner1!.id, role: "OWNER" },
        { organizationId: ending.id, userId: owner2!.id, role: "OWNER" },
        { organizationId: ending.id, userId: member!.id, role: "MEMBER" },
        { organizationId: ended.id, userId: owner3!.id, role: "OWNER" },
        { organizationId: paid.id, userId: owner4!.id, role: "OWNER" },
        { organizationId: later.id, userId: owner5!.id, role: "OWNER" },
      ],
    });

    await runJobAndWait(1);
    await runJobAndWait(3); // again, and three at once

    const emails = await db.system.email.findMany({ orderBy: { to: "asc" } });
    expect(emails.map((e) => [e.to, e.template])).toEqual([
      ["o1@a.test", "trial-ending"],
      ["o2@a.test", "trial-ending"],
      ["o3@b.test", "trial-ended"],
    ]);
    await waitFor(async () => (await db.system.email.count({ where: { status: "SENT" } })) === 3, {
      what: "emails sent",
    });
    expect(emails[0]?.subject).toBe("Your ENDING trial ends in 2 days");
    expect(emails[0]?.text).toContain("http://localhost:3000/o/ending/billing");

    const notifications = await db.system.organizationNotification.findMany({
      orderBy: { kind: "asc" },
    });
    expect(notifications.map((n) => [n.organizationId, n.kind, n.eventKey])).toEqual([
      [ended.id, "trial-ended", ended.trialEndsAt!.toISOString().slice(0, 10)],
      [ending.id, "trial-ending", ending.trialEndsAt!.toISOString().slice(0, 10)],
    ]);

    // When the trial is over, the same organization gets the "ended" email once as well.
    await db.system.organization.update({
      where: { id: ending.id },
      data: { trialEndsAt: new Date(Date.now() - 1000) },
    });
    await runJobAndWait(2);
    expect(await db.system.email.count({ where: { template: "trial-ended" } })).toBe(3);
  });
});

describe("cron.purgeExpiredTokens and teams.purgeExpiredInvitations", () => {
  it("deletes expired unaccepted invitations and expired tokens only", async () => {
    const now = Date.now();
    const organization = await db.system.organization.create({
      data: { name: "P", slug: "purge" },
    });
    const user = await db.system.user.create({ data: { email: "p@p.test" } });
    const invite = (tokenHash: string, expiresAt: Date, acceptedAt: Date | null = null) =>
      db.system.invitation.create({
        data: {
          organizationId: organization.id,
          email: "x@p.test",
          tokenHash,
          expiresAt,
          acceptedAt,
        },
      });
    await invite("expired", new Date(now - DAY));
    await invite("accepted", new Date(now - DAY), new Date(now - 2 * DAY));
    await invite("valid", new Date(now + DAY));
    await db.system.userToken.createMany({
      data: [
        {
          userId: user.id,
          purpose: "PASSWORD_RESET",
          tokenHash: "ut-old",
          expiresAt: new Date(now - 1000),
        },
        {
          userId: user.id,
          purpose: "EMAIL_VERIFICATION",
          tokenHash: "ut-new",
          expiresAt: new Date(now + DAY),
        },
      ],
    });
    await db.system.verificationToken.createMany({
      data: [
        { identifier: "a", token: "vt-old", expires: new Date(now - 1000) },
        { identifier: "a", token: "vt-new", expires: new Date(now + DAY) },
      ],
    });

    // Tokens are core's; invitations the teams module's (its own job, on the same night).
    await enqueueSystem(db.system, jobs.purgeExpiredTokens, {});
    const purgeInvitations = activeProduct().jobs.find(
      (job) => job.name === "teams.purgeExpiredInvitations",
    );
    if (!purgeInvitations) throw new Error("the demo product has the teams module");
    await enqueueSystem(db.system, purgeInvitations, {});
    await waitFor(async () => (await queueRows(db.system)).length === 0, { what: "purge jobs" });

    expect(
      (await db.system.invitation.findMany({ orderBy: { tokenHash: "asc" } })).map(
        (i) => i.tokenHash,
      ),
    ).toEqual(["accepted", "valid"]);
    expect((await db.system.userToken.findMany()).map((t) => t.tokenHash)).toEqual(["ut-new"]);
    expect((await db.system.verificationToken.findMany()).map((t) => t.token)).toEqual(["vt-new"]);
  });
});

it("schedules trial reminders and the data export purge hourly, the token purge daily, and graphile-worker accepts the schedule", () => {
  const schedule = cronSchedule(activeProduct().cron);
  expect(schedule.map((item) => [item.task, item.match])).toEqual([
    ["cron.trialReminders", "0 * * * *"],
    ["cron.purgeExpiredTokens", "30 3 * * *"],
    ["billing.reconcile", "15 * * * *"],
    ["billing.reportUsage", "*/10 * * * *"],
    ["billing.dunning", "45 * * * *"],
    ["usage.rollup", "* * * * *"],
    ["usage.partitions", "20 2 * * *"],
    ["cron.purgeDataExports", "40 * * * *"],
    ["teams.purgeExpiredInvitations", "40 3 * * *"],
    ["testAutomation.scheduleTick", "* * * * *"],
    ["voiceTraining.purgeRecordings", "10 4 * * *"],
    ["hosting.syncAccess", "*/5 * * * *"],
    ["hosting.checkDomains", "*/10 * * * *"],
  ]);
  expect(parseCronItems(schedule)).toHaveLength(schedule.length);
});
