import { describe, expect, it } from "vitest";
import { resolveAccess, resolveEntitlements, type SubscriptionState } from "@plinth/billing";
import { demoCatalog } from "./catalog.ts";

const now = new Date("2026-11-22T12:00:00Z");
const day = 86_400_000;
const org = { trialEndsAt: new Date(now.getTime() + 3 * day), createdAt: now };
const sub = (over: Partial<SubscriptionState>): SubscriptionState => ({
  planKey: "pro",
  status: "ACTIVE",
  trialEndsAt: null,
  pastDueSince: null,
  currentPeriodStart: null,
  currentPeriodEnd: null,
  cancelAtPeriodEnd: false,
  ...over,
});
const resolve = (subscription: SubscriptionState | null, organization = org) =>
  resolveEntitlements(demoCatalog, { organization, subscription, now, pastDueGraceDays: 7 });

describe("resolveEntitlements", () => {
  it("an organization without subscription is on the trial until trialEndsAt", () => {
    const e = resolve(null);
    expect(e.plan.key).toBe("trial");
    expect(e.access).toBe("full");
    expect(e.limits.projects).toBe(1);
  });

  it("an expired trial is read-only with TRIAL_EXPIRED", () => {
    const e = resolve(null, { ...org, trialEndsAt: new Date(now.getTime() - 1) });
    expect(e).toMatchObject({
      status: "trial_expired",
      access: "read_only",
      readOnlyReason: "TRIAL_EXPIRED",
    });
  });

  it("active Pro has unlimited projects", () => {
    const e = resolve(sub({}));
    expect(e).toMatchObject({ status: "active", access: "full" });
    expect(e.limits.projects).toBeNull();
    expect(e.features["team.invite"]).toBe(false);
  });

  it("past_due keeps access through the grace period, then restricts", () => {
    expect(
      resolve(sub({ status: "PAST_DUE", pastDueSince: new Date(now.getTime() - 2 * day) })),
    ).toMatchObject({
      status: "past_due_grace",
      access: "full",
    });
    expect(
      resolve(sub({ status: "PAST_DUE", pastDueSince: new Date(now.getTime() - 8 * day) })),
    ).toMatchObject({
      status: "restricted",
      access: "read_only",
      readOnlyReason: "PAYMENT_OVERDUE",
    });
  });

  it("canceled subscriptions are read-only", () => {
    expect(resolve(sub({ status: "CANCELED" }))).toMatchObject({
      access: "read_only",
      readOnlyReason: "SUBSCRIPTION_INACTIVE",
    });
  });

  it("an unknown plan key falls back to the trial's entitlements, never more", () => {
    expect(resolve(sub({ planKey: "gold" })).plan.key).toBe("trial");
  });
});

describe("cheapestPlanWhere", () => {
  it("finds the cheapest plan lifting a limit or feature", () => {
    expect(demoCatalog.cheapestPlanWhere((p) => p.limits.projects === null)?.key).toBe("payg");
    expect(demoCatalog.cheapestPlanWhere((p) => p.features.sso === true)?.key).toBe("enterprise");
  });
});

describe("resolveAccess", () => {
  it("answers the access part of the entitlements without the catalog, for every state", () => {
    const cases: (SubscriptionState | null)[] = [
      null,
      sub({}),
      sub({ status: "TRIALING", trialEndsAt: new Date(now.getTime() - 1) }),
      sub({ status: "PAST_DUE", pastDueSince: new Date(now.getTime() - 2 * day) }),
      sub({ status: "PAST_DUE", pastDueSince: new Date(now.getTime() - 8 * day) }),
      sub({ status: "UNPAID" }),
      sub({ status: "CANCELED" }),
      sub({ status: "PAUSED" }),
    ];
    for (const subscription of cases) {
      const { status, access, readOnlyReason, trialEndsAt, graceEndsAt } = resolve(subscription);
      expect(resolveAccess({ organization: org, subscription, now, pastDueGraceDays: 7 })).toEqual({
        status,
        access,
        readOnlyReason,
        trialEndsAt,
        graceEndsAt,
      });
    }
  });
});
