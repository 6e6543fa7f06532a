// Meter labels come from the module declarations, not from a map in the web app: a module the
// web has never heard of declares a meter, and its quota refusal (the upgrade prompt the pages
// show) names the meter as the module describes it. The operator console's labels:
// modules/product/test/disabled-module.test.ts.
import { describe, expect, it } from "vitest";
import { resolveEntitlements } from "@plinth/billing/entitlements";
import { planRefusal } from "@plinth/billing/gating";
import { createProductRuntime, defineModule, definePreset } from "@plinth/platform";
import { describeRefusal, upgradeOfferOf, upgradeRefusalOf } from "@plinth/web-kit/errors";

const widgets = defineModule({
  key: "widgets",
  name: "Widgets",
  description: "A module the web app has no code for.",
  meters: { "widget.renders": { description: "Widget renders", unit: "render" } },
});

const plan = {
  description: "Widgets.",
  features: { sso: false, "audit.read": false, "api.access": false },
  limits: { seats: 3, apiKeys: 0 },
  rateLimits: { api: { requests: 10, windowSeconds: 60 } },
};
const product = createProductRuntime(
  definePreset({
    key: "widgets",
    name: "Widgets",
    description: "Core and the widgets module.",
    modules: [widgets],
    trialPlan: "trial",
    plans: {
      trial: {
        ...plan,
        name: "Trial",
        prices: {},
        trialDays: 14,
        purchasable: false,
        quotas: { "api.requests": { included: 0 }, "widget.renders": { included: 10 } },
      },
      pro: {
        ...plan,
        name: "Pro",
        prices: { month: 1_000 },
        purchasable: true,
        quotas: { "api.requests": { included: 0 }, "widget.renders": { included: 1_000 } },
      },
    },
    demo: {
      trial: { email: "trial@widgets.test", name: "Tina", organization: "Widgets Trial" },
      pro: { email: "pro@widgets.test", name: "Pete", organization: "Widgets Pro" },
    },
  }),
);

function quotaRefusal() {
  const now = new Date("2026-12-01T12:00:00.000Z");
  const entitlements = resolveEntitlements(product.catalog, {
    organization: { createdAt: now, trialEndsAt: new Date("2026-12-15T12:00:00.000Z") },
    subscription: null,
    now,
    pastDueGraceDays: 7,
  });
  const error = planRefusal(
    { product, entitlements },
    { kind: "quota", meter: "widget.renders", used: 10, included: 10 },
  );
  const refusal = upgradeRefusalOf({ message: error.message, data: { appError: error.data } });
  if (refusal?.code !== "QUOTA_EXCEEDED") throw new Error("expected a quota refusal");
  return { error, refusal };
}

describe("meter labels", () => {
  it("labels a new module's quota refusal with the module's own description", () => {
    const { error, refusal } = quotaRefusal();
    expect(refusal.meterLabel).toBe("Widget renders");
    expect(error.message).toContain("Widget renders");
    expect(upgradeOfferOf(refusal, "Trial")).toEqual({
      reason: "You have used all 10 widget renders included this period.",
      planName: "Pro",
      usage: { current: 10, max: 10, label: "Widget renders" },
    });
    expect(describeRefusal(refusal, "Trial")).toContain("widget renders");
  });
});
