// The gateway's pipeline in one process on a real PostgreSQL: problem+json per refusal, the
// one 401 for every bad key (a mistyped one without a database read), scopes, validation,
// the projects and usage routes, tenancy, rate-limit headers and 429, idempotency, quota
// under concurrency, and metering (events and counters equal the answered requests).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordUsage } from "@plinth/billing/usage";
import type { TestDatabase } from "@plinth/db/testing";
import { requestFingerprint } from "../src/idempotency.ts";
import type { GatewayRuntime } from "../src/runtime.ts";
import { call, createOrganization, issueKey, startDatabase, startGateway } from "./kit.ts";

let db: TestDatabase;
let gateway: GatewayRuntime;

beforeAll(async () => {
  db = await startDatabase();
  gateway = await startGateway(db);
});
afterAll(async () => {
  await gateway?.close();
  await db?.drop();
});

type Problem = Record<string, unknown>;

async function problem(response: Response): Promise<Problem> {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as Problem;
  expect(body).toMatchObject({ status: response.status });
  expect(body.type).toMatch(/^https:\/\/plinth\.dev\/problems\/[a-z-]+$/);
  expect(body.instance).toBe(`urn:uuid:${response.headers.get("x-request-id")}`);
  return body;
}

describe("authentication", () => {
  it("answers every bad key with the same 401, a mistyped one without a database read", async () => {
    const { organization } = await createOrganization(db);
    const revoked = await issueKey(db, organization.id);
    await db.system.apiKey.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    const expired = await issueKey(db, organization.id, { expiresAt: new Date(Date.now() - 1000) });
    const valid = await issueKey(db, organization.id);
    const mistyped = valid.key.slice(0, -1) + (valid.key.endsWith("a") ? "b" : "a");
    const unknown = (await issueKey(db, organization.id)).key;
    await db.system.apiKey.deleteMany({
      where: {
        organizationId: organization.id,
        name: "test",
        NOT: { id: { in: [valid.id, revoked.id, expired.id] } },
      },
    });

    const loadsBefore = gateway.verifier.stats.loads;
    const mistypedAnswer = await call(gateway, "/api/v1/projects", { key: mistyped });
    expect(gateway.verifier.stats.loads).toBe(loadsBefore);

    const answers = [
      mistypedAnswer,
      await call(gateway, "/api/v1/projects"),
      await call(gateway, "/api/v1/projects", { key: "plk_live_nope" }),
      await call(gateway, "/api/v1/projects", { key: unknown }),
      await call(gateway, "/api/v1/projects", { key: revoked.key }),
      await call(gateway, "/api/v1/projects", { key: expired.key }),
    ];
    const bodies = [];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="api"');
      const { instance: _instance, requestId: _requestId, ...rest } = await problem(answer);
      bodies.push(rest);
    }
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({ code: "UNAUTHENTICATED", title: "Authentication required" });

    expect((await call(gateway, "/api/v1/projects", { key: valid.key })).status).toBe(200);
  });

  it("health needs no key; unknown routes are a 404 problem", async () => {
    const health = await call(gateway, "/api/v1/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "ok" });
    expect(health.headers.get("ratelimit-policy")).toMatch(/^"ip";q=\d+;w=60$/);
    const { organization } = await createOrganization(db);
    const { key } = await issueKey(db, organization.id);
    const missing = await call(gateway, "/api/v1/nothing-here", { key });
    expect(missing.status).toBe(404);
    expect(await problem(missing)).toMatchObject({ code: "NOT_FOUND", resource: "Route" });
  });
});

describe("routes", () => {
  it("creates, lists and reads projects; refuses a missing scope, bad input and other tenants", async () => {
    const { organization } = await createOrganization(db);
    const { key } = await issueKey(db, organization.id);
    const created = await call(gateway, "/api/v1/projects", {
      key,
      method: "POST",
      body: { name: "  Gateway  " },
    });
    expect(created.status).toBe(201);
    const project = (await created.json()) as { id: string; name: string; status: string };
    expect(project).toMatchObject({ name: "Gateway", status: "ACTIVE" });

    const list = await call(gateway, "/api/v1/projects", { key });
    expect(((await list.json()) as { data: { id: string }[] }).data.map((p) => p.id)).toContain(
      project.id,
    );
    const one = await call(gateway, `/api/v1/projects/${project.id}`, { key });
    expect(await one.json()).toMatchObject({ id: project.id, name: "Gateway" });

    // Another organization's key: the same 404 as for a project that does not exist.
    const other = await createOrganization(db);
    const otherKey = (await issueKey(db, other.organization.id)).key;
    const foreign = await call(gateway, `/api/v1/projects/${project.id}`, { key: otherKey });
    expect(foreign.status).toBe(404);
    expect(await problem(foreign)).toMatchObject({ code: "NOT_FOUND", resource: "Project" });
    const foreignList = await call(gateway, "/api/v1/projects?status=ALL", { key: otherKey });
    expect((await foreignList.json()) as unknown).toEqual({ data: [] });

    const readOnly = (await issueKey(db, organization.id, { scopes: ["projects:read"] })).key;
    const refused = await call(gateway, "/api/v1/projects", {
      key: readOnly,
      method: "POST",
      body: { name: "Nope" },
    });
    expect(refused.status).toBe(403);
    expect(await problem(refused)).toMatchObject({
      code: "INSUFFICIENT_SCOPE",
      requiredScope: "projects:write",
    });

    const invalid = await call(gateway, "/api/v1/projects", {
      key,
      method: "POST",
      body: { name: "" },
    });
    expect(invalid.status).toBe(400);
    expect(await problem(invalid)).toMatchObject({
      code: "VALIDATION",
      fieldErrors: { name: ["Enter a project name"] },
    });
    const malformed = await call(gateway, "/api/v1/projects", {
      key,
      method: "POST",
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    expect(await problem(malformed)).toMatchObject({ code: "MALFORMED_REQUEST" });
    const badId = await call(gateway, "/api/v1/projects/not-an-id", { key });
    expect(badId.status).toBe(400);
    expect(await problem(badId)).toMatchObject({ fieldErrors: { id: ["Not a valid id"] } });
  });

  it("refuses a create over the plan's projects limit with the upgrade offer", async () => {
    const { organization } = await createOrganization(db, "trial");
    const { key } = await issueKey(db, organization.id);
    const first = await call(gateway, "/api/v1/projects", {
      key,
      method: "POST",
      body: { name: "A" },
    });
    expect(first.status).toBe(201);
    const second = await call(gateway, "/api/v1/projects", {
      key,
      method: "POST",
      body: { name: "B" },
    });
    expect(second.status).toBe(403);
    expect(await problem(second)).toMatchObject({
      code: "PLAN_LIMIT_REACHED",
      limit: "projects",
      max: 1,
      upgrade: { planKey: "payg" }, // the cheapest plan without the limit
    });
  });

  it("GET /usage shows the current period per meter", async () => {
    const { organization } = await createOrganization(db, "payg");
    const { key } = await issueKey(db, organization.id);
    for (let i = 0; i < 3; i++) await call(gateway, "/api/v1/projects", { key });
    await gateway.writer.flush();
    const usage = await call(gateway, "/api/v1/usage", { key });
    expect(usage.status).toBe(200);
    const body = (await usage.json()) as {
      plan: string;
      meters: { meter: string; used: number; overage: number; included: number | null }[];
    };
    expect(body.plan).toBe("payg");
    expect(body.meters.find((m) => m.meter === "api.requests")).toMatchObject({
      used: 3,
      included: 0,
      overage: 3,
    });
  });
});

describe("rate limits", () => {
  it("gives a Trial key 10 requests a minute, with the headers on every answer, then 429", async () => {
    const { organization } = await createOrganization(db, "trial");
    const { key } = await issueKey(db, organization.id);
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await call(gateway, "/api/v1/projects", { key }));
    answers.slice(0, 10).forEach((answer, index) => {
      expect(answer.status).toBe(200);
      expect(answer.headers.get("ratelimit-policy")).toBe('"api";q=10;w=60');
      expect(answer.headers.get("ratelimit")).toMatch(new RegExp(`^"api";r=${9 - index};t=\\d+$`));
      expect(answer.headers.get("x-ratelimit-limit")).toBe("10");
      expect(answer.headers.get("x-ratelimit-remaining")).toBe(String(9 - index));
    });
    const refused = answers[10]!;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(await problem(refused)).toMatchObject({ code: "RATE_LIMITED" });
  });

  it("a key's own limit replaces the plan's", async () => {
    const { organization } = await createOrganization(db, "pro");
    const { key } = await issueKey(db, organization.id, {
      rateLimit: { requests: 2, windowSeconds: 10 },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call(gateway, "/api/v1/usage", { key })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe("idempotency keys", () => {
  it("replays the same request, refuses another body (422) and a concurrent duplicate (409)", async () => {
    const { organization } = await createOrganization(db);
    const { key } = await issueKey(db, organization.id);
    const post = (name: string, idem: string) =>
      call(gateway, "/api/v1/projects", {
        key,
        method: "POST",
        body: { name },
        headers: { "idempotency-key": idem },
      });
    const first = await post("Once", "idem-1");
    expect(first.status).toBe(201);
    const created: unknown = await first.json();
    const replay = await post("Once", "idem-1");
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toEqual(created);
    expect(await db.system.project.count({ where: { organizationId: organization.id } })).toBe(1);

    const other = await post("Twice", "idem-1");
    expect(other.status).toBe(422);
    expect(await problem(other)).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });

    // A request still being answered (claimed, no answer stored yet): 409.
    await db.system.idempotencyKey.create({
      data: {
        organizationId: organization.id,
        key: "idem-running",
        fingerprint: requestFingerprint(
          "POST",
          "/api/v1/projects",
          JSON.stringify({ name: "Race" }),
        ),
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    const running = await post("Race", "idem-running");
    expect(running.status).toBe(409);
    expect(await problem(running)).toMatchObject({ code: "IDEMPOTENCY_KEY_IN_USE" });

    // Racing duplicates: one creation; the other is a 409 or (if it came late) the replay.
    const concurrent = await Promise.all(Array.from({ length: 4 }, () => post("Race", "idem-2")));
    for (const answer of concurrent) {
      expect(
        answer.status === 409 ||
          (answer.status === 201 && answer.headers.get("idempotent-replayed") !== "true") ||
          answer.headers.get("idempotent-replayed") === "true",
      ).toBe(true);
    }
    expect(
      concurrent.filter((a) => a.status === 201 && !a.headers.get("idempotent-replayed")),
    ).toHaveLength(1);
    expect(
      await db.system.project.count({ where: { organizationId: organization.id, name: "Race" } }),
    ).toBe(1);

    // Per organization: another organization's same key is its own.
    const stranger = await createOrganization(db);
    const strangerKey = (await issueKey(db, stranger.organization.id)).key;
    const theirs = await call(gateway, "/api/v1/projects", {
      key: strangerKey,
      method: "POST",
      body: { name: "Once" },
      headers: { "idempotency-key": "idem-1" },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();

    // Expired after 24 h: the key runs again.
    await db.system.idempotencyKey.updateMany({
      where: { organizationId: organization.id, key: "idem-1" },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const again = await post("Once", "idem-1");
    expect(again.status).toBe(409); // the name is taken: the request really ran again
    expect(again.headers.get("idempotent-replayed")).toBeNull();
  });
});

describe("quota and metering", () => {
  it("never lets a hard-capped quota be exceeded under concurrency", async () => {
    const { organization } = await createOrganization(db, "pro");
    const { key } = await issueKey(db, organization.id, {
      rateLimit: { requests: 1_000, windowSeconds: 60 },
    });
    // Pro includes 100,000 requests: start 5 short of the cap.
    await recordUsage(db.system, {
      organizationId: organization.id,
      meter: "api.requests",
      quantity: 99_995,
    });
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => call(gateway, "/api/v1/projects", { key })),
    );
    const statuses = answers.map((answer) => answer.status);
    await gateway.writer.flush();
    const counter = await db.system.usageCounter.findMany({
      where: { organizationId: organization.id, meter: "api.requests" },
    });
    const total = counter.reduce((sum, row) => sum + Number(row.quantity), 0);
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(25);
    expect(total).toBe(100_000);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(await problem(refused)).toMatchObject({
      code: "QUOTA_EXCEEDED",
      meter: "api.requests",
      included: 100_000,
    });
  });

  it("writes one usage event per answered request and counts each once", async () => {
    const { organization } = await createOrganization(db, "hybrid");
    const { key, id } = await issueKey(db, organization.id);
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        call(
          gateway,
          i % 5 === 0 ? "/api/v1/projects/c000000000000000000000000" : "/api/v1/projects",
          { key },
        ),
      ),
    );
    await gateway.writer.flush();
    const events = await db.system.usageEvent.findMany({
      where: { organizationId: organization.id },
    });
    expect(events).toHaveLength(answers.length);
    expect(events.every((event) => event.apiKeyId === id && event.meter === "api.requests")).toBe(
      true,
    );
    expect(events.filter((event) => event.status === 404)).toHaveLength(5);
    expect(new Set(events.map((event) => event.route))).toEqual(
      new Set(["/api/v1/projects", "/api/v1/projects/{id}"]),
    );
    const counters = await db.system.usageCounter.findMany({
      where: { organizationId: organization.id, meter: "api.requests" },
    });
    expect(counters.reduce((sum, row) => sum + Number(row.quantity), 0)).toBe(25);
  });
});
