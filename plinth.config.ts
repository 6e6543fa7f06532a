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
import { voiceTrainingModule } from "@plinth/voice-training";

const TRIAL_DAYS = 14;

/** Every module, today's five plans: what a newcomer sees with `npm run dev`. */
const all = definePreset({
  key: "all",
  name: "Plinth (every module)",
  description: "The demo: every module on, five plans from a trial to pay-as-you-go.",
  modules: [teamsModule, projectsModule, aiTasksModule, voiceTrainingModule],
  trialPlan: "trial",
  plans: {
    trial: {
      name: "Trial",
      description: `${TRIAL_DAYS} days to try Plinth: one project, no team invites.`,
      prices: {},
      trialDays: TRIAL_DAYS,
      purchasable: false,
      features: { "team.invite": false, sso: false, "audit.read": true, "api.access": true },
      limits: { projects: 1, seats: 1, apiKeys: 1 },
      quotas: {
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
      features: { "team.invite": false, sso: false, "audit.read": true, "api.access": true },
      limits: { projects: null, seats: 1, apiKeys: 10 },
      quotas: {
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
      features: { "team.invite": true, sso: true, "audit.read": true, "api.access": true },
      limits: { projects: null, seats: 50, apiKeys: null },
      quotas: {
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
      features: { "team.invite": false, sso: false, "audit.read": true, "api.access": true },
      limits: { projects: null, seats: 1, apiKeys: 10 },
      quotas: {
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
      features: { "team.invite": false, sso: false, "audit.read": true, "api.access": true },
      limits: { projects: null, seats: 1, apiKeys: 20 },
      quotas: {
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
      records: { projects: ["Checkout flows"], "voice-training": ["Cold call: a sceptical CFO"] },
    },
    pro: {
      email: "pro@demo.plinth.dev",
      name: "Priya Pro",
      organization: "Pro Automation Ltd",
      customerForMonths: 10,
      records: { projects: ["Web app", "Mobile app", "Public API"] },
    },
    enterprise: {
      email: "enterprise@demo.plinth.dev",
      name: "Emil Enterprise",
      organization: "Enterprise Hosting Inc",
      customerForMonths: 8,
      records: { projects: ["Staging cluster", "Production cluster"] },
    },
    payg: {
      email: "payg@demo.plinth.dev",
      name: "Pat Payg",
      organization: "Metered APIs GmbH",
      customerForMonths: 5,
      usage: { "api.requests": 12_840, "ai.tasks": 57, "session.minutes": 35 },
      records: { projects: ["Geocoding API"] },
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
      },
    },
  },
});

/**
 * The sales-training product (issue 17): sales teams practise calls by voice against an AI
 * prospect. Teams (admins allocate minutes to members) and voice training; minutes metered.
 */
const voiceTraining = definePreset({
  key: "voice-training",
  name: "Plinth Voice (sales training)",
  description: "Practise sales calls by voice against an AI prospect; minutes per plan.",
  modules: [teamsModule, voiceTrainingModule],
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

/** Every preset, by key (the product issues add theirs). */
const presets = { all, "voice-training": voiceTraining } satisfies Record<string, Preset>;

export default presets;
