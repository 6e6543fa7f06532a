// The product configuration: which modules are on and which plans are sold, one preset per
// product. `PLINTH_PRODUCT=<key>` picks the preset a process runs (default: `all`, the demo:
// every module and today's five plans). A plan lists exactly the features, limits and meters
// of core and the preset's modules — a key of a module that is not enabled does not compile,
// and @plinth/product checks the same at start-up. Each preset seeds one demo organization
// per plan (`npm run dev` prints their sign-ins). docs/modules.md, "Presets".
import { aiTasksModule } from "@plinth/ai-tasks";
import { definePreset, type Preset } from "@plinth/platform";
import { projectsModule } from "@plinth/projects";
import { teamsModule } from "@plinth/teams";
import { testAutomationModule } from "@plinth/test-automation";
import { voiceTrainingModule } from "@plinth/voice-training";

const TRIAL_DAYS = 14;

/** Every module, today's five plans: what a newcomer sees with `npm run dev`. */
const all = definePreset({
  key: "all",
  name: "Plinth (every module)",
  description: "The demo: every module on, five plans from a trial to pay-as-you-go.",
  modules: [teamsModule, projectsModule, testAutomationModule, aiTasksModule, voiceTrainingModule],
  trialPlan: "trial",
  plans: {
    trial: {
      name: "Trial",
      description: `${TRIAL_DAYS} days to try Plinth: one project, no team invites.`,
      prices: {},
      trialDays: TRIAL_DAYS,
      purchasable: false,
      features: {
        "team.invite": false,
        sso: false,
        "audit.read": true,
        "api.access": true,
        "tests.browser": false,
      },
      limits: { projects: 1, seats: 1, apiKeys: 1, concurrentTestRuns: 1 },
      quotas: {
        "test.runs": { included: 100 },
        "browser.minutes": { included: 0 },
        "api.requests": { included: 1_000 },
        "ai.tasks": { included: 20 },
        "session.minutes": { included: 30 },
      },
      rateLimits: { api: { requests: 10, windowSeconds: 60 } },
    },
    pro: {
      name: "Pro",
      description: "Unlimited projects for a single owner.",
      prices: { month: 2_900, year: 29_000 },
      purchasable: true,
      features: {
        "team.invite": false,
        sso: false,
        "audit.read": true,
        "api.access": true,
        "tests.browser": true,
      },
      limits: { projects: null, seats: 1, apiKeys: 10, concurrentTestRuns: 3 },
      quotas: {
        "test.runs": { included: 2_000 },
        "browser.minutes": { included: 300 },
        "api.requests": { included: 100_000 },
        "ai.tasks": { included: 1_000 },
        "session.minutes": { included: 600 },
      },
      rateLimits: { api: { requests: 600, windowSeconds: 60 } },
    },
    enterprise: {
      name: "Enterprise",
      description: "Teams, SSO and everything else.",
      prices: { month: 19_900, year: 199_000 },
      purchasable: true,
      features: {
        "team.invite": true,
        sso: true,
        "audit.read": true,
        "api.access": true,
        "tests.browser": true,
      },
      limits: { projects: null, seats: 50, apiKeys: null, concurrentTestRuns: 20 },
      quotas: {
        "test.runs": { included: null },
        "browser.minutes": { included: null },
        "api.requests": { included: null },
        "ai.tasks": { included: null },
        "session.minutes": { included: null },
      },
      rateLimits: { api: { requests: 6_000, windowSeconds: 60 } },
    },
    payg: {
      name: "Pay as you go",
      description: "No base fee; every API request is metered.",
      prices: {},
      purchasable: true,
      features: {
        "team.invite": false,
        sso: false,
        "audit.read": true,
        "api.access": true,
        "tests.browser": true,
      },
      limits: { projects: null, seats: 1, apiKeys: 10, concurrentTestRuns: 5 },
      quotas: {
        "test.runs": { included: 0, overageMicroCents: 200_000 },
        "browser.minutes": { included: 0, overageMicroCents: 500_000 },
        "api.requests": { included: 0, overageMicroCents: 20 },
        "ai.tasks": { included: 0, overageMicroCents: 500 },
        "session.minutes": { included: 0, overageMicroCents: 1_000 },
      },
      rateLimits: { api: { requests: 1_200, windowSeconds: 60 } },
    },
    hybrid: {
      name: "Hybrid",
      description: "A base fee with an included quota; overage is metered.",
      prices: { month: 4_900, year: 49_000 },
      purchasable: true,
      features: {
        "team.invite": false,
        sso: false,
        "audit.read": true,
        "api.access": true,
        "tests.browser": true,
      },
      limits: { projects: null, seats: 1, apiKeys: 20, concurrentTestRuns: 5 },
      quotas: {
        "test.runs": { included: 5_000, overageMicroCents: 100_000 },
        "browser.minutes": { included: 600, overageMicroCents: 400_000 },
        "api.requests": { included: 250_000, overageMicroCents: 10 },
        "ai.tasks": { included: 2_000, overageMicroCents: 400 },
        "session.minutes": { included: 1_200, overageMicroCents: 800 },
      },
      rateLimits: { api: { requests: 3_000, windowSeconds: 60 } },
    },
  },
  demo: {
    trial: {
      email: "trial@demo.plinth.dev",
      name: "Tess Trial",
      organization: "Trial Testing Co",
      records: { projects: ["Checkout flows"], "test-automation": ["API smoke tests"] },
    },
    pro: {
      email: "pro@demo.plinth.dev",
      name: "Priya Pro",
      organization: "Pro Automation Ltd",
      customerForMonths: 10,
      records: {
        projects: ["Web app", "Mobile app", "Public API"],
        "test-automation": ["API smoke tests", "Checkout journey"],
      },
    },
    enterprise: {
      email: "enterprise@demo.plinth.dev",
      name: "Emil Enterprise",
      organization: "Enterprise Hosting Inc",
      customerForMonths: 8,
      records: {
        projects: ["Staging cluster", "Production cluster"],
        "test-automation": ["Cluster health"],
      },
    },
    payg: {
      email: "payg@demo.plinth.dev",
      name: "Pat Payg",
      organization: "Metered APIs GmbH",
      customerForMonths: 5,
      usage: { "api.requests": 12_840, "ai.tasks": 57, "session.minutes": 35 },
      records: { projects: ["Geocoding API"], "test-automation": ["Geocoding contract"] },
    },
    hybrid: {
      email: "hybrid@demo.plinth.dev",
      name: "Hana Hybrid",
      organization: "Voice Training SAS",
      customerForMonths: 3,
      // Hybrid includes 250 000 requests, 2 000 AI tasks and 1 200 minutes: AI tasks show overage.
      usage: { "api.requests": 182_500, "ai.tasks": 2_150, "session.minutes": 640 },
      records: { projects: ["Cold-call drills"], "test-automation": ["Drill API checks"] },
    },
  },
});

/** The test-automation product: projects with suites of API and browser tests, run by CI. */
const testAutomation = definePreset({
  key: "test-automation",
  name: "Plinth Test Automation",
  description: "API and browser tests in suites, run on a schedule, on demand and from CI.",
  modules: [teamsModule, projectsModule, testAutomationModule],
  trialPlan: "trial",
  plans: {
    trial: {
      name: "Trial",
      description: `${TRIAL_DAYS} days to try it: one project, API tests, no team invites.`,
      prices: {},
      trialDays: TRIAL_DAYS,
      purchasable: false,
      features: {
        "team.invite": false,
        sso: false,
        "audit.read": true,
        "api.access": true,
        "tests.browser": false,
      },
      limits: { projects: 1, seats: 1, apiKeys: 1, concurrentTestRuns: 1 },
      quotas: {
        "api.requests": { included: 1_000 },
        "test.runs": { included: 100 },
        "browser.minutes": { included: 0 },
      },
      rateLimits: { api: { requests: 10, windowSeconds: 60 } },
    },
    pro: {
      name: "Pro",
      description: "Unlimited projects, browser tests, three runs at once.",
      prices: { month: 4_900, year: 49_000 },
      purchasable: true,
      features: {
        "team.invite": false,
        sso: false,
        "audit.read": true,
        "api.access": true,
        "tests.browser": true,
      },
      limits: { projects: null, seats: 1, apiKeys: 10, concurrentTestRuns: 3 },
      quotas: {
        "api.requests": { included: 100_000 },
        "test.runs": { included: 5_000, overageMicroCents: 100_000 },
        "browser.minutes": { included: 500, overageMicroCents: 500_000 },
      },
      rateLimits: { api: { requests: 600, windowSeconds: 60 } },
    },
    enterprise: {
      name: "Enterprise",
      description: "Teams, SSO, twenty runs at once and everything else.",
      prices: { month: 29_900, year: 299_000 },
      purchasable: true,
      features: {
        "team.invite": true,
        sso: true,
        "audit.read": true,
        "api.access": true,
        "tests.browser": true,
      },
      limits: { projects: null, seats: 50, apiKeys: null, concurrentTestRuns: 20 },
      quotas: {
        "api.requests": { included: null },
        "test.runs": { included: null },
        "browser.minutes": { included: null },
      },
      rateLimits: { api: { requests: 6_000, windowSeconds: 60 } },
    },
  },
  demo: {
    trial: {
      email: "trial@tests.demo.plinth.dev",
      name: "Tara Trial",
      organization: "Trial QA Co",
      records: { projects: ["Storefront"], "test-automation": ["API smoke tests"] },
    },
    pro: {
      email: "pro@tests.demo.plinth.dev",
      name: "Paul Pro",
      organization: "Pro Quality Ltd",
      customerForMonths: 6,
      usage: { "test.runs": 1_240, "browser.minutes": 180 },
      records: {
        projects: ["Web shop", "Partner API"],
        "test-automation": ["API smoke tests", "Checkout journey"],
      },
    },
    enterprise: {
      email: "enterprise@tests.demo.plinth.dev",
      name: "Erin Enterprise",
      organization: "Enterprise Assurance Inc",
      customerForMonths: 12,
      records: { projects: ["Core banking"], "test-automation": ["Payments regression"] },
    },
  },
});

/** Every preset, by key (the product issues add theirs). */
const presets = { all, "test-automation": testAutomation } satisfies Record<string, Preset>;

export default presets;
