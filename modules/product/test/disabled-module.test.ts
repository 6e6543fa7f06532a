// A product without the projects and AI tasks modules (core + teams + voice training): their
// procedures are absent (NOT_FOUND, over HTTP a 404), their navigation entries are absent,
// their meters are absent from the billing page and the operator console, and the operator
// console has no per-organization projects column. The same preset with a plan naming a
// disabled module's limit does not compile, and is refused at start-up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { createProductRuntime, definePreset } from "@plinth/platform";
import { teamsModule } from "@plinth/teams";
import { createContext } from "@plinth/trpc";
import { handleTrpcRequest } from "@plinth/trpc/http";
import { createTestKit, silentLogger, TRPCError } from "@plinth/trpc/testing";
import { voiceTrainingModule } from "@plinth/voice-training";
import { createProductRouter } from "../src/trpc.ts";

const quotas = { "api.requests": { included: 1_000 }, "session.minutes": { included: 30 } };
const teamsOnly = definePreset({
  key: "teams-only",
  name: "Teams only",
  description: "Core, teams and voice training: no projects, no AI tasks.",
  modules: [teamsModule, voiceTrainingModule],
  trialPlan: "trial",
  plans: {
    trial: {
      name: "Trial",
      description: "Try it.",
      prices: {},
      trialDays: 14,
      purchasable: false,
      features: { "team.invite": true, sso: false, "audit.read": true, "api.access": true },
      limits: { seats: 5, apiKeys: 1 },
      quotas,
      rateLimits: { api: { requests: 10, windowSeconds: 60 } },
    },
  },
  demo: {
    trial: { email: "trial@teams-only.test", name: "Tess", organization: "Teams Only Co" },
  },
});

const product = createProductRuntime(teamsOnly);
const router = createProductRouter(product);
const kit = createTestKit(product, router);

let db: TestDatabase;
let owner: Awaited<ReturnType<typeof createAdmin>>;
let organizationId: string;

async function createAdmin() {
  const user = await db.system.user.create({
    data: {
      email: "owner@teams-only.test",
      name: "Owner",
      platformRole: "SUPER_ADMIN",
      emailVerified: new Date(),
    },
  });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    platformRole: user.platformRole,
    status: user.status,
    emailVerified: user.emailVerified,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await createAdmin();
  organizationId = (await kit.createOrganization(db, owner, "Teams Only Co")).id;
});
afterAll(() => db.drop());

const procedures = () => Object.keys(router._def.procedures);

describe("a preset without projects and AI tasks", () => {
  it("has no project procedures in its router, and keeps the enabled modules'", () => {
    expect(procedures().filter((path) => path.startsWith("project."))).toEqual([]);
    expect(procedures()).toContain("member.updateRole");
    expect(procedures()).toContain("invitation.create");
    expect(procedures()).toContain("billing.overview");
  });

  it("answers NOT_FOUND to a disabled module's procedure (a 404 over HTTP)", async () => {
    // The router's type is the whole product's (clients are typed once); at run time it is gone.
    const call = kit.callerFor(db, owner).project.list({ organizationId, status: "ACTIVE" });
    const error = await call.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("NOT_FOUND");

    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ organizationId })));
    const response = await handleTrpcRequest({
      router,
      endpoint: "/api/trpc",
      requestId: "disabled-module",
      logger: silentLogger,
      request: new Request(`http://app.test/api/trpc/project.list?input=${input}`),
      createContext: () =>
        createContext({ database: db, product, user: owner, logger: silentLogger }),
    });
    expect(response.status).toBe(404);
    expect(await db.system.project.count()).toBe(0);
  });

  it("leaves the disabled modules out of the navigation", () => {
    const segments = product.nav.map((entry) => entry.segment);
    expect(segments).not.toContain("projects");
    expect(segments).toEqual(["runs", "practice", "members", "audit", "billing", "settings"]);
    expect(product.isEnabled("projects")).toBe(false);
    expect(product.isEnabled("teams")).toBe(true);
  });

  it("shows only the enabled modules' meters on the billing page and in the operator console", async () => {
    const api = kit.callerFor(db, owner);
    const overview = await api.billing.overview({ organizationId });
    expect(overview.usage.map((row) => row.meter)).toEqual(["api.requests", "session.minutes"]);
    const usage = await api.billing.dailyUsage({ organizationId });
    expect(usage.series.map((series) => series.meter)).toEqual(["api.requests", "session.minutes"]);
    // Asking for a disabled module's meter is invalid input, not an empty series.
    await expect(
      api.billing.dailyUsage({ organizationId, meters: ["ai.tasks"] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const console = await api.operator.overview();
    expect(Object.keys(console.usageThisMonth)).toEqual(["api.requests", "session.minutes"]);
    // Labelled as the modules declare them (no label map in the web app).
    expect(console.meterLabels).toEqual({
      "api.requests": "API requests",
      "session.minutes": "Session minutes",
    });
    const search = await api.operator.organizations({});
    // Voice training's column only (no projects column).
    expect(search.columns).toEqual([{ key: "practiceSessions", label: "Practice sessions" }]);
    expect(search.organizations.map((row) => Object.keys(row.counts))).toEqual([
      ["practiceSessions"],
    ]);
  });

  it("refuses at start-up a plan that names a disabled module's limit", () => {
    const trial = teamsOnly.plans.trial;
    if (!trial) throw new Error("the preset has a trial plan");
    expect(() =>
      createProductRuntime({
        ...teamsOnly,
        plans: { trial: { ...trial, limits: { ...trial.limits, projects: 1 } } },
      }),
    ).toThrow(/projects/);
  });

  it("does not compile a plan that names a disabled module's limit", () => {
    const preset = () =>
      definePreset({
        ...teamsOnly,
        modules: [teamsModule, voiceTrainingModule],
        trialPlan: "trial",
        plans: {
          trial: {
            name: "Trial",
            description: "Try it.",
            prices: {},
            trialDays: 14,
            purchasable: false,
            features: { "team.invite": true, sso: false, "audit.read": true, "api.access": true },
            // @ts-expect-error -- `projects` is the projects module's limit, not enabled here.
            limits: { seats: 5, apiKeys: 1, projects: 1 },
            quotas,
            rateLimits: { api: { requests: 10, windowSeconds: 60 } },
          },
        },
        demo: { trial: { email: "t@t.test", name: "T", organization: "T" } },
      });
    expect(() => createProductRuntime(preset())).toThrow(/projects/);
  });
});
