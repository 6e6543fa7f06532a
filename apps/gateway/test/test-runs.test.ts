// CI through the gateway: an API key with tests:write starts a run (202 + id), the run
// engine executes it with test-automation's run kind against a local target, and the key
// polls the run and downloads its JUnit XML, which is parsed and checked. Scopes are enforced.
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TestDatabase } from "@plinth/db/testing";
import { executeRun } from "@plinth/jobs";
import { startTarget, type Target } from "@plinth/test-automation/testing/target";
import { testRunKind } from "@plinth/test-automation/worker";
import { silentLogger } from "@plinth/trpc/testing";
import type { GatewayRuntime } from "../src/runtime.ts";
import { call, createOrganization, issueKey, startDatabase, startGateway } from "./kit.ts";

let db: TestDatabase;
let gateway: GatewayRuntime;
let target: Target;

beforeAll(async () => {
  db = await startDatabase();
  gateway = await startGateway(db);
  target = await startTarget();
});
afterAll(async () => {
  await gateway?.close();
  await target?.close();
  await db?.drop();
});

it("POST /test-runs → 202, the run executes, GET shows it FAILED, junit.xml parses with the counts", async () => {
  const { organization } = await createOrganization(db, "pro");
  const organizationId = organization.id;
  const project = await db.system.project.create({ data: { organizationId, name: "CI" } });
  const environment = await db.system.testEnvironment.create({
    data: { organizationId, projectId: project.id, name: "Staging", baseUrl: target.url },
  });
  const suite = await db.system.testSuite.create({
    data: { organizationId, projectId: project.id, name: "API checks" },
  });
  const definitions = [
    { name: "Passes", url: "/pass", status: 200 },
    { name: "Fails", url: "/fail", status: 200 },
  ];
  for (const [position, d] of definitions.entries()) {
    const row = await db.system.testCase.create({
      data: {
        organizationId,
        suiteId: suite.id,
        name: d.name,
        kind: "HTTP",
        definition: {},
        position,
      },
    });
    await db.system.testCase.update({
      where: { id: row.id },
      data: {
        definition: {
          kind: "http",
          id: row.id,
          name: d.name,
          steps: [
            { method: "GET", url: d.url, assertions: [{ type: "status", equals: d.status }] },
          ],
        },
      },
    });
  }
  const { key } = await issueKey(db, organizationId, { scopes: ["tests:read", "tests:write"] });
  const { key: readOnly } = await issueKey(db, organizationId, { scopes: ["tests:read"] });

  const refused = await call(gateway, "/api/v1/test-runs", {
    key: readOnly,
    method: "POST",
    body: { suiteId: suite.id, environmentId: environment.id },
  });
  expect(refused.status).toBe(403);

  const started = await call(gateway, "/api/v1/test-runs", {
    key,
    method: "POST",
    body: { suiteId: suite.id, environmentId: environment.id, reference: "main@abc123" },
  });
  expect(started.status).toBe(202);
  const { id, status } = (await started.json()) as { id: string; status: string };
  expect(status).toBe("QUEUED");

  const queued = await call(gateway, `/api/v1/test-runs/${id}`, { key });
  expect(await queued.json()).toMatchObject({
    status: "QUEUED",
    finished: false,
    reference: "main@abc123",
  });

  // What the worker's run.execute job does with this run.
  const testRun = await db.system.testRun.findUniqueOrThrow({ where: { id } });
  await executeRun(
    { runId: testRun.runId, organizationId },
    { prisma: db.system, log: silentLogger, signal: new AbortController().signal },
    { "test-run": testRunKind },
  );

  const done = (await (await call(gateway, `/api/v1/test-runs/${id}`, { key })).json()) as {
    status: string;
    finished: boolean;
    summary: Record<string, number>;
    results: { name: string; status: string }[];
  };
  expect(done).toMatchObject({ status: "FAILED", finished: true });
  expect(done.summary).toMatchObject({ total: 2, passed: 1, failed: 1 });
  expect(done.results.map((r) => [r.name, r.status])).toEqual([
    ["Passes", "PASS"],
    ["Fails", "FAIL"],
  ]);

  const report = await call(gateway, `/api/v1/test-runs/${id}/junit.xml`, { key });
  expect(report.status).toBe(200);
  expect(report.headers.get("content-type")).toContain("application/xml");
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
    await report.text(),
  ) as {
    testsuites: {
      testsuite: {
        name: string;
        tests: string;
        failures: string;
        testcase: { name: string; failure?: { message: string } }[];
      };
    };
  };
  const junit = xml.testsuites.testsuite;
  expect(junit).toMatchObject({ name: "API checks", tests: "2", failures: "1" });
  expect(junit.testcase.map((c) => c.name)).toEqual(["Passes", "Fails"]);
  expect(junit.testcase[1]?.failure?.message).toContain("500");
});
