import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { installJobSchema } from "@plinth/jobs";
import {
  deliverEmail,
  parseEmailEnv,
  sendEmail,
  trialEnded,
  trialEndingSoon,
  type EmailTransport,
} from "../src/index.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.url);
});
afterAll(() => db.drop());

const emailJobs = () =>
  db.system.$queryRaw<{ payload: { emailId: string } }[]>`
    SELECT j.payload FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'email.send'`;

describe("sendEmail", () => {
  it("stores a QUEUED email and its email.send job together", async () => {
    const rendered = trialEndingSoon({
      organizationName: "Acme <b>",
      trialEndsAt: new Date(Date.now() + 2 * 86_400_000),
      billingUrl: "http://x/billing",
    });
    const { id } = await sendEmail(db.system, { to: "owner@example.com", ...rendered });
    expect(await db.system.email.findUnique({ where: { id } })).toMatchObject({
      status: "QUEUED",
      template: "trial-ending",
    });
    expect((await emailJobs()).map((job) => job.payload.emailId)).toContain(id);
    expect(rendered.html).toContain("Acme &lt;b&gt;");
    expect(rendered.text).toContain("Choose a plan: http://x/billing");
  });

  it("joins the caller's transaction: a rollback stores nothing", async () => {
    const before = [await db.system.email.count(), (await emailJobs()).length];
    await expect(
      db.system.$transaction(async (tx) => {
        await sendEmail(tx, {
          to: "a@example.com",
          ...trialEnded({ organizationName: "A", trialEndsAt: new Date(), billingUrl: "http://x" }),
        });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect([await db.system.email.count(), (await emailJobs()).length]).toEqual(before);
  });

  it("refuses an invalid address", async () => {
    await expect(
      sendEmail(db.system, { to: "nope", subject: "s", html: "h", text: "t", template: "x" }),
    ).rejects.toThrow();
  });
});

describe("deliverEmail", () => {
  it("marks the email SENT via the dev mailbox, once", async () => {
    const { id } = await sendEmail(db.system, {
      to: "b@example.com",
      subject: "Hi",
      html: "<p>Hi</p>",
      text: "Hi",
      template: "test",
    });
    expect(await deliverEmail(db.system, id)).toBe("sent");
    expect(await db.system.email.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "SENT",
      transport: "dev-mailbox",
    });
    expect(await deliverEmail(db.system, id)).toBe("already-sent");
    expect(await deliverEmail(db.system, "missing")).toBe("missing");
  });

  it("records transport errors, and FAILED on the final attempt", async () => {
    const broken: EmailTransport = {
      name: "smtp",
      send: () => Promise.reject(new Error("connection refused")),
    };
    const { id } = await sendEmail(db.system, {
      to: "c@example.com",
      subject: "Hi",
      html: "<p>Hi</p>",
      text: "Hi",
      template: "test",
    });
    await expect(deliverEmail(db.system, id, { transport: broken })).rejects.toThrow(
      "connection refused",
    );
    expect(await db.system.email.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "QUEUED",
      error: "connection refused",
    });
    await expect(
      deliverEmail(db.system, id, { transport: broken, isFinalAttempt: true }),
    ).rejects.toThrow();
    expect(await db.system.email.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "FAILED",
    });
  });
});

describe("env", () => {
  it("defaults to the dev mailbox and validates SMTP_URL", () => {
    expect(parseEmailEnv({}).SMTP_URL).toBeUndefined();
    expect(parseEmailEnv({ SMTP_URL: "" }).SMTP_URL).toBeUndefined();
    expect(() => parseEmailEnv({ SMTP_URL: "not a url" })).toThrow(/SMTP_URL/);
  });
});
