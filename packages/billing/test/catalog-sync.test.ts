import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../src/catalog.ts";
import { demoCatalog } from "./catalog.ts";
import { syncCatalog } from "../src/stripe/catalog-sync.ts";
import { desiredPrices } from "../src/stripe/prices.ts";
import { startStripeTestServer, type StripeTestServer } from "./stripe-server.ts";

let server: StripeTestServer;
beforeAll(async () => {
  server = await startStripeTestServer();
});
afterAll(() => server.close());

const activePrices = () => [...server.prices.values()].filter((price) => price.active === true);

describe("catalog sync", () => {
  it("creates one product per purchasable plan, one meter per meter key and every price by lookup key", async () => {
    const stripe = server.client();
    const result = await syncCatalog(stripe, demoCatalog);
    expect([...server.products.keys()].sort()).toEqual([
      "plinth_enterprise",
      "plinth_hybrid",
      "plinth_payg",
      "plinth_pro",
    ]);
    expect([...server.meters.values()].map((m) => m.event_name).sort()).toEqual([
      "plinth_ai_tasks",
      "plinth_api_requests",
      "plinth_session_minutes",
    ]);
    const keys = activePrices()
      .map((price) => price.lookup_key)
      .sort();
    expect(keys).toEqual(
      desiredPrices(demoCatalog.plans)
        .map((price) => price.lookupKey)
        .sort(),
    );
    expect(keys).toContain("plinth_pro_month");
    expect(keys).toContain("plinth_hybrid_api_requests_month_metered");

    const pro = activePrices().find((price) => price.lookup_key === "plinth_pro_year");
    expect(pro).toMatchObject({
      unit_amount: 29_000,
      recurring: { interval: "year", usage_type: "licensed" },
    });
    // payg: metered per API request at 20 hundredths of a cent = 0.2 cents, on the meter.
    const payg = activePrices().find(
      (price) => price.lookup_key === "plinth_payg_api_requests_month_metered",
    );
    const meter = [...server.meters.values()].find((m) => m.event_name === "plinth_api_requests");
    expect(payg).toMatchObject({ recurring: { usage_type: "metered", meter: meter?.id } });
    expect(String(payg?.unit_amount_decimal)).toBe("0.2");
    expect(result.archived).toEqual([]);
  });

  it("is idempotent: a second run creates, updates and archives nothing", async () => {
    const before = {
      prices: server.prices.size,
      products: server.products.size,
      meters: server.meters.size,
    };
    const result = await syncCatalog(server.client(), demoCatalog);
    expect(result).toMatchObject({ created: [], updated: [], archived: [] });
    expect({
      prices: server.prices.size,
      products: server.products.size,
      meters: server.meters.size,
    }).toEqual(before);
  });

  it("moves a lookup key to a new price when an amount changes and archives prices that left the catalog", async () => {
    const plans: Plan[] = demoCatalog.plans
      .filter((plan) => plan.key !== "enterprise")
      .map((plan) => (plan.key === "pro" ? { ...plan, prices: { month: 3_900 } } : plan));
    const result = await syncCatalog(server.client(), demoCatalog, { plans });
    expect(result.created).toEqual(["price plinth_pro_month"]);
    expect(result.archived.sort()).toEqual(
      [
        "price plinth_pro_month",
        "price plinth_pro_year",
        "price plinth_enterprise_month",
        "price plinth_enterprise_year",
        "product plinth_enterprise",
      ].sort(),
    );
    const proMonth = activePrices().filter((price) => price.lookup_key === "plinth_pro_month");
    expect(proMonth).toHaveLength(1);
    expect(proMonth[0]?.unit_amount).toBe(3_900);
    expect(server.products.get("plinth_enterprise")?.active).toBe(false);
    // Back to the real catalog: everything is restored, then stable again.
    await syncCatalog(server.client(), demoCatalog);
    expect((await syncCatalog(server.client(), demoCatalog)).created).toEqual([]);
    expect(
      activePrices()
        .map((p) => p.lookup_key)
        .sort(),
    ).toEqual(
      desiredPrices(demoCatalog.plans)
        .map((p) => p.lookupKey)
        .sort(),
    );
  });
});
