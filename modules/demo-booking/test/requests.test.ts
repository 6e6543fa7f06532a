// The built-in form's procedure over HTTP (the web app's tRPC handler) against real PostgreSQL:
// a request stores a REQUESTED booking and exactly two outbox emails (operator, requester)
// with their email.send jobs, in one transaction; a client IP past the limit gets 429; bad
// input is a typed 400 that changes nothing. Then the operator's list, and the GDPR hooks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { jobs } from "@plinth/jobs";
import { demoBookingModule } from "../src/index.ts";
import { demoBookingEnv } from "../src/env.ts";
import { DEMO_REQUESTS_PER_IP } from "../src/service.ts";
import { callerFor, createUser, httpCall } from "./kit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const REQUEST = {
  name: "  Ana Prospect ",
  email: "Ana@Prospect.example",
  company: "Prospect GmbH",
  message: "Our SDRs <b>need</b> practice",
};

const request = (body: unknown, ip: string) =>
  httpCall(db, { path: "demoBooking.request", type: "mutation", body, ip });

async function snapshot() {
  return {
    bookings: await db.system.demoBooking.findMany({ orderBy: { id: "asc" } }),
    emails: await db.system.email.findMany({ orderBy: { id: "asc" } }),
    jobs: await emailJobs(),
  };
}

function emailJobs() {
  return db.system.$queryRaw<{ email_id: string }[]>`
    SELECT j.payload->>'emailId' AS email_id
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${jobs.emailSend.name}
    ORDER BY j.id`;
}

describe("demoBooking.request", () => {
  it("stores a REQUESTED booking and enqueues exactly two emails: the operator's and the requester's", async () => {
    const before = await snapshot();
    const answer = await request(REQUEST, "198.51.100.1");
    expect(answer.status).toBe(200);
    const after = await snapshot();
    const booking = after.bookings.find((row) => !before.bookings.some((b) => b.id === row.id));
    expect(booking).toMatchObject({
      source: "FORM",
      status: "REQUESTED",
      name: "Ana Prospect",
      email: "ana@prospect.example",
      company: "Prospect GmbH",
      notes: "Our SDRs <b>need</b> practice",
      scheduledStart: null,
      calendlyInviteeUri: null,
    });
    expect(answer.text).toContain(booking?.id);
    const emails = after.emails.slice(before.emails.length);
    expect(emails.map((email) => [email.to, email.template, email.status]).sort()).toEqual([
      ["ana@prospect.example", "demo-request-confirmation", "QUEUED"],
      [demoBookingEnv().DEMO_BOOKING_NOTIFY_EMAIL, "demo-request-operator", "QUEUED"],
    ]);
    // The public's text is escaped in the HTML part.
    const operator = emails.find((email) => email.template === "demo-request-operator");
    expect(operator?.html).toContain("&lt;b&gt;need&lt;/b&gt;");
    expect(operator?.html).toContain("/admin/demo-bookings");
    // One delivery job per email, through the outbox (nothing sent inline).
    expect(
      after.jobs
        .slice(before.jobs.length)
        .map((job) => job.email_id)
        .sort(),
    ).toEqual(emails.map((email) => email.id).sort());
  });

  it(`refuses a client IP's request past ${DEMO_REQUESTS_PER_IP.limit} an hour with 429, storing nothing more`, async () => {
    const ip = "198.51.100.2";
    for (let i = 0; i < DEMO_REQUESTS_PER_IP.limit; i++) {
      expect((await request({ ...REQUEST, email: `n${i}@prospect.example` }, ip)).status).toBe(200);
    }
    const before = await snapshot();
    const refused = await request({ ...REQUEST, email: "one-more@prospect.example" }, ip);
    expect(refused.status).toBe(429);
    expect(refused.json.error?.json.data.appError?.code).toBe("RATE_LIMITED");
    expect(await snapshot()).toEqual(before);
    // Another client is not affected.
    expect((await request(REQUEST, "198.51.100.3")).status).toBe(200);
  });

  it.each([
    ["no name", { ...REQUEST, name: "   " }, "name"],
    ["a malformed email", { ...REQUEST, email: "not-an-email" }, "email"],
    ["a NUL in the message", { ...REQUEST, message: "a\0b" }, "message"],
    ["a name over 120 characters", { ...REQUEST, name: "x".repeat(121) }, "name"],
    ["a message over 2000 characters", { ...REQUEST, message: "x".repeat(2001) }, "message"],
    ["a number for the company", { ...REQUEST, company: 42 }, "company"],
  ])("%s: a typed 400 naming the field, nothing stored", async (_what, body, field) => {
    const before = await snapshot();
    const answer = await request(body, "198.51.100.4");
    expect(answer.status).toBe(400);
    expect(answer.json.error?.json.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(answer.json.error?.json.data.fieldErrors ?? {})).toContain(field);
    expect(answer.text).not.toMatch(/prisma|INSERT INTO|SELECT /i);
    expect(await snapshot()).toEqual(before);
  });

  it("bad input does not use up the client's requests", async () => {
    const ip = "198.51.100.5";
    for (let i = 0; i < DEMO_REQUESTS_PER_IP.limit + 2; i++) {
      expect((await request({ ...REQUEST, email: "bad" }, ip)).status).toBe(400);
    }
    expect((await request(REQUEST, ip)).status).toBe(200);
  });
});

describe("demoBooking.list (operator console)", () => {
  it("answers platform admins, newest first, a page at a time, without the Calendly payload", async () => {
    const admin = await createUser(db, "operator@plinth.test", { platformRole: "SUPER_ADMIN" });
    await db.system.demoBooking.create({
      data: {
        source: "CALENDLY",
        status: "SCHEDULED",
        name: "Cal Endly",
        email: "cal@prospect.example",
        calendlyInviteeUri: "https://api.calendly.com/scheduled_events/X/invitees/Y",
        payload: { payload: { cancel_url: "https://calendly.com/cancellations/SECRET-LINK" } },
      },
    });
    const all = await db.system.demoBooking.findMany({
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    const caller = callerFor(db, admin);
    const first = await caller.demoBooking.list({ limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual(all.slice(0, 2).map((row) => row.id));
    expect(first.nextCursor).toBe(all[1]?.id);
    const second = await caller.demoBooking.list({ limit: 100, cursor: first.nextCursor ?? "" });
    expect(second.items.map((item) => item.id)).toEqual(all.slice(2).map((row) => row.id));
    expect(second.nextCursor).toBeNull();
    expect(JSON.stringify([first, second])).not.toContain("SECRET-LINK");
    expect(Object.keys(first.items[0] ?? {})).not.toContain("payload");
  });

  it("refuses everyone else: signed out UNAUTHORIZED, a user FORBIDDEN", async () => {
    const user = await createUser(db, "member@plinth.test");
    await expect(callerFor(db, null).demoBooking.list({})).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(callerFor(db, user).demoBooking.list({})).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("personal data", () => {
  it("a user's export holds the bookings made with their address; deleting them erases those", async () => {
    const user = await createUser(db, "ana@prospect.example");
    const { gdpr } = demoBookingModule;
    const exported = await db.system.$transaction((tx) => gdpr.exportUser!(tx, user.id));
    const mine = await db.system.demoBooking.count({ where: { email: "ana@prospect.example" } });
    expect(mine).toBeGreaterThan(0);
    expect((exported.demoBookings as { email: string }[]).map((b) => b.email)).toEqual(
      Array.from({ length: mine }, () => "ana@prospect.example"),
    );
    const others = await db.system.demoBooking.count({ where: { NOT: { email: user.email } } });
    await db.system.$transaction((tx) => gdpr.deleteUser!(tx, user.id));
    expect(await db.system.demoBooking.count({ where: { email: user.email } })).toBe(0);
    expect(await db.system.demoBooking.count()).toBe(others);
  });
});
