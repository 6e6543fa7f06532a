// "Request my data" end to end, against real PostgreSQL and the local data export store: the
// request records a QUEUED export and its job (one pending per user); the job's work builds a
// zip whose data.json holds every module's part and whose files hold the user's recording and
// transcript, and queues the email with the signed link; the link opens the zip for its owner
// only and not after its expiry; the cron expires it; erasing the account removes the exports
// and their zips.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@plinth/core/scope";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { asUserScope } from "@plinth/platform";
import { dataExportLinkInput } from "@plinth/platform/contracts";
import {
  buildDataExport,
  dataExportConfig,
  eraseDataExportFiles,
  openDataExport,
  purgeExpiredDataExports,
} from "@plinth/platform/data-exports";
import { createContext } from "@plinth/trpc";
import {
  callerFor,
  createOrganization,
  createUser,
  LOCAL_BILLING,
  product,
  silentLogger,
} from "./kit.ts";

const dir = mkdtempSync(path.join(tmpdir(), "plinth-data-exports-"));
process.env.DATA_EXPORTS_DIR = dir;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const AUDIO = new Uint8Array([82, 73, 70, 70, 1, 2, 3, 4, 87, 65, 86, 69, 9, 8, 7]);

function userScope(user: SessionUser, now = new Date()) {
  const { scope } = createContext({
    database: db,
    product,
    user,
    logger: silentLogger,
    billing: LOCAL_BILLING,
    clock: { now: () => now },
  });
  return asUserScope(scope);
}

/** The link's parts as the download route parses them. */
function linkInput(link: string) {
  const url = new URL(link);
  return dataExportLinkInput.parse({
    exportId: url.pathname.split("/").at(-1),
    expires: url.searchParams.get("expires"),
    signature: url.searchParams.get("signature"),
  });
}

async function seedUser(email: string) {
  const user = await createUser(db, email);
  const organization = await createOrganization(db, user, `${email} Works`);
  for (const module of product.modules) {
    const seed = module.demo;
    if (!seed || module.key === "api-catalog") continue;
    await db.system.$transaction((tx) =>
      seed(tx, { organizationId: organization.id, ownerId: user.id, names: ["Mine"] }),
    );
  }
  const scenario = await db.system.practiceScenario.findFirstOrThrow({
    where: { organizationId: organization.id },
  });
  const session = await db.system.practiceSession.create({
    data: { organizationId: organization.id, scenarioId: scenario.id, userId: user.id },
  });
  await db.system.practiceRecording.create({
    data: {
      organizationId: organization.id,
      sessionId: session.id,
      audio: AUDIO,
      durationMs: 1500,
    },
  });
  await db.system.transcriptSegment.createMany({
    data: [
      {
        organizationId: organization.id,
        sessionId: session.id,
        seq: 0,
        speaker: "TRAINEE",
        text: "Hello Dana",
        startMs: 0,
        endMs: 900,
      },
      {
        organizationId: organization.id,
        sessionId: session.id,
        seq: 1,
        speaker: "PROSPECT",
        text: "We have no budget",
        startMs: 61_000,
        endMs: 62_000,
      },
    ],
  });
  return { user, organization, session };
}

/** Jobs of `task` whose payload mentions `value`. */
const jobCount = async (task: string, value: string) => {
  const rows = await db.system.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM graphile_worker._private_jobs j
      JOIN graphile_worker._private_tasks t ON t.id = j.task_id
     WHERE t.identifier = ${task} AND j.payload::text LIKE ${`%${value}%`}`;
  return Number(rows[0]?.n ?? 0);
};

describe("request my data", () => {
  it("builds the zip (every module's data, the recording), emails the link, serves it to the owner only", async () => {
    const { user, session } = await seedUser("zip-owner@example.com");
    const other = await createUser(db, "zip-other@example.com");
    const me = callerFor(db, user);

    const requested = await me.account.requestDataExport();
    expect(requested).toMatchObject({ status: "QUEUED", readyAt: null, expiresAt: null });
    expect(await jobCount("account.dataExport", requested.id)).toBe(1);
    // One pending export per user: a typed 429, nothing recorded.
    await expect(me.account.requestDataExport()).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
    });
    expect(await db.system.dataExport.count({ where: { userId: user.id } })).toBe(1);

    const config = dataExportConfig();
    const builtAt = new Date();
    expect(await buildDataExport(db.system, product.modules, requested.id, config, builtAt)).toBe(
      "ready",
    );
    // A second run of the same job (a retry after a crash) builds nothing more.
    expect(await buildDataExport(db.system, product.modules, requested.id, config)).toBe("skipped");

    const row = await db.system.dataExport.findUniqueOrThrow({ where: { id: requested.id } });
    expect(row).toMatchObject({ status: "READY", storageKey: `${user.id}/${row.id}.zip` });
    expect(row.expiresAt?.getTime()).toBe(builtAt.getTime() + 7 * DAY);
    const stored = await config.store.get(row.storageKey ?? "");
    expect(stored?.bytes.byteLength).toBe(row.sizeBytes);

    const zip = unzipSync(stored?.bytes ?? new Uint8Array());
    const data = JSON.parse(strFromU8(zip["data.json"] ?? new Uint8Array())) as {
      modules: Record<string, Record<string, unknown>>;
    };
    const contributing = product.modules
      .filter((m) => m.gdpr.exportUser !== undefined)
      .map((m) => m.key);
    expect(Object.keys(data.modules).sort()).toEqual([...contributing].sort());
    expect(contributing).toEqual(
      expect.arrayContaining([
        "core",
        "teams",
        "projects",
        "ai-tasks",
        "hosting",
        "voice-training",
      ]),
    );
    expect(data.modules.core).toMatchObject({ profile: { email: "zip-owner@example.com" } });
    expect(data.modules.projects).toMatchObject({ projectsCreated: [{ name: "Mine" }] });
    expect(data.modules["voice-training"]).toMatchObject({
      practiceSessions: [{ id: session.id, segments: [{ text: "Hello Dana" }, {}] }],
    });
    const folder = `files/voice-training/practice-sessions/${session.id}`;
    expect(zip[`${folder}/recording.wav`]).toEqual(AUDIO);
    // data.json names the recording's file in the zip instead of repeating its audio.
    expect(data.modules["voice-training"]).toMatchObject({
      practiceSessions: [{ recording: { durationMs: 1500, file: `${folder}/recording.wav` } }],
    });
    expect(strFromU8(zip["data.json"] ?? new Uint8Array())).not.toContain(
      Buffer.from(AUDIO).toString("base64"),
    );
    expect(strFromU8(zip[`${folder}/transcript.txt`] ?? new Uint8Array())).toBe(
      "[0:00] trainee: Hello Dana\n[1:01] prospect: We have no budget\n",
    );
    expect(JSON.stringify(data)).not.toMatch(/passwordHash|sessionToken|tokenHash|keyHash/);

    // The email (queued with its delivery job) carries the signed link; so does the list.
    const email = await db.system.email.findFirstOrThrow({
      where: { to: "zip-owner@example.com", template: "data-export-ready" },
    });
    const link = /https?:\/\/\S+\/api\/account\/data-exports\/\S+/.exec(email.text)?.[0] ?? "";
    expect(link).toContain(`/api/account/data-exports/${row.id}?expires=`);
    expect(await jobCount("email.send", email.id)).toBe(1);
    const [listed] = await me.account.dataExports();
    expect(listed).toMatchObject({ id: row.id, status: "READY", downloadUrl: link });
    expect(Object.keys(listed ?? {})).not.toContain("storageKey");

    // The owner downloads; another user, a tampered link, or the owner after expiry cannot.
    const input = linkInput(link);
    const file = await openDataExport(userScope(user), input);
    expect(file.bytes).toEqual(stored?.bytes);
    expect(file.filename).toMatch(/^plinth-my-data-\d{4}-\d{2}-\d{2}\.zip$/);
    await expect(openDataExport(userScope(other), input)).rejects.toMatchObject({
      data: { code: "NOT_FOUND" },
    });
    const tampered = { ...input, expires: String(Number(input.expires) + 3600) };
    await expect(openDataExport(userScope(user), tampered)).rejects.toMatchObject({
      data: { code: "NOT_FOUND" },
    });
    const later = new Date(builtAt.getTime() + 7 * DAY + 1000);
    await expect(openDataExport(userScope(user, later), input)).rejects.toMatchObject({
      data: { code: "INVALID_STATE" },
    });

    // The cron deletes the zip and marks it EXPIRED; the list shows no link any more.
    expect(await purgeExpiredDataExports(db.system, config, later)).toBe(1);
    expect(await config.store.get(row.storageKey ?? "")).toBeNull();
    expect(await db.system.dataExport.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "EXPIRED",
      storageKey: null,
    });
    await expect(openDataExport(userScope(user), input)).rejects.toMatchObject({
      data: { code: "INVALID_STATE" },
    });
    const [after] = await me.account.dataExports();
    expect(after).toMatchObject({ status: "EXPIRED", downloadUrl: null });
    // Done with the last one: a new request is accepted.
    await expect(me.account.requestDataExport()).resolves.toMatchObject({ status: "QUEUED" });
  });

  it("retention: a recording already purged is not in the zip, its transcript is", async () => {
    const { user, session } = await seedUser("zip-retention@example.com");
    await db.system.practiceRecording.deleteMany({ where: { sessionId: session.id } });
    const requested = await callerFor(db, user).account.requestDataExport();
    const config = dataExportConfig();
    await buildDataExport(db.system, product.modules, requested.id, config);
    const row = await db.system.dataExport.findUniqueOrThrow({ where: { id: requested.id } });
    const zip = unzipSync(
      (await config.store.get(row.storageKey ?? ""))?.bytes ?? new Uint8Array(),
    );
    const files = Object.keys(zip).filter((name) => name.startsWith("files/"));
    expect(files).toEqual([`files/voice-training/practice-sessions/${session.id}/transcript.txt`]);
  });

  it("erasing the account removes its exports, and the job it enqueues deletes their zips", async () => {
    const { user, organization } = await seedUser("zip-leaver@example.com");
    await db.system.hostingWorkspace.updateMany({
      where: { organizationId: organization.id },
      data: { state: "DESTROYED", destroyedAt: new Date() },
    });
    const me = callerFor(db, user);
    const requested = await me.account.requestDataExport();
    const config = dataExportConfig();
    await buildDataExport(db.system, product.modules, requested.id, config);
    const { storageKey } = await db.system.dataExport.findUniqueOrThrow({
      where: { id: requested.id },
    });
    expect(await config.store.get(storageKey ?? "")).not.toBeNull();

    await me.account.deleteAccount({ confirmEmail: "zip-leaver@example.com" });
    expect(await db.system.dataExport.count({ where: { userId: user.id } })).toBe(0);
    const [job] = await db.system.$queryRaw<{ payload: { storageKeys: string[] } }[]>`
      SELECT j.payload FROM graphile_worker._private_jobs j
        JOIN graphile_worker._private_tasks t ON t.id = j.task_id
       WHERE t.identifier = 'account.dataExportErase' AND j.payload::text LIKE ${`%${user.id}%`}`;
    expect(job?.payload.storageKeys).toEqual([storageKey]);
    await eraseDataExportFiles(config, job?.payload.storageKeys ?? []);
    expect(await config.store.get(storageKey ?? "")).toBeNull();
  });
});
