// POST /api/v1/practice-sessions needs the named member's recording consent: an API key acts
// for the company, but the voice is the member's, so the member's own consent (current
// version) is what counts. Without it: 412 CONSENT_REQUIRED, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECORDING_CONSENT_VERSION } from "@plinth/platform/contracts";
import type { TestDatabase } from "@plinth/db/testing";
import type { GatewayRuntime } from "../src/runtime.ts";
import * as kit from "./kit.ts";

let db: TestDatabase;
let gateway: GatewayRuntime;
beforeAll(async () => {
  db = await kit.startDatabase();
  gateway = await kit.startGateway(db);
});
afterAll(async () => {
  await gateway.close();
  await db.drop();
});

describe("POST /api/v1/practice-sessions and recording consent", () => {
  it("refuses a member without consent (412, nothing written), starts once they agreed", async () => {
    const { organization, owner } = await kit.createOrganization(db, "pro");
    const scenario = await db.system.practiceScenario.create({
      data: {
        organizationId: organization.id,
        name: "Cold call",
        persona: "A busy CFO",
        product: "Plinth Voice",
        rubric: { skills: [{ id: "x", name: "X", rules: [{ kind: "questions", min: 1 }] }] },
      },
    });
    const { key } = await kit.issueKey(db, organization.id);
    const start = () =>
      kit.call(gateway, "/api/v1/practice-sessions", {
        key,
        method: "POST",
        body: { scenarioId: scenario.id, userId: owner.id },
      });

    const refused = await start();
    expect(refused.status).toBe(412);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({
      status: 412,
      type: "https://plinth.dev/problems/consent-required",
      code: "CONSENT_REQUIRED",
      kind: "RECORDING",
      version: RECORDING_CONSENT_VERSION,
    });
    // An older text's consent, or a withdrawal after the grant, does not count either.
    await db.system.consentRecord.create({
      data: { userId: owner.id, kind: "RECORDING", version: "2020-01-01", granted: true },
    });
    expect((await start()).status).toBe(412);
    expect(await db.system.practiceSession.count()).toBe(0);
    expect(await db.system.minuteLedgerEntry.count()).toBe(0);
    expect(await db.system.usageCounter.count({ where: { meter: "session.minutes" } })).toBe(0);

    await db.system.consentRecord.create({
      data: {
        userId: owner.id,
        kind: "RECORDING",
        version: RECORDING_CONSENT_VERSION,
        granted: true,
        recordedAt: new Date(Date.now() + 1),
      },
    });
    const started = await start();
    expect(started.status).toBe(201);
    expect(await db.system.practiceSession.count()).toBe(1);
  });
});
