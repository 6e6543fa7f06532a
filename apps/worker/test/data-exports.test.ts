// Data exports through the real worker: `account.dataExport` builds the zip into the store,
// marks the export READY and queues the email with its link; an export of an account deleted
// meanwhile becomes FAILED (nothing built); `account.dataExportErase` deletes zips.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { enqueueSystem, installJobSchema, jobs } from "@plinth/jobs";
import { parsePlatformEnv } from "@plinth/platform/env";
import { createDataExportConfig } from "@plinth/platform/data-exports";
import { startTestWorker, waitFor, type TestWorker } from "./helpers.ts";

const dir = mkdtempSync(path.join(tmpdir(), "plinth-worker-exports-"));
const config = createDataExportConfig(
  parsePlatformEnv({ DATA_EXPORTS_DIR: dir }),
  "https://app.example.com",
);

let db: TestDatabase;
let worker: TestWorker | undefined;
beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.url);
});
afterAll(async () => {
  await worker?.stop();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("data exports in the worker", () => {
  it("builds the zip and emails the link; an erased account's export fails; erasure deletes zips", async () => {
    const user = await db.system.user.create({
      data: { email: "worker-export@example.com", name: "Exporter" },
    });
    const gone = await db.system.user.create({
      data: { email: "deleted-x@deleted.invalid", status: "DELETED" },
    });
    const ready = await db.system.dataExport.create({ data: { userId: user.id } });
    const failed = await db.system.dataExport.create({ data: { userId: gone.id } });
    worker = await startTestWorker(db, { dataExports: config });
    await enqueueSystem(db.system, jobs.dataExportBuild, { exportId: ready.id });
    await enqueueSystem(db.system, jobs.dataExportBuild, { exportId: failed.id });

    const built = await waitFor(
      async () => {
        const row = await db.system.dataExport.findUniqueOrThrow({ where: { id: ready.id } });
        return row.status === "READY" ? row : null;
      },
      { what: "the export to be ready" },
    );
    const zip = await config.store.get(built.storageKey ?? "");
    expect(zip?.contentType).toBe("application/zip");
    // A zip's local file header: "PK\x03\x04".
    expect([...(zip?.bytes.slice(0, 4) ?? [])]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const email = await db.system.email.findFirstOrThrow({
      where: { to: "worker-export@example.com", template: "data-export-ready" },
    });
    expect(email.text).toContain(`https://app.example.com/api/account/data-exports/${ready.id}?`);
    await waitFor(
      async () =>
        (await db.system.dataExport.findUniqueOrThrow({ where: { id: failed.id } })).status ===
        "FAILED",
      { what: "the deleted account's export to fail" },
    );

    await enqueueSystem(db.system, jobs.dataExportErase, { storageKeys: [built.storageKey ?? ""] });
    await waitFor(async () => (await config.store.get(built.storageKey ?? "")) === null, {
      what: "the zip to be deleted",
    });
  });
});
