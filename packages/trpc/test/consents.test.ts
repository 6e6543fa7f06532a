// Consent records through the account router on real PostgreSQL: append-only rows with the
// scope's time and IP, the latest answer per kind against the versions in force, only the
// current text accepted, the core's GDPR export, and erasure (account deletion) removing them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { coreModule } from "@plinth/platform";
import {
  CONSENT_VERSIONS,
  MARKETING_CONSENT_VERSION,
  RECORDING_CONSENT_VERSION,
} from "@plinth/platform/contracts";
import { callerFor, createUser } from "./kit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const at = (iso: string) => () => new Date(iso);

describe("consent records", () => {
  it("appends each answer with time and IP; the newest per kind counts", async () => {
    const user = await createUser(db, "consent@c.test");
    const first = callerFor(db, user, { now: at("2026-12-01T10:00:00Z"), ip: "198.51.100.4" });
    const later = callerFor(db, user, { now: at("2026-12-02T10:00:00Z"), ip: null });

    const none = await first.account.consents();
    expect(none.map((c) => [c.kind, c.currentVersion, c.latest, c.valid])).toEqual([
      ["TERMS", CONSENT_VERSIONS.TERMS, null, false],
      ["RECORDING", RECORDING_CONSENT_VERSION, null, false],
      ["MARKETING", MARKETING_CONSENT_VERSION, null, false],
    ]);

    const granted = await first.account.recordConsent({
      kind: "RECORDING",
      version: RECORDING_CONSENT_VERSION,
      granted: true,
    });
    expect(granted).toMatchObject({ kind: "RECORDING", valid: true });
    await first.account.recordConsent({
      kind: "MARKETING",
      version: MARKETING_CONSENT_VERSION,
      granted: true,
    });
    await later.account.recordConsent({
      kind: "MARKETING",
      version: MARKETING_CONSENT_VERSION,
      granted: false,
    });

    const now = await later.account.consents();
    const byKind = Object.fromEntries(now.map((c) => [c.kind, c]));
    expect(byKind.RECORDING).toMatchObject({
      valid: true,
      latest: { version: RECORDING_CONSENT_VERSION, granted: true },
    });
    expect(byKind.RECORDING?.latest?.recordedAt.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    expect(byKind.MARKETING).toMatchObject({ valid: false, latest: { granted: false } });

    // Append-only: three rows, the IP where the request had one; an UPDATE is refused.
    const rows = await db.system.consentRecord.findMany({
      where: { userId: user.id },
      orderBy: { recordedAt: "asc" },
    });
    expect(rows.map((r) => [r.kind, r.granted, r.ipAddress])).toEqual([
      ["RECORDING", true, "198.51.100.4"],
      ["MARKETING", true, "198.51.100.4"],
      ["MARKETING", false, null],
    ]);
    await expect(
      db.system.consentRecord.update({ where: { id: rows[0]!.id }, data: { granted: false } }),
    ).rejects.toThrow(/append-only/);
    // The request role (RLS, no policy) sees no consent row at all.
    expect(await db.app.consentRecord.count()).toBe(0);

    // Each answer is on the user's account activity.
    const activity = await later.account.activity();
    expect(activity.map((a) => a.action)).toEqual(
      expect.arrayContaining(["user.consent_granted", "user.consent_withdrawn"]),
    );
  });

  it("accepts only the current version of a text (INVALID_INPUT otherwise)", async () => {
    const user = await createUser(db, "old-text@c.test");
    const error = await callerFor(db, user)
      .account.recordConsent({ kind: "RECORDING", version: "2020-01-01", granted: true })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect((error as { cause?: { data?: unknown } }).cause?.data).toMatchObject({
      code: "INVALID_INPUT",
      field: "version",
    });
    expect(await db.system.consentRecord.count({ where: { userId: user.id } })).toBe(0);
  });

  it("are in the core's user export, and erasure removes them", async () => {
    const user = await createUser(db, "gdpr@c.test");
    const other = await createUser(db, "bystander@c.test");
    for (const who of [user, other]) {
      await callerFor(db, who).account.recordConsent({
        kind: "RECORDING",
        version: RECORDING_CONSENT_VERSION,
        granted: true,
      });
    }
    const exported = await db.system.$transaction((tx) => coreModule.gdpr.exportUser!(tx, user.id));
    expect(exported).toMatchObject({
      consents: [
        {
          kind: "RECORDING",
          version: RECORDING_CONSENT_VERSION,
          granted: true,
          ipAddress: "203.0.113.7",
        },
      ],
    });

    // Account deletion (the user is the only member of nothing): the rows go, others' stay.
    await callerFor(db, user).account.deleteAccount({ confirmEmail: user.email });
    expect(await db.system.consentRecord.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.system.consentRecord.count({ where: { userId: other.id } })).toBe(1);

    // The hook itself (a GDPR runner calling every module's deleteUser) does the same.
    await db.system.$transaction((tx) => coreModule.gdpr.deleteUser!(tx, other.id));
    expect(await db.system.consentRecord.count({ where: { userId: other.id } })).toBe(0);
  });
});
