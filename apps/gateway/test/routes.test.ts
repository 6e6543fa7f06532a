// Every route the product serves, enumerated from @plinth/product/http: a tenancy case each
// (another organization's key gets 404 or an empty list and changes nothing — a route added
// without a case fails here), a disabled module's routes are absent, and a fuzz pass (hostile
// params, queries and bodies: never a 5xx, never SQL, stack or source text).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@plinth/db/testing";
import { productRuntime } from "@plinth/product";
import { productRoutes } from "@plinth/product/http";
import { rollupUsage } from "@plinth/metering";
import type { GatewayRuntime } from "../src/runtime.ts";
import {
  ALL_SCOPES,
  call,
  createOrganization,
  issueKey,
  product,
  startDatabase,
  startGateway,
} from "./kit.ts";

let db: TestDatabase;
let gateway: GatewayRuntime;
let fx: {
  keyA: string;
  orgB: string;
  projectB: string;
  aiTemplateB: string;
  aiTaskB: string;
  scenarioB: string;
  sessionB: string;
  userB: string;
  suiteB: string;
  environmentB: string;
  testRunB: string;
  workspaceB: string;
  domainB: string;
};

beforeAll(async () => {
  db = await startDatabase();
  gateway = await startGateway(db);
  const a = await createOrganization(db, "enterprise");
  const b = await createOrganization(db, "enterprise");
  const projectB = await db.system.project.create({
    data: { organizationId: b.organization.id, name: "B secret" },
  });
  // B's API usage, folded into the rollups: A's usage routes must never show it.
  const subscriptionB = await db.system.subscription.findUniqueOrThrow({
    where: { organizationId: b.organization.id },
  });
  await db.system.usageEvent.create({
    data: {
      organizationId: b.organization.id,
      meter: "api.units",
      quantity: 5,
      route: "/api/v1/b-secret/call",
      method: "GET",
      status: 200,
      costMicroCents: 777n,
      occurredAt: new Date(
        Math.max(Date.now() - 60_000, (subscriptionB.currentPeriodStart ?? new Date(0)).getTime()),
      ),
    },
  });
  await rollupUsage(db.system);
  const aiTemplateB = await db.system.aiTaskTemplate.create({
    data: {
      organizationId: b.organization.id,
      name: "B template",
      provider: "offline",
      model: "offline-demo",
      promptTemplate: "Hi",
    },
  });
  const aiTaskB = await db.system.aiTask.create({
    data: {
      organizationId: b.organization.id,
      templateId: aiTemplateB.id,
      input: {},
      provider: "offline",
      model: "offline-demo",
      resultText: "B secret",
    },
  });
  const scenarioB = await db.system.practiceScenario.create({
    data: {
      organizationId: b.organization.id,
      name: "B secret scenario",
      persona: "B's prospect",
      product: "B's product",
      rubric: { skills: [{ id: "x", name: "X", rules: [{ kind: "questions", min: 1 }] }] },
    },
  });
  const sessionB = await db.system.practiceSession.create({
    data: { organizationId: b.organization.id, scenarioId: scenarioB.id, userId: b.owner.id },
  });
  // B's test automation: an environment, a suite with a test, and a finished run.
  const orgB = b.organization.id;
  const environmentB = await db.system.testEnvironment.create({
    data: { organizationId: orgB, projectId: projectB.id, name: "B env" },
  });
  const suiteB = await db.system.testSuite.create({
    data: { organizationId: orgB, projectId: projectB.id, name: "B suite" },
  });
  const runB = await db.system.run.create({
    data: { organizationId: orgB, kind: "test-run", status: "SUCCEEDED" },
  });
  const testRunB = await db.system.testRun.create({
    data: {
      organizationId: orgB,
      projectId: projectB.id,
      suiteId: suiteB.id,
      environmentId: environmentB.id,
      runId: runB.id,
      trigger: "CI",
      status: "PASSED",
      suiteName: "B secret suite",
      environmentName: "B env",
    },
  });
  const workspaceB = await db.system.hostingWorkspace.create({
    data: {
      organizationId: orgB,
      name: "b-secret",
      app: "bahmni",
      version: "1.0.0",
      size: "small",
      region: "eu-central",
      state: "READY",
    },
  });
  fx = {
    keyA: (
      await issueKey(db, a.organization.id, {
        scopes: [...ALL_SCOPES, "ai:read", "ai:write", "workspaces:read", "workspaces:write"],
      })
    ).key,
    orgB: b.organization.id,
    projectB: projectB.id,
    aiTemplateB: aiTemplateB.id,
    aiTaskB: aiTaskB.id,
    scenarioB: scenarioB.id,
    sessionB: sessionB.id,
    userB: b.owner.id,
    suiteB: suiteB.id,
    environmentB: environmentB.id,
    testRunB: testRunB.id,
    workspaceB: workspaceB.id,
    domainB: (
      await db.system.hostingDomain.create({
        data: {
          organizationId: orgB,
          workspaceId: workspaceB.id,
          hostname: "b-secret.domains.test",
          verificationToken: "b-secret-token",
        },
      })
    ).id,
  };
});
afterAll(async () => {
  await gateway?.close();
  await db?.drop();
});

/** What organization A's key sees of organization B through each route. */
const TENANCY: Record<
  string,
  (f: typeof fx) => { path: string; body?: unknown; expect: (r: Response) => void | Promise<void> }
> = {
  "GET /projects": () => ({
    path: "/api/v1/projects?status=ALL",
    expect: async (r) => expect(JSON.stringify(await r.json())).not.toContain("B secret"),
  }),
  "POST /projects": () => ({
    path: "/api/v1/projects",
    body: { name: "B secret" }, // B's name is free in A: created in A, never in B
    expect: (r) => expect(r.status).toBe(201),
  }),
  "GET /projects/{id}": (f) => ({
    path: `/api/v1/projects/${f.projectB}`,
    expect: (r) => expect(r.status).toBe(404),
  }),
  "POST /ai/tasks": (f) => ({
    path: "/api/v1/ai/tasks",
    body: { templateId: f.aiTemplateB, input: {} },
    expect: (r) => expect(r.status).toBe(404),
  }),
  "GET /ai/tasks/{id}": (f) => ({
    path: `/api/v1/ai/tasks/${f.aiTaskB}`,
    expect: async (r) => {
      expect(r.status).toBe(404);
      expect(await r.text()).not.toContain("B secret");
    },
  }),
  "POST /practice-sessions": (f) => ({
    path: "/api/v1/practice-sessions",
    body: { scenarioId: f.scenarioB, userId: f.userB },
    expect: (r) => expect(r.status).toBe(404),
  }),
  "GET /practice-sessions/{id}": (f) => ({
    path: `/api/v1/practice-sessions/${f.sessionB}`,
    expect: (r) => expect(r.status).toBe(404),
  }),
  "POST /test-runs": (f) => ({
    path: "/api/v1/test-runs",
    body: { suiteId: f.suiteB, environmentId: f.environmentB },
    expect: (r) => expect(r.status).toBe(404),
  }),
  "GET /test-runs/{id}": (f) => ({
    path: `/api/v1/test-runs/${f.testRunB}`,
    expect: (r) => expect(r.status).toBe(404),
  }),
  "GET /test-runs/{id}/junit.xml": (f) => ({
    path: `/api/v1/test-runs/${f.testRunB}/junit.xml`,
    expect: async (r) => {
      expect(r.status).toBe(404);
      expect(await r.text()).not.toContain("B secret");
    },
  }),
  // Managed hosting: B's workspace is out of reach; A's requests land in A.
  "POST /workspaces": () => ({
    path: "/api/v1/workspaces",
    body: {
      name: "a-own",
      app: "bahmni",
      version: "1.0.0",
      size: "small",
      region: "eu-central",
    },
    expect: (r) => expect(r.status).toBe(202),
  }),
  // The key's own organization's subscription only (nothing of B's in the answer).
  "POST /workspaces/preview": () => ({
    path: "/api/v1/workspaces/preview",
    body: { app: "bahmni", version: "1.0.0", size: "small", region: "eu-central" },
    expect: async (r) => {
      expect(r.status).toBe(200);
      expect(JSON.stringify(await r.json())).not.toContain("b-secret");
    },
  }),
  "GET /workspaces": () => ({
    path: "/api/v1/workspaces?includeDestroyed=true",
    expect: async (r) => {
      expect(r.status).toBe(200);
      expect(JSON.stringify(await r.json())).not.toContain("b-secret");
    },
  }),
  "GET /workspaces/{id}": (f) => ({
    path: `/api/v1/workspaces/${f.workspaceB}`,
    expect: (r) => expect(r.status).toBe(404),
  }),
  "DELETE /workspaces/{id}": (f) => ({
    path: `/api/v1/workspaces/${f.workspaceB}`,
    expect: (r) => expect(r.status).toBe(404),
  }),
  "POST /workspaces/{id}/domains": (f) => ({
    path: `/api/v1/workspaces/${f.workspaceB}/domains`,
    body: { hostname: "intruder.b-secret.test" },
    expect: (r) => expect(r.status).toBe(404),
  }),
  "GET /workspaces/{id}/domains": (f) => ({
    path: `/api/v1/workspaces/${f.workspaceB}/domains`,
    expect: async (r) => {
      expect(r.status).toBe(404);
      expect(await r.text()).not.toContain("b-secret");
    },
  }),
  "POST /workspaces/{id}/domains/{domainId}/verify": (f) => ({
    path: `/api/v1/workspaces/${f.workspaceB}/domains/${f.domainB}/verify`,
    expect: (r) => expect(r.status).toBe(404),
  }),
  "DELETE /workspaces/{id}/domains/{domainId}": (f) => ({
    path: `/api/v1/workspaces/${f.workspaceB}/domains/${f.domainB}`,
    expect: (r) => expect(r.status).toBe(404),
  }),
  "GET /usage": () => ({
    path: "/api/v1/usage",
    expect: (r) => expect(r.status).toBe(200),
  }),
  // The API catalog's: the caller's own organization only (B's usage never counted).
  "GET /catalog": () => ({
    path: "/api/v1/catalog",
    expect: (r) => expect(r.status).toBe(200),
  }),
  "GET /usage/summary": () => ({
    path: "/api/v1/usage/summary",
    expect: async (r) => {
      const body = (await r.json()) as { meters: { calls: number; costMicroCents: number }[] };
      expect(body.meters.every((meter) => meter.calls === 0 && meter.costMicroCents === 0)).toBe(
        true,
      );
    },
  }),
  "GET /usage/endpoints": () => ({
    path: "/api/v1/usage/endpoints",
    expect: async (r) => expect(JSON.stringify(await r.json())).not.toContain("b-secret"),
  }),
  "GET /usage/series": () => ({
    path: "/api/v1/usage/series?days=2",
    expect: async (r) => {
      const body = (await r.json()) as { points: { calls: number }[] };
      expect(body.points.reduce((sum, point) => sum + point.calls, 0)).toBe(0);
    },
  }),
  "GET /usage/log": () => ({
    path: "/api/v1/usage/log",
    expect: async (r) => {
      expect(r.status).toBe(200);
      expect(JSON.stringify(await r.json())).not.toContain("b-secret");
    },
  }),
};

const routes = productRoutes(product);

describe("gateway routes", () => {
  it("every route has a tenancy case", () => {
    const names = routes.map((route) => `${route.method} ${route.path}`);
    expect(names.filter((name) => !(name in TENANCY))).toEqual([]);
  });

  it.each(routes.map((route) => `${route.method} ${route.path}`))(
    "%s: another organization's data stays out of reach",
    async (name) => {
      const snapshot = () =>
        Promise.all([
          db.system.project.findMany({
            where: { organizationId: fx.orgB },
            orderBy: { id: "asc" },
          }),
          db.system.aiTask.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
          db.system.hostingWorkspace.findMany({
            where: { organizationId: fx.orgB },
            orderBy: { id: "asc" },
          }),
          db.system.hostingDomain.findMany({
            where: { organizationId: fx.orgB },
            orderBy: { id: "asc" },
          }),
        ]);
      const before = await snapshot();
      const [method] = name.split(" ");
      const testCase = TENANCY[name]!(fx);
      const answer = await call(gateway, testCase.path, {
        key: fx.keyA,
        method: method!,
        ...(testCase.body !== undefined ? { body: testCase.body } : {}),
      });
      await testCase.expect(answer);
      expect(await snapshot()).toEqual(before);
    },
  );

  it("a disabled module's routes are absent", () => {
    const withoutProjects = {
      ...productRuntime("all"),
      isEnabled: (key: string) =>
        key !== "projects" && key !== "ai-tasks" && key !== "test-automation",
    };
    const paths = productRoutes(withoutProjects).map((route) => route.path);
    expect(paths).toContain("/usage");
    expect(paths).toContain("/practice-sessions");
    expect(
      paths.filter((path) => ["/projects", "/ai/", "/test-runs"].some((p) => path.startsWith(p))),
    ).toEqual([]);
    expect(productRoutes(product).map((route) => route.path)).toContain("/projects/{id}");
  });
});

const HOSTILE_STRINGS = [
  "",
  "\u0000",
  "\ud800",
  "x".repeat(10_000),
  "' OR 1=1 --",
  "../../etc/passwd",
  "%00",
  "c" + "0".repeat(24),
  "${jndi:ldap://x}",
  "<script>",
];
const HOSTILE_VALUES: unknown[] = [...HOSTILE_STRINGS, 0, -1, 1e308, null, true, [], {}, [1, 2]];
const LEAK =
  /prisma|postgres|select |insert |at .*\.ts:|node_modules|stack|TypeError|ReferenceError/i;

describe("fuzz: gateway routes", () => {
  it("never answers 5xx or leaks internals, whatever the input", async () => {
    for (const route of routes) {
      const template = `/api/v1${route.path}`;
      for (const value of HOSTILE_STRINGS) {
        const encoded = value === "\ud800" ? "%ED%A0%80" : encodeURIComponent(value);
        const path = template.replace(/\{\w+\}/g, encoded || "x");
        const query = `?status=${encoded}&extra=${encoded}`;
        const answer = await call(gateway, path + query, { key: fx.keyA, method: route.method });
        const text = await answer.text();
        expect(answer.status, `${route.method} ${path}`).toBeLessThan(500);
        expect(text).not.toMatch(LEAK);
      }
      if (route.method !== "POST") continue;
      for (const value of HOSTILE_VALUES) {
        for (const body of [value, { name: value }, { name: "ok", extra: value }]) {
          const answer = await call(gateway, template, {
            key: fx.keyA,
            method: "POST",
            body: JSON.stringify(body) ?? "",
          });
          const text = await answer.text();
          expect(answer.status, `${template} ${JSON.stringify(body)}`).toBeLessThan(500);
          expect(text).not.toMatch(LEAK);
        }
      }
      for (const raw of ["{", "null", "[]", "\u0000", '{"name": "\\ud800"}']) {
        const answer = await call(gateway, template, { key: fx.keyA, method: "POST", body: raw });
        expect(answer.status, raw).toBeLessThan(500);
        expect(await answer.text()).not.toMatch(LEAK);
      }
    }
    // Hostile headers on any route.
    for (const value of ["Bearer", "Bearer " + "x".repeat(5000), "Basic abc", "Bearer \u00ff"]) {
      const answer = await gateway.app.request("/api/v1/projects", {
        headers: { authorization: value, "idempotency-key": "\u00e9" },
      });
      expect(answer.status).toBe(401);
    }
  }, 120_000);
});
