// Sign-up with the plan choice (issue 14, "Sign-up as the design has it"), on real PostgreSQL:
// the trial starts at once; a paid choice creates the same trial organization, keeps the
// choice on it, and its owner checks out for that plan (local provider) once verified — which
// clears the choice; a plan the product does not offer at sign-up is a 4xx with nothing
// written; a registered address gets the same answer whatever plan it names. The
// test-automation preset offers exactly Trial, Pro and Enterprise.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TRPCError } from "@trpc/server";
import type { AppError } from "@plinth/core/errors";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { createCatalog } from "@plinth/billing/catalog";
import { createProductRuntime } from "@plinth/platform";
import presets from "../../../plinth.config.ts";
import { createAppRouter } from "../src/root.ts";
import { createTestKit } from "./helpers.ts";

// The test-automation product: its own catalog (Trial, Pro, Enterprise; no pay-as-you-go).
const product = createProductRuntime(presets["test-automation"]);
const { callerFor } = createTestKit(product, createAppRouter(product, {}));

let db: TestDatabase;
let ipCounter = 0;
/** A fresh IP per call: the per-IP sign-up limit is not what these tests are about. */
const anonymous = () => callerFor(db, null, { ip: `192.0.2.${++ipCounter}` });
const PASSWORD = "a sufficiently long password";

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function signedUp(email: string) {
  const user = await db.system.user.findUniqueOrThrow({ where: { email } });
  const membership = await db.system.membership.findFirstOrThrow({
    where: { userId: user.id },
    include: { organization: { include: { subscription: true } } },
  });
  const caller = callerFor(db, {
    id: user.id,
    email: user.email,
    name: user.name,
    platformRole: "USER",
    status: "ACTIVE",
  });
  return { user, organization: membership.organization, caller };
}

const counts = async () => ({
  users: await db.system.user.count(),
  organizations: await db.system.organization.count(),
  emails: await db.system.email.count(),
  audit: await db.system.auditLog.count(),
});

describe("the sign-up plans of a preset", () => {
  it("test-automation offers Trial, Pro and Enterprise (trial first, then by price)", () => {
    expect(product.catalog.signUpPlans.map((plan) => plan.key)).toEqual([
      "trial",
      "pro",
      "enterprise",
    ]);
  });

  it("the demo preset offers every purchasable plan; a plan can opt out", () => {
    const all = createProductRuntime(presets.all).catalog;
    expect(all.signUpPlans.map((plan) => plan.key)).toEqual([
      "trial",
      "payg",
      "pro",
      "hybrid",
      "enterprise",
    ]);
    const optedOut = createCatalog({
      plans: all.plans.map((plan) =>
        plan.key === "payg" ? { ...plan, offeredAtSignUp: false } : plan,
      ),
      trialPlan: "trial",
      features: all.featureKeys,
      limits: all.limitKeys,
      meters: all.meterKeys,
    });
    expect(optedOut.signUpPlans.map((plan) => plan.key)).toEqual([
      "trial",
      "pro",
      "hybrid",
      "enterprise",
    ]);
  });
});

describe("account.signUp with a plan", () => {
  it("the trial (named or by default) starts immediately, nothing left to check out", async () => {
    for (const [email, planKey] of [
      ["trial-named@example.com", "trial"],
      ["trial-default@example.com", undefined],
    ] as const) {
      expect(
        await anonymous().account.signUp({
          name: "Tara Trial",
          email,
          password: PASSWORD,
          ...(planKey ? { planKey } : {}),
        }),
      ).toEqual({ accepted: true });
      const { organization, caller } = await signedUp(email);
      expect(organization.signUpPlanKey).toBeNull();
      expect(organization.subscription).toMatchObject({ planKey: "trial", status: "TRIALING" });
      const overview = await caller.billing.overview({ organizationId: organization.id });
      expect(overview.signUpPlan).toBeNull();
      expect(overview.plan.key).toBe("trial");
    }
  });

  it("a paid plan: trial organization now, the choice kept, checkout for it, cleared once paid", async () => {
    const email = "paula.pro@example.com";
    expect(
      await anonymous().account.signUp({
        name: "Paula Pro",
        email,
        password: PASSWORD,
        planKey: "pro",
      }),
    ).toEqual({ accepted: true });
    const { user, organization, caller } = await signedUp(email);
    // The tenant exists at sign-up, on the trial, with the choice stored.
    expect(organization.signUpPlanKey).toBe("pro");
    expect(organization.subscription).toMatchObject({ planKey: "trial", status: "TRIALING" });
    const row = await db.system.$queryRaw<{ sign_up_plan_key: string | null }[]>`
      SELECT sign_up_plan_key FROM organizations WHERE id = ${organization.id}`;
    expect(row).toEqual([{ sign_up_plan_key: "pro" }]);
    expect(
      await db.system.auditLog.findFirstOrThrow({
        where: { organizationId: organization.id, action: "organization.created" },
        select: { changes: true },
      }),
    ).toMatchObject({ changes: { signUpPlanKey: { to: "pro" } } });
    // The verification email went out as for any sign-up.
    expect(await db.system.email.count({ where: { to: email, template: "verify-email" } })).toBe(1);

    // The checkout step reads the choice from the billing overview.
    const overview = await caller.billing.overview({ organizationId: organization.id });
    expect(overview.signUpPlan).toEqual({
      key: "pro",
      name: "Pro",
      intervals: ["month", "year"],
      prices: { month: 4_900, year: 49_000 },
    });

    // Paying needs a verified address (docs/identity.md): refused until then.
    await expect(
      caller.billing.startCheckout({
        organizationId: organization.id,
        planKey: "pro",
        interval: "month",
      }),
    ).rejects.toMatchObject({ cause: { data: { code: "EMAIL_NOT_VERIFIED" } } });
    await db.system.user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });

    // The checkout session for that plan, through the local provider.
    const started = await caller.billing.startCheckout({
      organizationId: organization.id,
      planKey: "pro",
      interval: "month",
    });
    expect(started.provider).toBe("local");
    const url = new URL(started.url, "http://app.test");
    expect(url.pathname).toBe("/billing/test-checkout");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      plan: "pro",
      interval: "month",
      organization: organization.id,
      returnTo: `/o/${organization.slug}/billing?checkout=success`,
    });
    // Not paid yet: the choice stays.
    expect(
      (await db.system.organization.findUniqueOrThrow({ where: { id: organization.id } }))
        .signUpPlanKey,
    ).toBe("pro");

    // The test-mode checkout completes: Pro is active, the choice is fulfilled and cleared.
    expect(
      await caller.billing.completeTestCheckout({
        organizationId: organization.id,
        planKey: "pro",
        interval: "month",
      }),
    ).toEqual({ planKey: "pro", status: "ACTIVE" });
    expect(
      (await db.system.organization.findUniqueOrThrow({ where: { id: organization.id } }))
        .signUpPlanKey,
    ).toBeNull();
    const after = await caller.billing.overview({ organizationId: organization.id });
    expect(after.signUpPlan).toBeNull();
    expect(after.plan).toEqual({ key: "pro", name: "Pro" });
  });

  it("Enterprise is a paid choice too", async () => {
    await anonymous().account.signUp({
      name: "Erin Enterprise",
      email: "erin@example.com",
      password: PASSWORD,
      planKey: "enterprise",
    });
    const { organization } = await signedUp("erin@example.com");
    expect(organization.signUpPlanKey).toBe("enterprise");
    expect(organization.subscription?.planKey).toBe("trial");
  });

  it("a plan not offered at sign-up is a typed 4xx and nothing is written", async () => {
    const before = await counts();
    // Unknown here (pay-as-you-go is another preset's plan), unknown anywhere, and malformed.
    for (const planKey of ["payg", "platinum"]) {
      const error = await anonymous()
        .account.signUp({
          name: "Nobody",
          email: "nobody@example.com",
          password: PASSWORD,
          planKey,
        })
        .then(
          () => null,
          (caught: unknown) => caught as TRPCError,
        );
      expect(error?.code).toBe("BAD_REQUEST");
      expect((error?.cause as AppError | undefined)?.data).toEqual({
        code: "INVALID_INPUT",
        field: "planKey",
        reason: "Not a plan offered at sign-up",
      });
    }
    for (const planKey of ["PRO", "pro ", "x".repeat(40), ""]) {
      await expect(
        anonymous().account.signUp({
          name: "Nobody",
          email: "nobody@example.com",
          password: PASSWORD,
          planKey,
        }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    expect(await counts()).toEqual(before);
    expect(await db.system.user.count({ where: { email: "nobody@example.com" } })).toBe(0);
  });

  it("a registered address gets the same answer with a paid plan, and nothing changes", async () => {
    await anonymous().account.signUp({
      name: "Rita Registered",
      email: "rita@example.com",
      password: PASSWORD,
    });
    const { organization } = await signedUp("rita@example.com");
    const before = {
      organization: await db.system.organization.findUniqueOrThrow({
        where: { id: organization.id },
      }),
      organizations: await db.system.organization.count(),
      users: await db.system.user.count(),
    };
    const answer = (email: string) =>
      anonymous()
        .account.signUp({ name: "Someone", email, password: "another password!", planKey: "pro" })
        .then((data) => JSON.stringify({ result: { data } }));

    const forExisting = await answer("rita@example.com");
    const forNew = await answer("newcomer@example.com");
    expect(forExisting).toBe(forNew);
    expect(
      await db.system.organization.findUniqueOrThrow({ where: { id: organization.id } }),
    ).toEqual(before.organization);
    expect(before.organization.signUpPlanKey).toBeNull();
    // Only the newcomer got an organization, with their choice.
    expect(await db.system.organization.count()).toBe(before.organizations + 1);
    expect(await db.system.user.count()).toBe(before.users + 1);
    expect((await signedUp("newcomer@example.com")).organization.signUpPlanKey).toBe("pro");
  });
});
