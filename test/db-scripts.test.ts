// `pnpm db:migrate` (scripts/db.ts) on an empty database leaves it ready for the web app:
// our migrations AND graphile-worker's queue schema. Without the latter, the first sign-up
// fails (its verification email is enqueued in the request's transaction) until the worker
// has started once. scripts/dev.ts uses the same prepareDatabase step.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activeProduct } from "@plinth/product";
import { appRouter } from "@plinth/product/trpc";
import { createCallerFactory, createContext } from "@plinth/trpc";
import { createLogger } from "@plinth/core/logger";
import { createDatabase, type Database, systemClient } from "@plinth/db";
import { quoteIdent } from "@plinth/db/embedded";
import { databaseUrl, testServerUrl, withAdmin } from "@plinth/db/testing";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const name = `plinth_dbscript_${randomBytes(5).toString("hex")}`;
let url: string;
let db: Database | null = null;

beforeAll(async () => {
  await withAdmin(testServerUrl(), (admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}`));
  url = databaseUrl(testServerUrl(), name);
});
afterAll(async () => {
  await db?.disconnect();
  await withAdmin(testServerUrl(), (admin) =>
    admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
  );
});

describe("pnpm db:migrate", () => {
  it("installs the job queue schema with the migrations, so a sign-up works before any worker ran", async () => {
    await promisify(execFile)(
      path.join(ROOT, "node_modules/.bin/tsx"),
      ["scripts/db.ts", "migrate"],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url },
        timeout: 90_000,
      },
    );

    db = createDatabase(url, { poolMax: 2 });
    const caller = createCallerFactory(appRouter())(
      createContext({
        database: db,
        product: activeProduct(),
        user: null,
        requestId: "db-script-test",
        ipAddress: null,
        logger: createLogger({ level: "silent" }),
      }),
    );
    const result = await caller.account.signUp({
      name: "Early Bird",
      email: "early@example.com",
      password: "a long enough password",
    });
    expect(result).toEqual({ accepted: true });
    expect(
      await systemClient(db, "test: checks").user.count({ where: { email: "early@example.com" } }),
    ).toBe(1);
    // The verification email is stored and its delivery job waits in the queue.
    expect(
      await systemClient(db, "test: checks").email.count({ where: { to: "early@example.com" } }),
    ).toBe(1);
    const jobs = await systemClient(db, "test: checks").$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'email.send'`;
    expect(Number(jobs[0]?.n)).toBe(1);
  }, 120_000);
});
