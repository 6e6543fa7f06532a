// The AI-task routes through the whole gateway pipeline: POST /api/v1/ai/tasks answers 202
// with the queued task (an Idempotency-Key replays the first answer: one task, one quota
// unit), GET /api/v1/ai/tasks/{id} reads it back once the worker ran it, scopes are enforced,
// bad input is a 400 and the plan's ai.tasks quota refuses with the upgrade offer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordUsage } from "@plinth/billing/usage";
import type { TestDatabase } from "@plinth/db/testing";
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

async function templateOf(organizationId: string) {
  return db.system.aiTaskTemplate.create({
    data: {
      organizationId,
      name: "Greet",
      provider: "offline",
      model: "offline-demo",
      promptTemplate: "Greet {{name}}",
      variables: [{ name: "name", type: "string", required: true }],
    },
  });
}

describe("POST/GET /api/v1/ai/tasks", () => {
  it("202 with the queued task; the same Idempotency-Key replays it; GET reads it", async () => {
    const { organization } = await createOrganization(db, "pro");
    const { key } = await issueKey(db, organization.id, { scopes: ["ai:read", "ai:write"] });
    const template = await templateOf(organization.id);
    const post = () =>
      call(gateway, "/api/v1/ai/tasks", {
        key,
        method: "POST",
        body: { templateId: template.id, input: { name: "Ada" } },
        headers: { "idempotency-key": "greet-ada-1" },
      });
    const first = await post();
    expect(first.status).toBe(202);
    const task = (await first.json()) as { id: string; status: string; offline: boolean };
    expect(task).toMatchObject({ status: "QUEUED", offline: true, provider: "offline" });
    const again = await post();
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as { id: string }).id).toBe(task.id);
    expect(await db.system.aiTask.count({ where: { organizationId: organization.id } })).toBe(1);
    const used = await db.system.usageCounter.findFirst({
      where: { organizationId: organization.id, meter: "ai.tasks" },
    });
    expect(Number(used?.quantity)).toBe(1);

    const read = await call(gateway, `/api/v1/ai/tasks/${task.id}`, { key });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: task.id, input: { name: "Ada" } });
  });

  it("refuses a key without ai:write, bad input and an exhausted quota", async () => {
    const { organization } = await createOrganization(db, "trial");
    const template = await templateOf(organization.id);
    const readOnly = (await issueKey(db, organization.id, { scopes: ["ai:read"] })).key;
    const refused = await call(gateway, "/api/v1/ai/tasks", {
      key: readOnly,
      method: "POST",
      body: { templateId: template.id, input: { name: "x" } },
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      code: "INSUFFICIENT_SCOPE",
      requiredScope: "ai:write",
    });

    const { key } = await issueKey(db, organization.id, { scopes: ["ai:read", "ai:write"] });
    const missing = await call(gateway, "/api/v1/ai/tasks", {
      key,
      method: "POST",
      body: { templateId: template.id, input: {} },
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: "INVALID_INPUT", field: "input" });

    const badId = await call(gateway, "/api/v1/ai/tasks/not-an-id", { key });
    expect(badId.status).toBe(400);

    await recordUsage(db.system, {
      organizationId: organization.id,
      meter: "ai.tasks",
      quantity: 20,
    });
    const over = await call(gateway, "/api/v1/ai/tasks", {
      key,
      method: "POST",
      body: { templateId: template.id, input: { name: "x" } },
    });
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({
      code: "QUOTA_EXCEEDED",
      meter: "ai.tasks",
      upgrade: { planKey: "payg" },
    });
  });
});
