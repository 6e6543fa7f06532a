// What the backbone itself brings to every product, declared like a module so a preset's
// plans are typed by `core + enabled modules`: organizations and members (seats), the audit
// log, API access, single sign-on, runs (the demo run kind), billing, and the core jobs.
import { jobs } from "@plinth/jobs";
import { defineModule } from "./module.ts";
import {
  CORE_USER_REFERENCES,
  eraseCoreUser,
  exportCoreOrganization,
  exportCoreUser,
} from "./services/personal-data.ts";

export const coreModule = defineModule({
  key: "core",
  name: "Core",
  description: "Organizations, members and seats, billing, audit log, runs and API access.",
  features: {
    sso: { description: "Single sign-on for the organization's members" },
    "audit.read": { description: "Read the organization's audit log" },
    "api.access": { description: "Call the public API with API keys" },
  },
  limits: {
    seats: {
      // Modules add what else holds a seat (teams: pending invitations), see countsToward.
      description: "Members (and whatever else holds a seat)",
      count: (tx, organizationId) => tx.membership.count({ where: { organizationId } }),
    },
    apiKeys: {
      description: "API keys in use (not revoked, not rotated out)",
      // A rotated key in its grace window no longer counts: rotating never needs a free slot.
      count: (tx, organizationId) =>
        tx.apiKey.count({ where: { organizationId, revokedAt: null, graceEndsAt: null } }),
    },
  },
  meters: {
    "api.requests": { description: "API requests", unit: "request" },
  },
  apiScopes: { "usage:read": "Read the organization's usage" },
  jobs: Object.values(jobs),
  cron: [
    { job: jobs.trialReminders, match: "0 * * * *", maxAttempts: 3 }, // hourly
    { job: jobs.purgeExpiredTokens, match: "30 3 * * *", maxAttempts: 3 }, // daily 03:30
    { job: jobs.billingReconcile, match: "15 * * * *", maxAttempts: 3 }, // hourly
    { job: jobs.billingReportUsage, match: "*/10 * * * *", maxAttempts: 5 }, // every 10 min
    { job: jobs.billingDunning, match: "45 * * * *", maxAttempts: 3 }, // hourly
    { job: jobs.usageRollup, match: "* * * * *", maxAttempts: 3 }, // every minute
    { job: jobs.usagePartitions, match: "20 2 * * *", maxAttempts: 5 }, // daily 02:20
    { job: jobs.purgeDataExports, match: "40 * * * *", maxAttempts: 3 }, // hourly
  ],
  runKinds: ["demo"],
  webhookEvents: {
    "webhook.test": { description: "A test event, sent from the webhooks settings page" },
  },
  nav: [
    { segment: "runs", label: "Runs", icon: "activity", order: 20 },
    { segment: "audit", label: "Audit log", icon: "scroll-text", order: 40, minRole: "ADMIN" },
    { segment: "billing", label: "Billing", icon: "credit-card", order: 50 },
    { segment: "settings", label: "Settings", icon: "settings", order: 60 },
  ],
  tenantModels: [
    "Membership",
    "Subscription",
    "ApiKey",
    "UsageEvent",
    "UsageCounter",
    "MeterReport",
    "AuditLog",
    "OrganizationNotification",
    "Run",
    "RunLog",
    "Invoice",
    "VaultSecret",
    "IdempotencyKey",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookDelivery",
  ],
  gdpr: {
    // The account (profile, sign-in methods, sessions, memberships, consents); the user row
    // itself becomes a tombstone in deleteAccount.
    exportUser: exportCoreUser,
    deleteUser: eraseCoreUser,
    exportOrganization: exportCoreOrganization,
    userReferences: CORE_USER_REFERENCES,
  },
});

export type CoreModule = typeof coreModule;
