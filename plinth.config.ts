// The product configuration: which modules are on and which plans are sold, one preset per
// product. `PLINTH_PRODUCT=<key>` picks the preset a process runs (default: `all`, the demo:
// every module and today's five plans). A plan lists exactly the features, limits and meters
// of core and the preset's modules — a key of a module that is not enabled does not compile,
// and @plinth/product checks the same at start-up. Each preset seeds one demo organization
// per plan (`npm run dev` prints their sign-ins). docs/modules.md, "Presets".
import { aiTasksModule } from "@plinth/ai-tasks";
import { apiCatalogModule } from "@plinth/api-catalog";
import { demoBookingModule } from "@plinth/demo-booking";
import { HOSTING_APPS, HOSTING_BUNDLES, HOSTING_ITEMS, hostingModule } from "@plinth/hosting";
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
  modules: [
    teamsModule,
    projectsModule,
    testAutomationModule,
    aiTasksModule,
    voiceTrainingModule,
    apiCatalogModule,
    hostingModule,
    demoBookingModule,
  ],
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
        "hosting.largeSizes": false,
      },
      limits: { projects: 1, seats: 1, apiKeys: 1, concurrentTestRuns: 1, workspaces: 1 },
      quotas: {
        "test.runs": { included: 100 },
        "browser.minutes": { included: 0 },
        "api.requests": { included: 1_000 },
        "ai.tasks": { included: 20 },
        "ai.tokens": { included: 200_000 },
        "session.minutes": { included: 30 },
        "api.units": { included: 1_000 },
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
        "hosting.largeSizes": false,
      },
      limits: { projects: null, seats: 1, apiKeys: 10, concurrentTestRuns: 3, workspaces: 3 },
      quotas: {
        "test.runs": { included: 2_000 },
        "browser.minutes": { included: 300 },
        "api.requests": { included: 100_000 },
        "ai.tasks": { included: 1_000 },
        "ai.tokens": { included: 2_000_000 },
        "session.minutes": { included: 600 },
        "api.units": { included: 100_000 },
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
        "hosting.largeSizes": true,
      },
      limits: {
        projects: null,
        seats: 50,
        apiKeys: null,
        concurrentTestRuns: 20,
        workspaces: null,
      },
      quotas: {
        "test.runs": { included: null },
        "browser.minutes": { included: null },
        "api.requests": { included: null },
        "ai.tasks": { included: null },
        "ai.tokens": { included: null },
        "session.minutes": { included: null },
        "api.units": { included: null },
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
        "hosting.largeSizes": false,
      },
      limits: { projects: null, seats: 1, apiKeys: 10, concurrentTestRuns: 5, workspaces: 5 },
      quotas: {
        "test.runs": { included: 0, overageMicroCents: 200_000 },
        "browser.minutes": { included: 0, overageMicroCents: 500_000 },
        "api.requests": { included: 0, overageMicroCents: 20 },
        "ai.tasks": { included: 0, overageMicroCents: 500 },
        "ai.tokens": { included: 0, overageMicroCents: 2 },
        "session.minutes": { included: 0, overageMicroCents: 1_000 },
        "api.units": { included: 0, overageMicroCents: 2_000, billedAtEventCost: true },
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
        "hosting.largeSizes": false,
      },
      limits: { projects: null, seats: 1, apiKeys: 20, concurrentTestRuns: 5, workspaces: 5 },
      quotas: {
        "test.runs": { included: 5_000, overageMicroCents: 100_000 },
        "browser.minutes": { included: 600, overageMicroCents: 400_000 },
        "api.requests": { included: 250_000, overageMicroCents: 10 },
        "ai.tasks": { included: 2_000, overageMicroCents: 400 },
        "ai.tokens": { included: 5_000_000, overageMicroCents: 1 },
        "session.minutes": { included: 1_200, overageMicroCents: 800 },
        "api.units": { included: 50_000, overageMicroCents: 1_500, billedAtEventCost: true },
      },
      rateLimits: { api: { requests: 3_000, windowSeconds: 60 } },
    },
  },
  demo: {
    trial: {
      email: "trial@demo.plinth.dev",
      name: "Tess Trial",
      organization: "Trial Testing Co",
      records: {
        projects: ["Checkout flows"],
        "api-catalog": ["geo", "llm"],
        "ai-tasks": ["Summarise a support ticket"],
        "voice-training": ["Cold call: a sceptical CFO"],
        "test-automation": ["API smoke tests"],
      },
    },
    pro: {
      email: "pro@demo.plinth.dev",
      name: "Priya Pro",
      organization: "Pro Automation Ltd",
      customerForMonths: 10,
      records: {
        projects: ["Web app", "Mobile app", "Public API"],
        "api-catalog": ["geo"],
        "ai-tasks": ["Summarise a release note"],
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
      records: {
        projects: ["Geocoding API"],
        "api-catalog": ["geo", "llm", "fx"],
        "test-automation": ["Geocoding contract"],
      },
    },
    hybrid: {
      email: "hybrid@demo.plinth.dev",
      name: "Hana Hybrid",
      organization: "Voice Training SAS",
      customerForMonths: 3,
      // Hybrid includes 250 000 requests, 2 000 AI tasks and 1 200 minutes: AI tasks show overage.
      usage: { "api.requests": 182_500, "ai.tasks": 2_150, "session.minutes": 640 },
      records: {
        projects: ["Cold-call drills"],
        "voice-training": ["Cold call: a sceptical CFO", "Renewal: an unhappy customer"],
        "test-automation": ["Drill API checks"],
      },
    },
  },
});

/**
 * The sales-training product (issue 17): sales teams practise calls by voice against an AI
 * prospect. Teams (admins allocate minutes to members) and voice training; minutes metered.
 */
const salesTraining = definePreset({
  key: "sales-training",
  name: "Plinth Voice (sales training)",
  description: "Practise sales calls by voice against an AI prospect; minutes per plan.",
  modules: [teamsModule, voiceTrainingModule, demoBookingModule],
  trialPlan: "trial",
  plans: {
    trial: {
      name: "Trial",
      description: `${TRIAL_DAYS} days, 30 practice minutes, one seat.`,
      prices: {},
      trialDays: TRIAL_DAYS,
      purchasable: false,
      features: { "team.invite": false, sso: false, "audit.read": true, "api.access": false },
      limits: { seats: 1, apiKeys: 0 },
      quotas: { "api.requests": { included: 0 }, "session.minutes": { included: 30 } },
      rateLimits: { api: { requests: 10, windowSeconds: 60 } },
    },
    team: {
      name: "Team",
      description: "A sales team of up to 10 with 1 000 minutes a month.",
      prices: { month: 9_900, year: 99_000 },
      purchasable: true,
      features: { "team.invite": true, sso: false, "audit.read": true, "api.access": false },
      limits: { seats: 10, apiKeys: 0 },
      quotas: { "api.requests": { included: 0 }, "session.minutes": { included: 1_000 } },
      rateLimits: { api: { requests: 60, windowSeconds: 60 } },
    },
    metered: {
      name: "Metered",
      description: "A base fee with 300 minutes included; further minutes are billed.",
      prices: { month: 2_900, year: 29_000 },
      purchasable: true,
      features: { "team.invite": true, sso: false, "audit.read": true, "api.access": true },
      limits: { seats: 25, apiKeys: 5 },
      quotas: {
        "api.requests": { included: 10_000, overageMicroCents: 20 },
        "session.minutes": { included: 300, overageMicroCents: 1_500 },
      },
      rateLimits: { api: { requests: 600, windowSeconds: 60 } },
    },
    enterprise: {
      name: "Enterprise",
      description: "Unlimited minutes, SSO, the practice API for your own tools.",
      prices: { month: 49_900, year: 499_000 },
      purchasable: true,
      features: { "team.invite": true, sso: true, "audit.read": true, "api.access": true },
      limits: { seats: null, apiKeys: null },
      quotas: { "api.requests": { included: null }, "session.minutes": { included: null } },
      rateLimits: { api: { requests: 6_000, windowSeconds: 60 } },
    },
  },
  demo: {
    trial: {
      email: "trial@voice.demo.plinth.dev",
      name: "Tara Trial",
      organization: "Cold Call Starters",
      records: { "voice-training": ["Cold call: a sceptical CFO"] },
    },
    team: {
      email: "team@voice.demo.plinth.dev",
      name: "Theo Team",
      organization: "Northwind Sales",
      customerForMonths: 6,
      usage: { "session.minutes": 420 },
      records: { "voice-training": ["Cold call: a sceptical CFO", "Renewal: an unhappy customer"] },
    },
    metered: {
      email: "metered@voice.demo.plinth.dev",
      name: "Mia Metered",
      organization: "Pipeline Partners",
      customerForMonths: 4,
      // 300 included: overage billed.
      usage: { "session.minutes": 380 },
      records: { "voice-training": ["Discovery call: an IT director"] },
    },
    enterprise: {
      email: "enterprise@voice.demo.plinth.dev",
      name: "Eli Enterprise",
      organization: "Globex Revenue Academy",
      customerForMonths: 12,
      usage: { "session.minutes": 5_200 },
      records: { "voice-training": ["Cold call: a sceptical CFO", "Negotiation: procurement"] },
    },
  },
});

/**
 * The API marketplace (docs/products/api-marketplace.md): the operator sells upstream APIs
 * through the gateway. Three pricing models: a subscription tier (flat fee, a capped number
 * of units), pay-as-you-go (no fee, every call billed at the endpoint's price) and hybrid
 * (a fee with included units, overage billed). Units: 1 per call, or the upstream's
 * X-Usage-Units header (tokens); an endpoint's price per call and per unit make a call's cost.
 */
const apiMarketplace = definePreset({
  key: "api-marketplace",
  name: "API marketplace",
  description: "Sell upstream APIs: keys, limits, metering, documentation and analytics.",
  modules: [apiCatalogModule],
  trialPlan: "trial",
  plans: {
    trial: {
      name: "Trial",
      description: `${TRIAL_DAYS} days, 1 000 units, one key.`,
      prices: {},
      trialDays: TRIAL_DAYS,
      purchasable: false,
      features: { sso: false, "audit.read": true, "api.access": true },
      limits: { seats: 1, apiKeys: 1 },
      quotas: { "api.requests": { included: 1_000 }, "api.units": { included: 1_000 } },
      rateLimits: { api: { requests: 30, windowSeconds: 60 } },
    },
    subscription: {
      name: "Subscription",
      description: "A flat monthly fee for up to 500 000 units; calls stop at the cap.",
      prices: { month: 9_900, year: 99_000 },
      purchasable: true,
      features: { sso: false, "audit.read": true, "api.access": true },
      limits: { seats: 5, apiKeys: 20 },
      quotas: { "api.requests": { included: null }, "api.units": { included: 500_000 } },
      rateLimits: { api: { requests: 3_000, windowSeconds: 60 } },
    },
    payg: {
      name: "Pay as you go",
      description: "No base fee; every call is billed at the endpoint's price.",
      prices: {},
      purchasable: true,
      features: { sso: false, "audit.read": true, "api.access": true },
      limits: { seats: 3, apiKeys: 10 },
      quotas: {
        "api.requests": { included: null },
        "api.units": { included: 0, overageMicroCents: 2_000, billedAtEventCost: true },
      },
      rateLimits: { api: { requests: 1_200, windowSeconds: 60 } },
    },
    hybrid: {
      name: "Hybrid",
      description: "A base fee with 100 000 units included; beyond, calls are billed.",
      prices: { month: 4_900, year: 49_000 },
      purchasable: true,
      features: { sso: true, "audit.read": true, "api.access": true },
      limits: { seats: 10, apiKeys: 50 },
      quotas: {
        "api.requests": { included: null },
        "api.units": { included: 100_000, overageMicroCents: 1_500, billedAtEventCost: true },
      },
      rateLimits: { api: { requests: 6_000, windowSeconds: 60 } },
    },
  },
  demo: {
    trial: {
      email: "trial@demo.plinth.dev",
      name: "Tess Trial",
      organization: "Trial Geo Startup",
      records: { "api-catalog": ["geo"] },
    },
    subscription: {
      email: "subscription@demo.plinth.dev",
      name: "Sam Subscriber",
      organization: "Subscribed Maps Ltd",
      customerForMonths: 9,
      usage: { "api.units": 212_400 },
      records: { "api-catalog": ["geo", "llm"] },
    },
    payg: {
      email: "payg@demo.plinth.dev",
      name: "Pat Payg",
      organization: "Metered Apps GmbH",
      customerForMonths: 5,
      usage: { "api.units": 18_250 },
      records: { "api-catalog": ["geo", "llm"] },
    },
    hybrid: {
      email: "hybrid@demo.plinth.dev",
      name: "Hana Hybrid",
      organization: "Hybrid Finance SAS",
      customerForMonths: 3,
      usage: { "api.units": 131_900 },
      records: { "api-catalog": ["geo", "llm", "fx"] },
    },
  },
});

/**
 * The AI-automation product: AI tasks (templates, runs, batches, live tokens) with teams,
 * metered per task and per token. docs/products/ai-automation.md.
 */
const aiAutomation = definePreset({
  key: "ai-automation",
  name: "Plinth AI automation",
  description: "AI task templates run by the worker through OpenAI-compatible providers.",
  modules: [teamsModule, aiTasksModule],
  trialPlan: "trial",
  plans: {
    trial: {
      name: "Trial",
      description: `${TRIAL_DAYS} days, 50 AI tasks, the offline provider or your own key.`,
      prices: {},
      trialDays: TRIAL_DAYS,
      purchasable: false,
      features: { "team.invite": false, sso: false, "audit.read": true, "api.access": true },
      limits: { seats: 1, apiKeys: 1 },
      quotas: {
        "api.requests": { included: 1_000 },
        "ai.tasks": { included: 50 },
        "ai.tokens": { included: 200_000 },
      },
      rateLimits: { api: { requests: 30, windowSeconds: 60 } },
    },
    builder: {
      name: "Builder",
      description: "2 000 AI tasks and 5M tokens a month for a small team.",
      prices: { month: 3_900, year: 39_000 },
      purchasable: true,
      features: { "team.invite": true, sso: false, "audit.read": true, "api.access": true },
      limits: { seats: 5, apiKeys: 10 },
      quotas: {
        "api.requests": { included: 100_000 },
        "ai.tasks": { included: 2_000 },
        "ai.tokens": { included: 5_000_000 },
      },
      rateLimits: { api: { requests: 600, windowSeconds: 60 } },
    },
    scale: {
      name: "Scale",
      description: "A base fee with 20 000 tasks and 50M tokens included; overage metered.",
      prices: { month: 19_900, year: 199_000 },
      purchasable: true,
      features: { "team.invite": true, sso: true, "audit.read": true, "api.access": true },
      limits: { seats: 50, apiKeys: null },
      quotas: {
        "api.requests": { included: 1_000_000, overageMicroCents: 10 },
        "ai.tasks": { included: 20_000, overageMicroCents: 300 },
        "ai.tokens": { included: 50_000_000, overageMicroCents: 1 },
      },
      rateLimits: { api: { requests: 6_000, windowSeconds: 60 } },
    },
    metered: {
      name: "Pay per token",
      description: "No base fee: every task and every token is metered.",
      prices: {},
      purchasable: true,
      features: { "team.invite": false, sso: false, "audit.read": true, "api.access": true },
      limits: { seats: 3, apiKeys: 10 },
      quotas: {
        "api.requests": { included: 0, overageMicroCents: 20 },
        "ai.tasks": { included: 0, overageMicroCents: 500 },
        "ai.tokens": { included: 0, overageMicroCents: 2 },
      },
      rateLimits: { api: { requests: 1_200, windowSeconds: 60 } },
    },
  },
  demo: {
    trial: {
      email: "ai-trial@demo.plinth.dev",
      name: "Tomas Trial",
      organization: "Prompt Tinkerers",
      records: { "ai-tasks": ["Summarise a support ticket"] },
    },
    builder: {
      email: "ai-builder@demo.plinth.dev",
      name: "Bea Builder",
      organization: "Workflow Builders Ltd",
      customerForMonths: 6,
      usage: { "api.requests": 8_400, "ai.tasks": 640, "ai.tokens": 1_250_000 },
      records: { "ai-tasks": ["Summarise a release note", "Classify an inbound lead"] },
    },
    scale: {
      email: "ai-scale@demo.plinth.dev",
      name: "Sami Scale",
      organization: "Scaled Automation Inc",
      customerForMonths: 9,
      usage: { "api.requests": 420_000, "ai.tasks": 21_300, "ai.tokens": 38_000_000 },
      records: { "ai-tasks": ["Triage support tickets", "Draft a reply"] },
    },
    metered: {
      email: "ai-metered@demo.plinth.dev",
      name: "Mika Metered",
      organization: "Token Counters GmbH",
      customerForMonths: 4,
      usage: { "api.requests": 3_100, "ai.tasks": 410, "ai.tokens": 910_000 },
      records: { "ai-tasks": ["Extract invoice fields"] },
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

/**
 * The managed-hosting product (docs/products/managed-hosting.md): hosted open-source apps
 * (the catalogue: modules/hosting/src/catalogue.ts — apps with versions, sizes and plans per
 * app, and bundles) in workspaces provisioned on request through a provider adapter (local
 * PostgreSQL databases by default, Terraform). A plan is how many workspaces and which sizes;
 * each workspace is also a priced item of the subscription (its app plan's or bundle's flat
 * monthly price, yearly ten months), kept equal to the live workspaces by the hosting service.
 */
const appPlans = HOSTING_APPS.map((app) => app.name).join(", ");
const managedHosting = definePreset({
  key: "managed-hosting",
  name: "Plinth Managed Hosting",
  description: `Managed open-source apps (${appPlans}) in workspaces, provisioned on request.`,
  modules: [teamsModule, hostingModule],
  trialPlan: "trial",
  items: Object.fromEntries(
    HOSTING_ITEMS.map((item) => [
      item.key,
      {
        name: item.name,
        description: item.description,
        prices: { month: item.monthCents, year: item.monthCents * 10 },
      },
    ]),
  ),
  plans: {
    trial: {
      name: "Trial",
      description: `${TRIAL_DAYS} days, one small workspace of any app.`,
      prices: {},
      trialDays: TRIAL_DAYS,
      purchasable: false,
      features: {
        "team.invite": false,
        sso: false,
        "audit.read": true,
        "api.access": true,
        "hosting.largeSizes": false,
      },
      limits: { seats: 1, apiKeys: 1, workspaces: 1 },
      quotas: { "api.requests": { included: 1_000 } },
      rateLimits: { api: { requests: 30, windowSeconds: 60 } },
    },
    standard: {
      name: "Standard",
      description: "Three workspaces (small or medium) for a small team.",
      prices: { month: 19_900, year: 199_000 },
      purchasable: true,
      features: {
        "team.invite": true,
        sso: false,
        "audit.read": true,
        "api.access": true,
        "hosting.largeSizes": false,
      },
      limits: { seats: 5, apiKeys: 5, workspaces: 3 },
      quotas: { "api.requests": { included: 100_000 } },
      rateLimits: { api: { requests: 600, windowSeconds: 60 } },
    },
    bundle: {
      name: HOSTING_BUNDLES[0]!.name,
      description: `A bundle: ${HOSTING_BUNDLES[0]!.apps.join(" + ")} at one price, large sizes.`,
      prices: { month: HOSTING_BUNDLES[0]!.monthCents, year: HOSTING_BUNDLES[0]!.monthCents * 10 },
      purchasable: true,
      features: {
        "team.invite": true,
        sso: false,
        "audit.read": true,
        "api.access": true,
        "hosting.largeSizes": true,
      },
      limits: { seats: 10, apiKeys: 10, workspaces: 10 },
      quotas: { "api.requests": { included: 250_000 } },
      rateLimits: { api: { requests: 1_200, windowSeconds: 60 } },
    },
    enterprise: {
      name: "Enterprise",
      description: "Unlimited workspaces of every size, SSO.",
      prices: { month: 99_900, year: 999_000 },
      purchasable: true,
      features: {
        "team.invite": true,
        sso: true,
        "audit.read": true,
        "api.access": true,
        "hosting.largeSizes": true,
      },
      limits: { seats: null, apiKeys: null, workspaces: null },
      quotas: { "api.requests": { included: null } },
      rateLimits: { api: { requests: 6_000, windowSeconds: 60 } },
    },
  },
  demo: {
    trial: {
      email: "trial@hosting.demo.plinth.dev",
      name: "Tove Trial",
      organization: "Clinic Starters",
      records: { hosting: ["clinic-trial"] },
    },
    standard: {
      email: "standard@hosting.demo.plinth.dev",
      name: "Sven Standard",
      organization: "Northwind Clinics",
      customerForMonths: 6,
      records: { hosting: ["emr", "emr-staging"] },
    },
    bundle: {
      email: "bundle@hosting.demo.plinth.dev",
      name: "Bo Bundle",
      organization: "Health & Ledger Co",
      customerForMonths: 4,
      records: { hosting: ["hospital"] },
    },
    enterprise: {
      email: "enterprise@hosting.demo.plinth.dev",
      name: "Eva Enterprise",
      organization: "Globex Health Network",
      customerForMonths: 12,
      records: { hosting: ["network-emr"] },
    },
  },
});

/** Every preset, by key (the product issues add theirs). */
const presets = {
  all,
  "api-marketplace": apiMarketplace,
  "ai-automation": aiAutomation,
  "sales-training": salesTraining,
  "test-automation": testAutomation,
  "managed-hosting": managedHosting,
} satisfies Record<string, Preset>;

/**
 * Former preset names PLINTH_PRODUCT still accepts, mapped to today's key: the sales-training
 * product was called `voice-training` (after its module) before the design's name was used.
 */
export const presetAliases = {
  "voice-training": "sales-training",
} as const satisfies Record<string, keyof typeof presets>;

export default presets;
