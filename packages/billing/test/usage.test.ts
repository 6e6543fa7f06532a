import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureStripeCustomer } from "../src/stripe/customers.ts";
import { billableUnits, reportUsage } from "../src/stripe/usage.ts";
import { createHarness, type BillingHarness } from "./helpers.ts";

let h: BillingHarness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const periodStart = new Date("2026-11-01T00:00:00Z");

async function metered(planLookupKeys: string[]) {
  const org = await h.createOrg();
  const customer = await ensureStripeCustomer(h.deps, org.id);
  const { events } = h.server.createSubscription(customer, planLookupKeys);
  await h.deliver(events);
  return { org, customer };
}

const setUsage = (organizationId: string, meter: string, quantity: number) =>
  h.db.system.usageCounter.upsert({
    where: { organizationId_meter_periodStart: { organizationId, meter, periodStart } },
    create: { organizationId, meter, periodStart, quantity },
    update: { quantity },
  });

const counter = (organizationId: string, meter: string) =>
  h.db.system.usageCounter.findUniqueOrThrow({
    where: { organizationId_meter_periodStart: { organizationId, meter, periodStart } },
  });

const PAYG = [
  "plinth_payg_api_requests_month_metered",
  "plinth_payg_ai_tasks_month_metered",
  "plinth_payg_session_minutes_month_metered",
];
const HYBRID = ["plinth_hybrid_month", ...PAYG.map((key) => key.replace("payg", "hybrid"))];

describe("reportUsage", () => {
  it("reports only what was not reported yet, as meter events with identifiers", async () => {
    const { org, customer } = await metered(PAYG);
    await setUsage(org.id, "api.requests", 120);
    const first = await reportUsage(h.deps, { organizationId: org.id });
    expect(first.failed).toEqual([]);
    expect(first.reported.map((r) => r.value)).toEqual([120n]);
    expect(h.server.meterEventTotal("plinth_api_requests", customer)).toBe(120);
    expect((await counter(org.id, "api.requests")).reportedQuantity).toBe(120n);

    expect((await reportUsage(h.deps, { organizationId: org.id })).reported).toEqual([]);
    await setUsage(org.id, "api.requests", 200);
    await reportUsage(h.deps, { organizationId: org.id });
    expect(h.server.meterEventTotal("plinth_api_requests", customer)).toBe(200);
    expect(await h.db.system.meterReport.count({ where: { organizationId: org.id } })).toBe(2);
  });

  it("a report retried after Stripe accepted it but the response was lost is not double counted", async () => {
    const { org, customer } = await metered(PAYG);
    await setUsage(org.id, "ai.tasks", 50);
    h.server.faults.meterEventsAcceptedThenFail = 1;
    const failed = await reportUsage(h.deps, { organizationId: org.id });
    expect(failed.failed).toHaveLength(1);
    expect(h.server.meterEventTotal("plinth_ai_tasks", customer)).toBe(50); // Stripe did record it
    expect((await counter(org.id, "ai.tasks")).reportedQuantity).toBe(0n);

    // More usage arrives before the retry; the retry re-sends the pending range verbatim first.
    await setUsage(org.id, "ai.tasks", 80);
    const retried = await reportUsage(h.deps, { organizationId: org.id });
    expect(retried.failed).toEqual([]);
    expect(retried.reported.map((r) => [r.value, r.resent])).toEqual([
      [50n, true],
      [30n, false],
    ]);
    expect(h.server.meterEventTotal("plinth_ai_tasks", customer)).toBe(80);
    expect((await counter(org.id, "ai.tasks")).reportedQuantity).toBe(80n);

    // Concurrent runs neither double count nor fail.
    await setUsage(org.id, "ai.tasks", 100);
    await Promise.all([
      reportUsage(h.deps, { organizationId: org.id }),
      reportUsage(h.deps, { organizationId: org.id }),
    ]);
    expect(h.server.meterEventTotal("plinth_ai_tasks", customer)).toBe(100);
  });

  it("hybrid: only usage beyond the included quota is billed", async () => {
    const { org, customer } = await metered(HYBRID);
    await setUsage(org.id, "ai.tasks", 1_500); // included: 2 000
    expect((await reportUsage(h.deps, { organizationId: org.id })).reported).toEqual([]);
    expect((await counter(org.id, "ai.tasks")).reportedQuantity).toBe(1_500n);
    expect(h.server.meterEventTotal("plinth_ai_tasks", customer)).toBe(0);

    await setUsage(org.id, "ai.tasks", 2_300);
    await reportUsage(h.deps, { organizationId: org.id });
    expect(h.server.meterEventTotal("plinth_ai_tasks", customer)).toBe(300);
    await setUsage(org.id, "ai.tasks", 2_350);
    await reportUsage(h.deps, { organizationId: org.id });
    expect(h.server.meterEventTotal("plinth_ai_tasks", customer)).toBe(350);
  });

  it("does not report for flat plans or organizations without a Stripe subscription", async () => {
    const { org } = await metered(["plinth_pro_month"]);
    await setUsage(org.id, "api.requests", 10_000_000);
    const local = await h.createOrg();
    await setUsage(local.id, "api.requests", 10);
    const before = h.server.meterEvents.size;
    await reportUsage(h.deps);
    expect(h.server.meterEvents.size).toBe(before);
  });

  it("billableUnits subtracts the included quota; unlimited is never billed", () => {
    expect(billableUnits(10n, 0)).toBe(10n);
    expect(billableUnits(10n, 20)).toBe(0n);
    expect(billableUnits(25n, 20)).toBe(5n);
    expect(billableUnits(25n, null)).toBe(0n);
  });
});
