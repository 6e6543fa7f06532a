// The module's services through its procedures (a member, under RLS, on real PostgreSQL):
// environments keep secrets write-only, tests are validated by the engine's schemas (JSON and
// YAML, import and export), runs are queued on the core run engine with quota and plan
// gating, the schedule starts one run per period, and another tenant's ids are NOT_FOUND.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { AppError, type AppErrorData } from "@plinth/core/errors";
import { TRPCError } from "@plinth/trpc/testing";
import { runDueSchedules } from "../src/schedule.ts";
import { callerFor, createOrganization, createUser, setPlan } from "./kit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function refusal(promise: Promise<unknown>): Promise<AppErrorData | { code: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.cause instanceof AppError ? error.cause.data : { code: error.code };
}

const httpTest = {
  kind: "http",
  name: "Pass answers",
  steps: [{ method: "GET", url: "/pass", assertions: [{ type: "status", equals: 200 }] }],
};

async function setup(name: string, plan = "pro") {
  const owner = await createUser(db, `${name}@x.test`);
  const org = await createOrganization(db, owner, `${name} Co`);
  await setPlan(db, org.id, plan);
  const api = callerFor(db, owner);
  const organizationId = org.id;
  const project = await db.system.project.create({ data: { organizationId, name: "Shop" } });
  return { api, organizationId, projectId: project.id, owner };
}

describe("environments", () => {
  it("keeps secrets write-only: names are answered, values never", async () => {
    const { api, organizationId, projectId } = await setup("env");
    const env = await api.testEnvironment.create({
      organizationId,
      projectId,
      name: "Staging",
      baseUrl: "https://staging.example.test",
      variables: [{ name: "user", value: "alice" }],
      secrets: [{ name: "API_TOKEN", value: "s3cr3t-token-value-123" }],
    });
    expect(env.secretNames).toEqual(["API_TOKEN"]);
    expect(env.variables).toEqual([{ name: "user", value: "alice" }]);
    const listed = await api.testEnvironment.list({ organizationId, projectId });
    expect(JSON.stringify(listed)).not.toContain("s3cr3t-token-value-123");
    const vault = await db.system.vaultSecret.findMany({ where: { organizationId } });
    expect(vault).toHaveLength(1);
    expect(Buffer.from(vault[0]?.ciphertext ?? []).toString("utf8")).not.toContain("s3cr3t");

    const updated = await api.testEnvironment.update({
      organizationId,
      environmentId: env.id,
      setSecrets: [{ name: "OTHER", value: "x-other-secret" }],
      removeSecrets: ["API_TOKEN"],
    });
    expect(updated.secretNames).toEqual(["OTHER"]);
    expect(await db.system.vaultSecret.count({ where: { organizationId } })).toBe(1);
  });

  it("refuses a name that is both a variable and a secret (422)", async () => {
    const { api, organizationId, projectId } = await setup("envdup");
    const answer = await refusal(
      api.testEnvironment.create({
        organizationId,
        projectId,
        name: "Dup",
        variables: [{ name: "X", value: "1" }],
        secrets: [{ name: "X", value: "2" }],
      }),
    );
    expect(answer.code).toBe("INVALID_DEFINITION");
  });
});

describe("suites and tests", () => {
  it("creates tests from JSON and YAML, exports and re-imports them identically", async () => {
    const { api, organizationId, projectId } = await setup("suites");
    const suite = await api.testSuite.create({ organizationId, projectId, name: "Smoke" });
    const json = await api.testCase.create({
      organizationId,
      suiteId: suite.id,
      format: "json",
      text: JSON.stringify(httpTest),
    });
    expect(json.kind).toBe("HTTP");
    const yaml = await api.testCase.create({
      organizationId,
      suiteId: suite.id,
      format: "yaml",
      text: "kind: http\nname: Echo\nsteps:\n  - method: POST\n    url: /echo\n    json: { a: 1 }\n",
    });
    expect(yaml.name).toBe("Echo");

    const exported = await api.testSuite.export({
      organizationId,
      suiteId: suite.id,
      format: "yaml",
    });
    expect(exported.text).toContain("name: Echo");
    const imported = await api.testSuite.import({
      organizationId,
      projectId,
      format: "yaml",
      text: exported.text.replace("name: Smoke", "name: Smoke copy"),
    });
    expect(imported.tests).toBe(2);
    const copy = await api.testSuite.get({ organizationId, suiteId: imported.suiteId });
    expect(copy.name).toBe("Smoke copy");
    expect(copy.tests.map((t) => t.name)).toEqual(["Pass answers", "Echo"]);
    const again = await api.testSuite.export({ organizationId, suiteId: copy.id, format: "json" });
    const parsed = JSON.parse(again.text) as { tests: { steps: unknown }[] };
    const original = JSON.parse(
      (await api.testSuite.export({ organizationId, suiteId: suite.id, format: "json" })).text,
    ) as { tests: { steps: unknown }[] };
    expect(parsed.tests.map((t) => t.steps)).toEqual(original.tests.map((t) => t.steps));
  });

  it("answers a definition that does not match the schema with 422 and the issues", async () => {
    const { api, organizationId, projectId } = await setup("invalid");
    const suite = await api.testSuite.create({ organizationId, projectId, name: "Bad" });
    const answer = await refusal(
      api.testCase.create({
        organizationId,
        suiteId: suite.id,
        format: "json",
        text: JSON.stringify({ kind: "http", name: "x", steps: [{ method: "FETCH", url: "/" }] }),
      }),
    );
    expect(answer).toMatchObject({ code: "INVALID_DEFINITION" });
    expect(JSON.stringify(answer)).toContain("steps.0.method");
    const notYaml = await refusal(
      api.testCase.create({ organizationId, suiteId: suite.id, format: "yaml", text: "a: [1," }),
    );
    expect(notYaml.code).toBe("INVALID_DEFINITION");
  });

  it("refuses a schedule that is not cron, and one without an environment", async () => {
    const { api, organizationId, projectId } = await setup("cron");
    expect(
      (
        await refusal(
          api.testSuite.create({ organizationId, projectId, name: "A", schedule: "a b c d e" }),
        )
      ).code,
    ).toBe("INVALID_DEFINITION");
    expect(
      (
        await refusal(
          api.testSuite.create({ organizationId, projectId, name: "B", schedule: "0 * * * *" }),
        )
      ).code,
    ).toBe("INVALID_DEFINITION");
  });
});

describe("runs", () => {
  it("queues a run on the run engine (QUEUED, run.execute job) and counts test.runs", async () => {
    const { api, organizationId, projectId } = await setup("runs");
    const env = await api.testEnvironment.create({
      organizationId,
      projectId,
      name: "Local",
      baseUrl: "http://127.0.0.1:9",
    });
    const suite = await api.testSuite.create({ organizationId, projectId, name: "S" });
    await api.testCase.create({
      organizationId,
      suiteId: suite.id,
      format: "json",
      text: JSON.stringify(httpTest),
    });
    const run = await api.testRun.start({
      organizationId,
      suiteId: suite.id,
      environmentId: env.id,
    });
    expect(run.status).toBe("QUEUED");
    const core = await db.system.run.findUniqueOrThrow({ where: { id: run.runId } });
    expect(core).toMatchObject({ kind: "test-run", status: "QUEUED" });
    const jobs = await db.system.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM graphile_worker._private_jobs WHERE payload->>'runId' = ${run.runId}`;
    expect(Number(jobs[0]?.n)).toBe(1);
    const counter = await db.system.usageCounter.findFirst({
      where: { organizationId, meter: "test.runs" },
    });
    expect(Number(counter?.quantity)).toBe(1);
    const got = await api.testRun.get({ organizationId, testRunId: run.id });
    expect(got).toMatchObject({
      status: "QUEUED",
      suiteName: "S",
      environmentName: "Local",
      total: 1,
    });

    const canceled = await api.testRun.cancel({ organizationId, testRunId: run.id });
    expect(canceled.status).toBe("CANCELED");
    const list = await api.testRun.list({ organizationId, projectId });
    expect(list.map((r) => r.id)).toEqual([run.id]);
  });

  it("browser tests need Pro: the trial gets FEATURE_NOT_IN_PLAN", async () => {
    const { api, organizationId, projectId } = await setup("trialbrowser", "trial");
    const env = await api.testEnvironment.create({ organizationId, projectId, name: "Local" });
    const suite = await api.testSuite.create({ organizationId, projectId, name: "UI" });
    await api.testCase.create({
      organizationId,
      suiteId: suite.id,
      format: "json",
      text: JSON.stringify({
        kind: "browser",
        name: "Home",
        steps: [{ action: "goto", url: "http://127.0.0.1:9/" }],
      }),
    });
    const answer = await refusal(
      api.testRun.start({ organizationId, suiteId: suite.id, environmentId: env.id }),
    );
    expect(answer).toMatchObject({ code: "FEATURE_NOT_IN_PLAN", feature: "tests.browser" });
  });

  it("another organization's suite, environment, run and result ids are NOT_FOUND", async () => {
    const a = await setup("tenant-a");
    const b = await setup("tenant-b");
    const env = await a.api.testEnvironment.create({
      organizationId: a.organizationId,
      projectId: a.projectId,
      name: "E",
    });
    const suite = await a.api.testSuite.create({
      organizationId: a.organizationId,
      projectId: a.projectId,
      name: "S",
    });
    const test = await a.api.testCase.create({
      organizationId: a.organizationId,
      suiteId: suite.id,
      format: "json",
      text: JSON.stringify(httpTest),
    });
    const run = await a.api.testRun.start({
      organizationId: a.organizationId,
      suiteId: suite.id,
      environmentId: env.id,
    });
    const o = b.organizationId;
    for (const call of [
      () => b.api.testSuite.get({ organizationId: o, suiteId: suite.id }),
      () => b.api.testCase.get({ organizationId: o, testId: test.id }),
      () => b.api.testEnvironment.delete({ organizationId: o, environmentId: env.id }),
      () => b.api.testRun.get({ organizationId: o, testRunId: run.id }),
      () => b.api.testRun.cancel({ organizationId: o, testRunId: run.id }),
      () => b.api.testRun.start({ organizationId: o, suiteId: suite.id, environmentId: env.id }),
      () =>
        b.api.testSuite.import({
          organizationId: o,
          projectId: a.projectId,
          format: "json",
          text: JSON.stringify({ name: "x", tests: [] }),
        }),
    ]) {
      expect((await refusal(call())).code).toBe("NOT_FOUND");
    }
    // A's project under B's organization: nothing.
    expect(await b.api.testSuite.list({ organizationId: o, projectId: a.projectId })).toEqual([]);
  });
});

describe("schedule", () => {
  it("fires once per period: a second tick in the same minute starts nothing", async () => {
    const { api, organizationId, projectId } = await setup("schedule");
    const env = await api.testEnvironment.create({ organizationId, projectId, name: "Local" });
    const suite = await api.testSuite.create({
      organizationId,
      projectId,
      name: "Nightly",
      schedule: "30 2 * * *",
      scheduleEnvironmentId: env.id,
    });
    await api.testCase.create({
      organizationId,
      suiteId: suite.id,
      format: "json",
      text: JSON.stringify(httpTest),
    });
    const minute = new Date("2026-12-03T02:30:00Z");
    const first = await runDueSchedules(db.system, minute);
    const second = await runDueSchedules(db.system, new Date("2026-12-03T02:30:40Z"));
    const other = await runDueSchedules(db.system, new Date("2026-12-03T02:31:00Z"));
    expect(first.started).toHaveLength(1);
    expect(second.started).toEqual([]);
    expect(other.started).toEqual([]);
    const next = await runDueSchedules(db.system, new Date("2026-12-04T02:30:00Z"));
    expect(next.started).toHaveLength(1);
    const runs = await db.system.testRun.findMany({ where: { suiteId: suite.id } });
    expect(runs.map((r) => r.trigger)).toEqual(["SCHEDULE", "SCHEDULE"]);
  });
});
