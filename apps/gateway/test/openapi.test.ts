// /api/v1/openapi.json: valid OpenAPI 3.1 (@readme/openapi-parser), with the catalog's public
// endpoints merged in; a contract test that calls every documented operation and checks each
// answer against the document's schema for its status (problem+json against Problem); the
// typed REST client generated from it (openapi-typescript → client/schema.ts, openapi-fetch)
// used against the gateway; and the offline API reference at /api/v1/docs.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import { dereference, validate, compileErrors } from "@readme/openapi-parser";
import openapiTS, { astToString } from "openapi-typescript";
import { XMLValidator } from "fast-xml-parser";
import { RECORDING_CONSENT_VERSION } from "@plinth/platform/contracts";
import { generateKeyEntry } from "@plinth/vault";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

const kit = await import("./kit.ts");
const { createApiClient } = await import("../client/index.ts");

type TestDatabase = Awaited<ReturnType<typeof kit.startDatabase>>;
type GatewayRuntime = Awaited<ReturnType<typeof kit.startGateway>>;

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

let db: TestDatabase;
let gateway: GatewayRuntime;
let upstream: Server;
let key: string;
let organizationId: string;
let ownerId: string;

beforeAll(async () => {
  db = await kit.startDatabase();
  upstream = createServer((request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ ok: true, path: request.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const product = await db.system.apiProduct.create({
    data: {
      slug: "contract",
      name: "Contract API",
      upstreamBaseUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    },
  });
  await db.system.apiEndpoint.createMany({
    data: [
      {
        productId: product.id,
        method: "GET",
        path: "/items/{id}",
        upstreamPath: "/items/{id}",
        summary: "An item",
      },
      {
        productId: product.id,
        method: "POST",
        path: "/echo",
        upstreamPath: "/echo",
        summary: "Echo",
      },
    ],
  });
  const { organization, owner } = await kit.createOrganization(db, "payg");
  organizationId = organization.id;
  ownerId = owner.id;
  // The owner agreed to be recorded: POST /practice-sessions starts their session.
  await db.system.consentRecord.create({
    data: {
      userId: owner.id,
      kind: "RECORDING",
      version: RECORDING_CONSENT_VERSION,
      granted: true,
    },
  });
  key = (
    await kit.issueKey(db, organization.id, {
      scopes: Object.keys(kit.product.apiScopes),
    })
  ).key;
  gateway = await kit.startGateway(db);
});

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  await db?.drop();
});

/**
 * The rows the module operations act on, each in a finished state where it has one (so the
 * optional parts of an answer — a result, a transcript, feedback, test results — are filled
 * in and checked too): an AI template and a succeeded task, a practice scenario and an ended
 * session, a test suite with its environment and a finished run.
 */
async function moduleFixtures(projectId: string) {
  const template = await db.system.aiTaskTemplate.create({
    data: {
      organizationId,
      name: "Contract greeting",
      provider: "offline",
      model: "offline-demo",
      promptTemplate: "Greet {{name}}",
      variables: [{ name: "name", type: "string", required: true }],
    },
  });
  const finishedAt = new Date();
  const task = await db.system.aiTask.create({
    data: {
      organizationId,
      templateId: template.id,
      input: { name: "Ada" },
      status: "SUCCEEDED",
      result: { text: "Hello, Ada" },
      resultText: "Hello, Ada",
      provider: "offline",
      offline: true,
      model: "offline-demo",
      promptTokens: 4,
      completionTokens: 3,
      costMicroCents: 12n,
      latencyMs: 8,
      attempts: 1,
      startedAt: new Date(finishedAt.getTime() - 8),
      finishedAt,
    },
  });
  const scenario = await db.system.practiceScenario.create({
    data: {
      organizationId,
      name: "Contract discovery call",
      persona: "A careful buyer",
      product: "Plinth",
      rubric: { skills: [{ id: "ask", name: "Asks", rules: [{ kind: "questions", min: 1 }] }] },
    },
  });
  const session = await db.system.practiceSession.create({
    data: {
      organizationId,
      scenarioId: scenario.id,
      userId: ownerId,
      status: "ENDED",
      endReason: "USER",
      audioMs: 4_000,
      minutesCharged: 1,
      // The worker's after-end jobs are done: transcript and feedback READY.
      transcribedMs: 4_000,
      transcriptStatus: "READY",
      feedbackStatus: "READY",
      startedAt: new Date(finishedAt.getTime() - 5_000),
      endedAt: finishedAt,
    },
  });
  await db.system.transcriptSegment.createMany({
    data: [
      {
        seq: 0,
        speaker: "TRAINEE" as const,
        text: "What matters to you?",
        startMs: 0,
        endMs: 1_500,
      },
      { seq: 1, speaker: "PROSPECT" as const, text: "Uptime.", startMs: 1_800, endMs: 2_600 },
    ].map((segment) => ({ ...segment, organizationId, sessionId: session.id })),
  });
  await db.system.sessionFeedback.create({
    data: {
      organizationId,
      sessionId: session.id,
      revision: 1,
      analysisVersion: 1,
      provider: "offline",
      offline: true,
      overallScore: 72,
      talkTimeMs: 1_500,
      wordsPerMinute: 160,
      fillersPerMinute: 0,
      talkListenRatio: 0.65,
      questions: 1,
      metrics: {},
      skills: [{ id: "ask", name: "Asks", weight: 1, score: 72 }],
      summary: "Asked one open question.",
    },
  });
  const environment = await db.system.testEnvironment.create({
    data: { organizationId, projectId, name: "Contract staging", baseUrl: "http://127.0.0.1:9" },
  });
  const suite = await db.system.testSuite.create({
    data: { organizationId, projectId, name: "Contract checks" },
  });
  const testCase = await db.system.testCase.create({
    data: { organizationId, suiteId: suite.id, name: "Health", kind: "HTTP", definition: {} },
  });
  await db.system.testCase.update({
    where: { id: testCase.id },
    data: {
      definition: {
        kind: "http",
        id: testCase.id,
        name: "Health",
        steps: [{ method: "GET", url: "/health", assertions: [{ type: "status", equals: 200 }] }],
      },
    },
  });
  const run = await db.system.run.create({
    data: { organizationId, kind: "test-run", status: "SUCCEEDED" },
  });
  const testRun = await db.system.testRun.create({
    data: {
      organizationId,
      projectId,
      suiteId: suite.id,
      environmentId: environment.id,
      runId: run.id,
      trigger: "CI",
      status: "FAILED",
      suiteName: suite.name,
      environmentName: environment.name,
      reference: "main@abc123",
      total: 2,
      passed: 1,
      failed: 1,
      durationMs: 40,
      startedAt: new Date(finishedAt.getTime() - 40),
      finishedAt,
    },
  });
  await db.system.testResult.createMany({
    data: [
      { name: "Passes", status: "PASS" as const, durationMs: 15, error: null },
      { name: "Fails", status: "FAIL" as const, durationMs: 25, error: "Expected 200, got 500" },
    ].map((result) => ({
      ...result,
      organizationId,
      testRunId: testRun.id,
      kind: "HTTP" as const,
      attempts: 1,
      detail: {},
    })),
  });
  const workspace = await db.system.hostingWorkspace.create({
    data: {
      organizationId,
      name: "contract-erp",
      app: "erpnext",
      version: "15.0",
      size: "small",
      region: "eu-central",
      state: "READY",
      outputs: { host: "127.0.0.1", port: 5432, database: "ws_contract", user: "ws_contract" },
      readyAt: finishedAt,
    },
  });
  // Custom domains on a workspace of their own (the one above is destroyed by its DELETE).
  const domainsWorkspace = await db.system.hostingWorkspace.create({
    data: {
      organizationId,
      name: "contract-domains",
      app: "erpnext",
      version: "15.0",
      size: "small",
      region: "eu-central",
      state: "READY",
      outputs: { host: "contract.hosting.test" },
      readyAt: finishedAt,
    },
  });
  const [verifyDomain, removeDomain] = await Promise.all(
    ["verify", "remove"].map((tag) =>
      db.system.hostingDomain.create({
        data: {
          organizationId,
          workspaceId: domainsWorkspace.id,
          hostname: `${tag}.contract-domains.test`,
          verificationToken: `contract-${tag}-token`,
        },
      }),
    ),
  );
  /** Per operation: its path parameters and body (anything else: no parameters, no body). */
  const operations: Record<string, { params?: Record<string, string>; body?: unknown }> = {
    "GET /api/v1/projects/{id}": { params: { id: projectId } },
    "POST /api/v1/projects": { body: { name: "Another project" } },
    "GET /api/v1/contract/items/{id}": { params: { id: "item-1" } },
    "POST /api/v1/contract/echo": { body: { hello: "world" } },
    "POST /api/v1/ai/tasks": { body: { templateId: template.id, input: { name: "Grace" } } },
    "GET /api/v1/ai/tasks/{id}": { params: { id: task.id } },
    "POST /api/v1/practice-sessions": { body: { scenarioId: scenario.id, userId: ownerId } },
    "GET /api/v1/practice-sessions/{id}": { params: { id: session.id } },
    "POST /api/v1/test-runs": { body: { suiteId: suite.id, environmentId: environment.id } },
    "GET /api/v1/test-runs/{id}": { params: { id: testRun.id } },
    "GET /api/v1/test-runs/{id}/junit.xml": { params: { id: testRun.id } },
    "POST /api/v1/workspaces": {
      body: {
        name: "contract-new",
        app: "odoo",
        version: "18.0",
        size: "small",
        region: "us-east",
      },
    },
    "POST /api/v1/workspaces/preview": {
      body: { app: "odoo", version: "18.0", size: "small", region: "us-east" },
    },
    "GET /api/v1/workspaces/{id}": { params: { id: workspace.id } },
    "DELETE /api/v1/workspaces/{id}": { params: { id: workspace.id } },
    "POST /api/v1/workspaces/{id}/domains": {
      params: { id: domainsWorkspace.id },
      body: { hostname: "added.contract-domains.test" },
    },
    "GET /api/v1/workspaces/{id}/domains": { params: { id: domainsWorkspace.id } },
    "POST /api/v1/workspaces/{id}/domains/{domainId}/verify": {
      params: { id: domainsWorkspace.id, domainId: verifyDomain!.id },
    },
    "DELETE /api/v1/workspaces/{id}/domains/{domainId}": {
      params: { id: domainsWorkspace.id, domainId: removeDomain!.id },
    },
  };
  return operations;
}

async function spec(): Promise<Document> {
  const response = await kit.call(gateway, "/api/v1/openapi.json");
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 and includes the module routes and the catalog's endpoints", async () => {
    const document = await spec();
    expect(document.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/projects",
        "/api/v1/usage",
        "/api/v1/usage/summary",
        "/api/v1/catalog",
        "/api/v1/contract/items/{id}",
        "/api/v1/contract/echo",
      ]),
    );
  });

  it("every documented operation answers as its schema says", async () => {
    const document = (await dereference(
      structuredClone(await spec()) as never,
    )) as unknown as Document;
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const problemSchema = document.components?.schemas?.Problem;
    expect(problemSchema).toBeDefined();
    const isProblem = ajv.compile(problemSchema as object);
    const created = await kit.call(gateway, "/api/v1/projects", {
      key,
      method: "POST",
      body: { name: "Contract project" },
    });
    const project = (await created.json()) as { id: string };
    const fixtures = await moduleFixtures(project.id);
    const checked: string[] = [];
    const refused: string[] = [];
    const failures: string[] = [];
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const id = `${method.toUpperCase()} ${template}`;
        const fixture = fixtures[id] ?? {};
        const unfilled = [...template.matchAll(/\{(\w+)\}/g)].find(
          ([, name]) => fixture.params?.[name ?? ""] === undefined,
        );
        if (unfilled) {
          failures.push(`${id}: no fixture for {${unfilled[1] ?? ""}}`);
          continue;
        }
        if (operation.requestBody && fixture.body === undefined) {
          failures.push(`${id}: no fixture for its body`);
          continue;
        }
        // Placeholder input (a malformed id, an empty body): a refusal must be problem+json.
        const refusal = await kit.call(gateway, template.replace(/\{\w+\}/g, "x1"), {
          key,
          method: method.toUpperCase(),
          ...(operation.requestBody ? { body: {} } : {}),
        });
        if (refusal.status >= 400) {
          const type = refusal.headers.get("content-type") ?? "";
          if (!type.startsWith("application/problem+json") || !isProblem(await refusal.json())) {
            failures.push(`${id}: its ${refusal.status} refusal is not a problem`);
          }
          refused.push(id);
        }
        const path = template.replace(
          /\{(\w+)\}/g,
          (_, name: string) => fixture.params?.[name] ?? "",
        );
        const response = await kit.call(gateway, path, {
          key,
          method: method.toUpperCase(),
          ...(fixture.body === undefined ? {} : { body: fixture.body }),
        });
        const status = String(response.status);
        const type = (response.headers.get("content-type") ?? "").split(";")[0] ?? "";
        if (response.status >= 400) {
          const problem: unknown = await response.json();
          failures.push(
            type === "application/problem+json" && isProblem(problem)
              ? `${id}: answered ${status} ${JSON.stringify(problem).slice(0, 200)}`
              : `${id}: ${status} is not a problem`,
          );
          continue;
        }
        // The one success status the operation declares, with its content type's schema.
        const declared = Object.keys(operation.responses).filter((code) => code.startsWith("2"));
        if (declared.length !== 1 || declared[0] !== status) {
          failures.push(`${id}: answered ${status}, declares ${declared.join(", ")}`);
          continue;
        }
        const schema = operation.responses[status]?.content?.[type]?.schema;
        if (schema === undefined) {
          failures.push(`${id}: ${status} ${type} is not documented`);
          continue;
        }
        const payload: unknown =
          type === "application/json" ? await response.json() : await response.text();
        if (type === "application/xml" && XMLValidator.validate(String(payload)) !== true) {
          failures.push(`${id}: not well-formed XML`);
          continue;
        }
        const check = ajv.compile(schema as object);
        if (!check(payload)) failures.push(`${id}: ${ajv.errorsText(check.errors)}`);
        checked.push(id);
      }
    }
    expect(failures).toEqual([]);
    // Every operation of the document answered its declared success, no exceptions.
    const all = Object.entries(document.paths).flatMap(([template, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${template}`),
    );
    expect(checked.sort()).toEqual(all.sort());
    expect(checked.length).toBeGreaterThanOrEqual(18);
    expect(refused.length).toBeGreaterThanOrEqual(9);
  });
});

describe("the typed REST client", () => {
  it("is generated from the document (client/schema.ts is current)", async () => {
    // Generated from an empty catalog: Plinth's own routes (catalog endpoints vary at run time).
    const document = await spec();
    const own = Object.fromEntries(
      Object.entries(document.paths).filter(([path]) => !path.startsWith("/api/v1/contract/")),
    );
    const text = astToString(
      await openapiTS(structuredClone({ ...document, paths: own }) as never),
    );
    await expect(
      `// Generated by openapi-typescript from /api/v1/openapi.json (apps/gateway/test/openapi.test.ts).\n// Do not edit: run \`pnpm vitest run apps/gateway/test/openapi.test.ts -u\`.\n${text}`,
    ).toMatchFileSnapshot("../client/schema.ts");
  });

  it("calls the gateway with typed paths, parameters and answers", async () => {
    const client = createApiClient({
      baseUrl: "http://gateway.test",
      apiKey: key,
      fetch: (request) => Promise.resolve(gateway.app.request(request)),
    });
    const created = await client.POST("/api/v1/projects", { body: { name: "Typed client" } });
    expect(created.response.status).toBe(201);
    const id = created.data?.id ?? "";
    const one = await client.GET("/api/v1/projects/{id}", { params: { path: { id } } });
    expect(one.data?.name).toBe("Typed client");
    const list = await client.GET("/api/v1/projects", { params: { query: { status: "ALL" } } });
    expect(list.data?.data.map((p) => p.name)).toContain("Typed client");
    const catalog = await client.GET("/api/v1/catalog");
    expect(catalog.data?.products.map((p) => p.slug)).toContain("contract");
    const usage = await client.GET("/api/v1/usage/summary");
    expect(usage.data?.meters.map((m) => m.meter)).toContain("api.units");
    const missing = await client.GET("/api/v1/projects/{id}", {
      params: { path: { id: "c000000000000000000000000" } },
    });
    expect(missing.response.status).toBe(404);
    expect(organizationId).toBeTruthy();
  });
});

describe("the API reference", () => {
  it("serves /api/v1/docs and its assets from the gateway itself (offline, no key)", async () => {
    const page = await kit.call(gateway, "/api/v1/docs");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const response = await kit.call(gateway, asset);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    const init = await (await kit.call(gateway, "/api/v1/docs/init.js")).text();
    expect(init).toContain("/api/v1/openapi.json");
  });
});
