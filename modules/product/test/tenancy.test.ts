// Tenancy layer 1 for the whole router: every org-scoped procedure, called by a user of
// organization A with organization B's id (or with A's id but B's resource ids), answers
// NOT_FOUND and changes nothing. A procedure added later without a case here fails the test.
import { TRPCError } from "@plinth/trpc/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { insertApiKey } from "@plinth/api-keys";
import { createCallerFactory, createContext } from "@plinth/trpc";
import { LOCAL_BILLING, silentLogger } from "@plinth/trpc/testing";
import { appRouter, product } from "./kit.ts";
import { addMember, callerFor, createOrganization, createUser, setPlan } from "./kit.ts";

let db: TestDatabase;
let fx: {
  orgA: string;
  orgB: string;
  projectB: string;
  runB: string;
  invitationB: string;
  membershipB: string;
  apiKeyB: string;
  webhookEndpointB: string;
  webhookDeliveryB: string;
  aiTemplateB: string;
  aiTaskB: string;
  aiBatchB: string;
  scenarioB: string;
  sessionB: string;
  userB: string;
  environmentB: string;
  suiteB: string;
  testB: string;
  testRunB: string;
  resultB: string;
  watcherB: string;
  workspaceB: string;
  domainB: string;
};
let callAsA: ReturnType<typeof callerFor>;
let apiKeyA: { id: string; organizationId: string; name: string; scopes: readonly string[] };

type Inputs = (f: typeof fx) => {
  /** Input naming the other tenant's organization. */
  foreignOrg: Record<string, unknown>;
  /** Input naming the caller's organization but another tenant's resource (if any). */
  foreignResource?: Record<string, unknown>;
};

const PRACTICE_SCENARIO = {
  name: "Intruder scenario",
  persona: "A prospect",
  product: "Something",
  objections: [],
  goals: [],
  difficulty: "EASY",
  rubric: { skills: [{ id: "x", name: "X", rules: [{ kind: "questions", min: 1 }] }] },
};

/** One entry per org-scoped procedure. */
const AI_TEMPLATE = {
  name: "Intruder",
  provider: "offline",
  model: "offline-demo",
  promptTemplate: "Hi {{x}}",
  variables: [{ name: "x", type: "string" }],
};
const CASES: Record<string, Inputs> = {
  "aiTemplate.list": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "aiTemplate.get": (f) => ({
    foreignOrg: { organizationId: f.orgB, templateId: f.aiTemplateB },
    foreignResource: { organizationId: f.orgA, templateId: f.aiTemplateB },
  }),
  "aiTemplate.create": (f) => ({ foreignOrg: { organizationId: f.orgB, ...AI_TEMPLATE } }),
  "aiTemplate.update": (f) => ({
    foreignOrg: { organizationId: f.orgB, templateId: f.aiTemplateB, ...AI_TEMPLATE },
    foreignResource: { organizationId: f.orgA, templateId: f.aiTemplateB, ...AI_TEMPLATE },
  }),
  "aiTemplate.archive": (f) => ({
    foreignOrg: { organizationId: f.orgB, templateId: f.aiTemplateB },
    foreignResource: { organizationId: f.orgA, templateId: f.aiTemplateB },
  }),
  "aiTemplate.delete": (f) => ({
    foreignOrg: { organizationId: f.orgB, templateId: f.aiTemplateB },
    foreignResource: { organizationId: f.orgA, templateId: f.aiTemplateB },
  }),
  "aiTask.run": (f) => ({
    foreignOrg: { organizationId: f.orgB, templateId: f.aiTemplateB, input: { x: "y" } },
    foreignResource: { organizationId: f.orgA, templateId: f.aiTemplateB, input: { x: "y" } },
  }),
  "aiTask.get": (f) => ({
    foreignOrg: { organizationId: f.orgB, taskId: f.aiTaskB },
    foreignResource: { organizationId: f.orgA, taskId: f.aiTaskB },
  }),
  "aiTask.list": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "aiTask.cancel": (f) => ({
    foreignOrg: { organizationId: f.orgB, taskId: f.aiTaskB },
    foreignResource: { organizationId: f.orgA, taskId: f.aiTaskB },
  }),
  "aiTask.stream": (f) => ({
    foreignOrg: { organizationId: f.orgB, taskId: f.aiTaskB },
    foreignResource: { organizationId: f.orgA, taskId: f.aiTaskB },
  }),
  "aiBatch.create": (f) => ({
    foreignOrg: {
      organizationId: f.orgB,
      templateId: f.aiTemplateB,
      format: "csv",
      content: "x\ny",
    },
    foreignResource: {
      organizationId: f.orgA,
      templateId: f.aiTemplateB,
      format: "csv",
      content: "x\ny",
    },
  }),
  "aiBatch.get": (f) => ({
    foreignOrg: { organizationId: f.orgB, batchId: f.aiBatchB },
    foreignResource: { organizationId: f.orgA, batchId: f.aiBatchB },
  }),
  "aiBatch.list": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "aiBatch.export": (f) => ({
    foreignOrg: { organizationId: f.orgB, batchId: f.aiBatchB, format: "csv" },
    foreignResource: { organizationId: f.orgA, batchId: f.aiBatchB, format: "json" },
  }),
  "aiSettings.key": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "aiSettings.setKey": (f) => ({
    foreignOrg: { organizationId: f.orgB, apiKey: "sk-intruder-key-0000" },
  }),
  "aiSettings.deleteKey": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "aiSettings.setBaseUrl": (f) => ({
    foreignOrg: { organizationId: f.orgB, baseUrl: "https://1.1.1.1/v1" },
  }),
  "aiSettings.preferences": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "aiSettings.setPreferences": (f) => ({
    foreignOrg: { organizationId: f.orgB, defaultModel: "x" },
    foreignResource: { organizationId: f.orgA, defaultTemplateId: f.aiTemplateB },
  }),
  "organization.get": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "organization.update": (f) => ({ foreignOrg: { organizationId: f.orgB, name: "Taken over" } }),
  "organization.delete": (f) => ({ foreignOrg: { organizationId: f.orgB, confirmSlug: "org-b" } }),
  "organization.exportData": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "organization.members": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "project.list": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "project.create": (f) => ({ foreignOrg: { organizationId: f.orgB, name: "Intruder" } }),
  "project.rename": (f) => ({
    foreignOrg: { organizationId: f.orgB, projectId: f.projectB, name: "x" },
    foreignResource: { organizationId: f.orgA, projectId: f.projectB, name: "x" },
  }),
  "project.archive": (f) => ({
    foreignOrg: { organizationId: f.orgB, projectId: f.projectB },
    foreignResource: { organizationId: f.orgA, projectId: f.projectB },
  }),
  "project.unarchive": (f) => ({
    foreignOrg: { organizationId: f.orgB, projectId: f.projectB },
    foreignResource: { organizationId: f.orgA, projectId: f.projectB },
  }),
  "project.delete": (f) => ({
    foreignOrg: { organizationId: f.orgB, projectId: f.projectB },
    foreignResource: { organizationId: f.orgA, projectId: f.projectB },
  }),
  "audit.list": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "run.start": (f) => ({ foreignOrg: { organizationId: f.orgB, kind: "demo" } }),
  "run.list": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "run.get": (f) => ({
    foreignOrg: { organizationId: f.orgB, runId: f.runB },
    foreignResource: { organizationId: f.orgA, runId: f.runB },
  }),
  "run.cancel": (f) => ({
    foreignOrg: { organizationId: f.orgB, runId: f.runB },
    foreignResource: { organizationId: f.orgA, runId: f.runB },
  }),
  "invitation.list": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "invitation.create": (f) => ({
    foreignOrg: { organizationId: f.orgB, email: "intruder@x.test", role: "MEMBER" },
  }),
  "invitation.resend": (f) => ({
    foreignOrg: { organizationId: f.orgB, invitationId: f.invitationB },
    foreignResource: { organizationId: f.orgA, invitationId: f.invitationB },
  }),
  "invitation.revoke": (f) => ({
    foreignOrg: { organizationId: f.orgB, invitationId: f.invitationB },
    foreignResource: { organizationId: f.orgA, invitationId: f.invitationB },
  }),
  "member.updateRole": (f) => ({
    foreignOrg: { organizationId: f.orgB, membershipId: f.membershipB, role: "MEMBER" },
    foreignResource: { organizationId: f.orgA, membershipId: f.membershipB, role: "MEMBER" },
  }),
  "member.remove": (f) => ({
    foreignOrg: { organizationId: f.orgB, membershipId: f.membershipB },
    foreignResource: { organizationId: f.orgA, membershipId: f.membershipB },
  }),
  "member.leave": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "member.transferOwnership": (f) => ({
    foreignOrg: { organizationId: f.orgB, membershipId: f.membershipB },
    foreignResource: { organizationId: f.orgA, membershipId: f.membershipB },
  }),
  "billing.overview": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "billing.dailyUsage": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "billing.invoices": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "billing.paymentMethods": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "billing.upcomingInvoice": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "billing.previewPlanChange": (f) => ({
    foreignOrg: { organizationId: f.orgB, planKey: "pro", interval: "month" },
  }),
  "billing.startCheckout": (f) => ({
    foreignOrg: { organizationId: f.orgB, planKey: "pro", interval: "month" },
  }),
  "billing.completeTestCheckout": (f) => ({
    foreignOrg: { organizationId: f.orgB, planKey: "pro", interval: "month" },
  }),
  "billing.changePlan": (f) => ({
    foreignOrg: { organizationId: f.orgB, planKey: "pro", interval: "month" },
  }),
  "billing.previewSubscriptionItems": (f) => ({
    foreignOrg: { organizationId: f.orgB, items: [{ key: "pro", quantity: 2 }] },
  }),
  "billing.setSubscriptionItems": (f) => ({
    foreignOrg: { organizationId: f.orgB, items: [{ key: "pro", quantity: 2 }] },
  }),
  "billing.cancel": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "billing.resume": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "billing.openPortal": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "apiKey.scopes": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "apiKey.list": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "apiKey.create": (f) => ({
    foreignOrg: { organizationId: f.orgB, name: "Intruder", scopes: ["projects:read"] },
  }),
  "apiKey.revoke": (f) => ({
    foreignOrg: { organizationId: f.orgB, apiKeyId: f.apiKeyB },
    foreignResource: { organizationId: f.orgA, apiKeyId: f.apiKeyB },
  }),
  "apiKey.rotate": (f) => ({
    foreignOrg: { organizationId: f.orgB, apiKeyId: f.apiKeyB },
    foreignResource: { organizationId: f.orgA, apiKeyId: f.apiKeyB },
  }),
  "webhook.eventTypes": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "webhook.list": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "webhook.create": (f) => ({
    foreignOrg: {
      organizationId: f.orgB,
      url: "https://hooks.example.com/x",
      eventTypes: ["webhook.test"],
    },
  }),
  "webhook.update": (f) => ({
    foreignOrg: { organizationId: f.orgB, endpointId: f.webhookEndpointB, enabled: false },
    foreignResource: { organizationId: f.orgA, endpointId: f.webhookEndpointB, enabled: false },
  }),
  "webhook.delete": (f) => ({
    foreignOrg: { organizationId: f.orgB, endpointId: f.webhookEndpointB },
    foreignResource: { organizationId: f.orgA, endpointId: f.webhookEndpointB },
  }),
  "webhook.rotateSecret": (f) => ({
    foreignOrg: { organizationId: f.orgB, endpointId: f.webhookEndpointB },
    foreignResource: { organizationId: f.orgA, endpointId: f.webhookEndpointB },
  }),
  "webhook.sendTest": (f) => ({
    foreignOrg: { organizationId: f.orgB, endpointId: f.webhookEndpointB },
    foreignResource: { organizationId: f.orgA, endpointId: f.webhookEndpointB },
  }),
  "webhook.deliveries": (f) => ({
    foreignOrg: { organizationId: f.orgB },
    foreignResource: { organizationId: f.orgA, endpointId: f.webhookEndpointB },
  }),
  "webhook.replay": (f) => ({
    foreignOrg: { organizationId: f.orgB, deliveryId: f.webhookDeliveryB },
    foreignResource: { organizationId: f.orgA, deliveryId: f.webhookDeliveryB },
  }),
  // API catalog (buyer side; the catalog itself is the operator's)
  "apis.catalog": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "apis.usageSummary": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "apis.usageByEndpoint": (f) => ({ foreignOrg: { organizationId: f.orgB, days: 30 } }),
  "apis.usageSeries": (f) => ({ foreignOrg: { organizationId: f.orgB, days: 7, bucket: "day" } }),
  "apis.usageLog": (f) => ({ foreignOrg: { organizationId: f.orgB, apiKeyId: f.apiKeyB } }),
  "apis.usageCsv": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "practiceScenario.list": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "practiceScenario.get": (f) => ({
    foreignOrg: { organizationId: f.orgB, scenarioId: f.scenarioB },
    foreignResource: { organizationId: f.orgA, scenarioId: f.scenarioB },
  }),
  "practiceScenario.create": (f) => ({
    foreignOrg: { organizationId: f.orgB, ...PRACTICE_SCENARIO },
  }),
  "practiceScenario.update": (f) => ({
    foreignOrg: { organizationId: f.orgB, scenarioId: f.scenarioB, ...PRACTICE_SCENARIO },
    foreignResource: { organizationId: f.orgA, scenarioId: f.scenarioB, ...PRACTICE_SCENARIO },
  }),
  "practiceScenario.archive": (f) => ({
    foreignOrg: { organizationId: f.orgB, scenarioId: f.scenarioB },
    foreignResource: { organizationId: f.orgA, scenarioId: f.scenarioB },
  }),
  "practiceScenario.unarchive": (f) => ({
    foreignOrg: { organizationId: f.orgB, scenarioId: f.scenarioB },
    foreignResource: { organizationId: f.orgA, scenarioId: f.scenarioB },
  }),
  "practice.start": (f) => ({
    foreignOrg: { organizationId: f.orgB, scenarioId: f.scenarioB },
    foreignResource: { organizationId: f.orgA, scenarioId: f.scenarioB },
  }),
  "practice.ticket": (f) => ({
    foreignOrg: { organizationId: f.orgB, sessionId: f.sessionB },
    foreignResource: { organizationId: f.orgA, sessionId: f.sessionB },
  }),
  "practice.list": (f) => ({ foreignOrg: { organizationId: f.orgB, who: "all" } }),
  "practice.get": (f) => ({
    foreignOrg: { organizationId: f.orgB, sessionId: f.sessionB },
    foreignResource: { organizationId: f.orgA, sessionId: f.sessionB },
  }),
  "practice.end": (f) => ({
    foreignOrg: { organizationId: f.orgB, sessionId: f.sessionB },
    foreignResource: { organizationId: f.orgA, sessionId: f.sessionB },
  }),
  "practice.reanalyze": (f) => ({
    foreignOrg: { organizationId: f.orgB, sessionId: f.sessionB },
    foreignResource: { organizationId: f.orgA, sessionId: f.sessionB },
  }),
  "practice.minutes": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "practice.grantMinutes": (f) => ({
    foreignOrg: { organizationId: f.orgB, userId: f.userB, minutes: 10 },
    foreignResource: { organizationId: f.orgA, userId: f.userB, minutes: 10 },
  }),
  "practice.ledger": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "practice.progress": (f) => ({
    foreignOrg: { organizationId: f.orgB },
    foreignResource: { organizationId: f.orgA, userId: f.userB },
  }),
  "practice.teamProgress": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "practice.settings": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "practice.updateSettings": (f) => ({
    foreignOrg: { organizationId: f.orgB, recordingRetentionDays: 1 },
  }),
  "practice.providers": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "practice.updateProviders": (f) => ({
    foreignOrg: {
      organizationId: f.orgB,
      speechToText: "deepgram",
      textToSpeech: null,
      keys: { deepgram: "dg-intruder-key-0000" },
    },
  }),
  "practice.deleteProviderKey": (f) => ({
    foreignOrg: { organizationId: f.orgB, vendor: "deepgram" },
  }),
  // Test automation (modules/test-automation).
  "testEnvironment.list": (f) => ({
    foreignOrg: { organizationId: f.orgB, projectId: f.projectB },
  }),
  "testEnvironment.create": (f) => ({
    foreignOrg: { organizationId: f.orgB, projectId: f.projectB, name: "Intruder" },
    foreignResource: { organizationId: f.orgA, projectId: f.projectB, name: "Intruder" },
  }),
  "testEnvironment.update": (f) => ({
    foreignOrg: { organizationId: f.orgB, environmentId: f.environmentB, name: "x" },
    foreignResource: { organizationId: f.orgA, environmentId: f.environmentB, name: "x" },
  }),
  "testEnvironment.delete": (f) => ({
    foreignOrg: { organizationId: f.orgB, environmentId: f.environmentB },
    foreignResource: { organizationId: f.orgA, environmentId: f.environmentB },
  }),
  "testSuite.list": (f) => ({ foreignOrg: { organizationId: f.orgB, projectId: f.projectB } }),
  "testSuite.get": (f) => ({
    foreignOrg: { organizationId: f.orgB, suiteId: f.suiteB },
    foreignResource: { organizationId: f.orgA, suiteId: f.suiteB },
  }),
  "testSuite.create": (f) => ({
    foreignOrg: { organizationId: f.orgB, projectId: f.projectB, name: "Intruder" },
    foreignResource: { organizationId: f.orgA, projectId: f.projectB, name: "Intruder" },
  }),
  "testSuite.update": (f) => ({
    foreignOrg: { organizationId: f.orgB, suiteId: f.suiteB, name: "x" },
    foreignResource: { organizationId: f.orgA, suiteId: f.suiteB, name: "x" },
  }),
  "testSuite.delete": (f) => ({
    foreignOrg: { organizationId: f.orgB, suiteId: f.suiteB },
    foreignResource: { organizationId: f.orgA, suiteId: f.suiteB },
  }),
  "testSuite.export": (f) => ({
    foreignOrg: { organizationId: f.orgB, suiteId: f.suiteB, format: "json" },
    foreignResource: { organizationId: f.orgA, suiteId: f.suiteB, format: "json" },
  }),
  "testSuite.import": (f) => {
    const text = JSON.stringify({ name: "Intruder", tests: [] });
    return {
      foreignOrg: { organizationId: f.orgB, projectId: f.projectB, format: "json", text },
      foreignResource: { organizationId: f.orgA, projectId: f.projectB, format: "json", text },
    };
  },
  "testCase.get": (f) => ({
    foreignOrg: { organizationId: f.orgB, testId: f.testB },
    foreignResource: { organizationId: f.orgA, testId: f.testB },
  }),
  "testCase.export": (f) => ({
    foreignOrg: { organizationId: f.orgB, testId: f.testB, format: "yaml" },
    foreignResource: { organizationId: f.orgA, testId: f.testB, format: "yaml" },
  }),
  "testCase.create": (f) => {
    const text = JSON.stringify({ kind: "http", name: "x", steps: [{ method: "GET", url: "/" }] });
    return {
      foreignOrg: { organizationId: f.orgB, suiteId: f.suiteB, format: "json", text },
      foreignResource: { organizationId: f.orgA, suiteId: f.suiteB, format: "json", text },
    };
  },
  "testCase.update": (f) => {
    const text = JSON.stringify({ kind: "http", name: "x", steps: [{ method: "GET", url: "/" }] });
    return {
      foreignOrg: { organizationId: f.orgB, testId: f.testB, format: "json", text },
      foreignResource: { organizationId: f.orgA, testId: f.testB, format: "json", text },
    };
  },
  "testCase.delete": (f) => ({
    foreignOrg: { organizationId: f.orgB, testId: f.testB },
    foreignResource: { organizationId: f.orgA, testId: f.testB },
  }),
  "testRun.start": (f) => ({
    foreignOrg: { organizationId: f.orgB, suiteId: f.suiteB, environmentId: f.environmentB },
    foreignResource: { organizationId: f.orgA, suiteId: f.suiteB, environmentId: f.environmentB },
  }),
  "testRun.cancel": (f) => ({
    foreignOrg: { organizationId: f.orgB, testRunId: f.testRunB },
    foreignResource: { organizationId: f.orgA, testRunId: f.testRunB },
  }),
  "testRun.get": (f) => ({
    foreignOrg: { organizationId: f.orgB, testRunId: f.testRunB },
    foreignResource: { organizationId: f.orgA, testRunId: f.testRunB },
  }),
  "testRun.list": (f) => ({ foreignOrg: { organizationId: f.orgB, projectId: f.projectB } }),
  "testRun.result": (f) => ({
    foreignOrg: { organizationId: f.orgB, testResultId: f.resultB },
    foreignResource: { organizationId: f.orgA, testResultId: f.resultB },
  }),
  "testRun.junit": (f) => ({
    foreignOrg: { organizationId: f.orgB, testRunId: f.testRunB },
    foreignResource: { organizationId: f.orgA, testRunId: f.testRunB },
  }),
  "testRun.dashboard": (f) => ({ foreignOrg: { organizationId: f.orgB, projectId: f.projectB } }),
  "testWatcher.list": (f) => ({ foreignOrg: { organizationId: f.orgB, projectId: f.projectB } }),
  "testWatcher.add": (f) => ({
    foreignOrg: { organizationId: f.orgB, projectId: f.projectB, email: "intruder@x.test" },
    foreignResource: { organizationId: f.orgA, projectId: f.projectB, email: "intruder@x.test" },
  }),
  "testWatcher.remove": (f) => ({
    foreignOrg: { organizationId: f.orgB, watcherId: f.watcherB },
    foreignResource: { organizationId: f.orgA, watcherId: f.watcherB },
  }),
  // Managed hosting (modules/hosting).
  "workspace.list": (f) => ({ foreignOrg: { organizationId: f.orgB } }),
  "workspace.get": (f) => ({
    foreignOrg: { organizationId: f.orgB, workspaceId: f.workspaceB },
    foreignResource: { organizationId: f.orgA, workspaceId: f.workspaceB },
  }),
  "workspace.request": (f) => ({
    foreignOrg: {
      organizationId: f.orgB,
      name: "intruder",
      app: "bahmni",
      version: "1.0.0",
      size: "small",
      region: "eu-central",
    },
  }),
  "workspace.previewRequest": (f) => ({
    foreignOrg: {
      organizationId: f.orgB,
      app: "bahmni",
      version: "1.0.0",
      size: "small",
      region: "eu-central",
    },
  }),
  "workspace.retry": (f) => ({
    foreignOrg: { organizationId: f.orgB, workspaceId: f.workspaceB },
    foreignResource: { organizationId: f.orgA, workspaceId: f.workspaceB },
  }),
  "workspace.update": (f) => ({
    foreignOrg: { organizationId: f.orgB, workspaceId: f.workspaceB, size: "medium" },
    foreignResource: { organizationId: f.orgA, workspaceId: f.workspaceB, size: "medium" },
  }),
  "workspace.destroy": (f) => ({
    foreignOrg: { organizationId: f.orgB, workspaceId: f.workspaceB },
    foreignResource: { organizationId: f.orgA, workspaceId: f.workspaceB },
  }),
  "domain.list": (f) => ({
    foreignOrg: { organizationId: f.orgB, workspaceId: f.workspaceB },
    foreignResource: { organizationId: f.orgA, workspaceId: f.workspaceB },
  }),
  "domain.add": (f) => ({
    foreignOrg: { organizationId: f.orgB, workspaceId: f.workspaceB, hostname: "intruder.b.test" },
    foreignResource: {
      organizationId: f.orgA,
      workspaceId: f.workspaceB,
      hostname: "intruder.b.test",
    },
  }),
  "domain.verify": (f) => ({
    foreignOrg: { organizationId: f.orgB, workspaceId: f.workspaceB, domainId: f.domainB },
    foreignResource: { organizationId: f.orgA, workspaceId: f.workspaceB, domainId: f.domainB },
  }),
  "domain.remove": (f) => ({
    foreignOrg: { organizationId: f.orgB, workspaceId: f.workspaceB, domainId: f.domainB },
    foreignResource: { organizationId: f.orgA, workspaceId: f.workspaceB, domainId: f.domainB },
  }),
};

type ProcedureDef = { _def: { type: string; meta?: { access?: string; apiScope?: string } } };
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, ProcedureDef>,
);
const orgScoped = procedures
  .filter(([, procedure]) => procedure._def.meta?.access === "org")
  .map(([path]) => path);

async function call(caller: ReturnType<typeof callerFor>, path: string, input: unknown) {
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

async function snapshotTenantB() {
  const practice = await Promise.all([
    db.system.practiceScenario.findMany({
      where: { organizationId: fx.orgB },
      orderBy: { id: "asc" },
    }),
    db.system.practiceSession.findMany({
      where: { organizationId: fx.orgB },
      orderBy: { id: "asc" },
    }),
    db.system.sessionFeedback.findMany({
      where: { organizationId: fx.orgB },
      orderBy: { id: "asc" },
    }),
    db.system.minuteLedgerEntry.findMany({
      where: { organizationId: fx.orgB },
      orderBy: { id: "asc" },
    }),
  ]);
  const testAutomation = await Promise.all([
    db.system.testEnvironment.findMany({
      where: { organizationId: fx.orgB },
      orderBy: { id: "asc" },
    }),
    db.system.testSuite.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
    db.system.testCase.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
    db.system.testRun.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
    db.system.testWatcher.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
  ]);
  const hosting = await Promise.all([
    db.system.hostingWorkspace.findMany({
      where: { organizationId: fx.orgB },
      orderBy: { id: "asc" },
    }),
    db.system.hostingRun.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
    db.system.hostingDomain.findMany({
      where: { organizationId: fx.orgB },
      orderBy: { id: "asc" },
    }),
  ]);
  const [
    organization,
    projects,
    memberships,
    runs,
    invitations,
    subscription,
    invoices,
    keys,
    webhookEndpoints,
    webhookDeliveries,
    vaultSecrets,
    aiTemplates,
    aiTasks,
  ] = await Promise.all([
    db.system.organization.findUnique({ where: { id: fx.orgB } }),
    db.system.project.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
    db.system.membership.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
    db.system.run.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
    db.system.invitation.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
    db.system.subscription.findUnique({ where: { organizationId: fx.orgB } }),
    db.system.invoice.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
    db.system.apiKey.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
    db.system.webhookEndpoint.findMany({
      where: { organizationId: fx.orgB },
      orderBy: { id: "asc" },
    }),
    db.system.webhookDelivery.findMany({
      where: { organizationId: fx.orgB },
      orderBy: { id: "asc" },
    }),
    db.system.vaultSecret.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
    db.system.aiTaskTemplate.findMany({
      where: { organizationId: fx.orgB },
      orderBy: { id: "asc" },
    }),
    db.system.aiTask.findMany({ where: { organizationId: fx.orgB }, orderBy: { id: "asc" } }),
  ]);
  return {
    organization,
    projects,
    memberships,
    runs,
    invitations,
    subscription,
    invoices,
    keys,
    webhookEndpoints,
    webhookDeliveries,
    vaultSecrets,
    aiTemplates,
    aiTasks,
    practice,
    testAutomation,
    hosting,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  const alice = await createUser(db, "alice@a.test");
  const bob = await createUser(db, "bob@b.test");
  const a = await createOrganization(db, alice, "Org A");
  const b = await createOrganization(db, bob, "Org B");
  // Enterprise everywhere so plan gating never answers before tenancy does.
  await setPlan(db, a.id, "enterprise");
  await setPlan(db, b.id, "enterprise");
  await addMember(db, a.id, await createUser(db, "member@a.test"), "MEMBER");
  const projectB = await db.system.project.create({
    data: { organizationId: b.id, name: "B secret", status: "ARCHIVED" },
  });
  const runB = await db.system.run.create({ data: { organizationId: b.id, kind: "demo" } });
  const invitationB = await db.system.invitation.create({
    data: {
      organizationId: b.id,
      email: "pending@b.test",
      role: "ADMIN",
      tokenHash: "b".repeat(64),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const membershipB = await db.system.membership.findFirstOrThrow({
    where: { organizationId: b.id },
  });
  const apiKeyB = await insertApiKey(db.system, {
    organizationId: b.id,
    name: "B's key",
    scopes: ["projects:read"],
  });
  const environmentB = await db.system.testEnvironment.create({
    data: { organizationId: b.id, projectId: projectB.id, name: "B env" },
  });
  const suiteB = await db.system.testSuite.create({
    data: { organizationId: b.id, projectId: projectB.id, name: "B suite" },
  });
  const testB = await db.system.testCase.create({
    data: {
      organizationId: b.id,
      suiteId: suiteB.id,
      name: "B test",
      kind: "HTTP",
      definition: { kind: "http", id: "b", name: "B test", steps: [{ method: "GET", url: "/" }] },
    },
  });
  const testRunB = await db.system.testRun.create({
    data: {
      organizationId: b.id,
      projectId: projectB.id,
      suiteId: suiteB.id,
      environmentId: environmentB.id,
      runId: (await db.system.run.create({ data: { organizationId: b.id, kind: "test-run" } })).id,
      trigger: "MANUAL",
      suiteName: "B suite",
      environmentName: "B env",
    },
  });
  const resultB = await db.system.testResult.create({
    data: {
      organizationId: b.id,
      testRunId: testRunB.id,
      testCaseId: testB.id,
      name: "B test",
      kind: "HTTP",
      status: "PASS",
      durationMs: 1,
      attempts: 1,
      detail: {},
    },
  });
  const watcherB = await db.system.testWatcher.create({
    data: { organizationId: b.id, projectId: projectB.id, email: "watcher@b.test" },
  });
  apiKeyA = (
    await insertApiKey(db.system, {
      organizationId: a.id,
      name: "A's key",
      scopes: Object.keys(product.apiScopes),
    })
  ).record;
  const webhookEndpointB = await db.system.webhookEndpoint.create({
    data: { organizationId: b.id, url: "https://b.example.com/hook", eventTypes: ["webhook.test"] },
  });
  const webhookEventB = await db.system.webhookEvent.create({
    data: { organizationId: b.id, type: "webhook.test", data: { secret: "b" } },
  });
  const webhookDeliveryB = await db.system.webhookDelivery.create({
    data: { organizationId: b.id, endpointId: webhookEndpointB.id, eventId: webhookEventB.id },
  });
  const aiTemplateB = await db.system.aiTaskTemplate.create({
    data: {
      organizationId: b.id,
      name: "B template",
      provider: "offline",
      model: "offline-demo",
      promptTemplate: "Hi {{x}}",
      variables: [{ name: "x", type: "string", required: true }],
    },
  });
  const aiBatchB = await db.system.aiTaskBatch.create({
    data: { organizationId: b.id, templateId: aiTemplateB.id, name: "B batch", total: 1 },
  });
  const aiTaskB = await db.system.aiTask.create({
    data: {
      organizationId: b.id,
      templateId: aiTemplateB.id,
      batchId: aiBatchB.id,
      input: { x: "secret" },
      provider: "offline",
      model: "offline-demo",
    },
  });
  const scenarioB = await db.system.practiceScenario.create({
    data: {
      organizationId: b.id,
      name: "B scenario",
      persona: "B's prospect",
      product: "B's product",
      rubric: { skills: [{ id: "x", name: "X", rules: [{ kind: "questions", min: 1 }] }] },
    },
  });
  const sessionB = await db.system.practiceSession.create({
    data: { organizationId: b.id, scenarioId: scenarioB.id, userId: bob.id },
  });
  const workspaceB = await db.system.hostingWorkspace.create({
    data: {
      organizationId: b.id,
      name: "b-secret",
      app: "bahmni",
      version: "1.0.0",
      size: "small",
      region: "eu-central",
      state: "READY",
    },
  });
  fx = {
    webhookEndpointB: webhookEndpointB.id,
    webhookDeliveryB: webhookDeliveryB.id,
    aiTemplateB: aiTemplateB.id,
    aiTaskB: aiTaskB.id,
    aiBatchB: aiBatchB.id,
    scenarioB: scenarioB.id,
    sessionB: sessionB.id,
    userB: bob.id,
    apiKeyB: apiKeyB.record.id,
    orgA: a.id,
    orgB: b.id,
    projectB: projectB.id,
    runB: runB.id,
    invitationB: invitationB.id,
    membershipB: membershipB.id,
    environmentB: environmentB.id,
    suiteB: suiteB.id,
    testB: testB.id,
    testRunB: testRunB.id,
    resultB: resultB.id,
    watcherB: watcherB.id,
    workspaceB: workspaceB.id,
    domainB: (
      await db.system.hostingDomain.create({
        data: {
          organizationId: b.id,
          workspaceId: workspaceB.id,
          hostname: "b-secret.domains.test",
          verificationToken: "b-secret-token",
        },
      })
    ).id,
  };
  callAsA = callerFor(db, alice);
});
afterAll(() => db.drop());

describe("tenancy: every org-scoped procedure", () => {
  it("the router has org-scoped procedures and every one has a case", () => {
    expect(orgScoped.length).toBeGreaterThanOrEqual(Object.keys(CASES).length);
    expect(orgScoped.filter((path) => !(path in CASES))).toEqual([]);
  });

  it.each(orgScoped)(
    "%s answers NOT_FOUND for another tenant's ids and changes nothing",
    async (path) => {
      const inputs = CASES[path]?.(fx);
      expect(inputs, `add ${path} to CASES`).toBeDefined();
      if (!inputs) return;
      const before = await snapshotTenantB();
      for (const input of [inputs.foreignOrg, inputs.foreignResource].filter(Boolean)) {
        const error = await call(callAsA, path, input).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error, `${path} ${JSON.stringify(input)}`).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code).toBe("NOT_FOUND");
      }
      expect(await snapshotTenantB()).toEqual(before);
    },
  );
});

/** A caller acting as organization A's API key (every scope of the product). */
function keyCallerForA() {
  const createCaller = createCallerFactory(appRouter);
  return createCaller(
    createContext({
      database: db,
      product,
      apiKey: {
        id: apiKeyA.id,
        organizationId: apiKeyA.organizationId,
        name: apiKeyA.name,
        scopes: apiKeyA.scopes,
      },
      requestId: "key-request",
      logger: silentLogger,
      billing: LOCAL_BILLING,
    }),
  );
}

describe("tenancy: API-key callers", () => {
  const keyed = procedures.filter(([, procedure]) => procedure._def.meta?.apiScope);

  it("procedures that take keys answer NOT_FOUND for another organization", async () => {
    expect(keyed.map(([path]) => path).sort()).toEqual([
      "aiBatch.export",
      "aiBatch.get",
      "aiTask.cancel",
      "aiTask.get",
      "aiTask.list",
      "aiTask.run",
      "aiTemplate.get",
      "aiTemplate.list",
      "domain.add",
      "domain.list",
      "domain.remove",
      "domain.verify",
      "project.create",
      "project.list",
      "workspace.destroy",
      "workspace.get",
      "workspace.list",
      "workspace.previewRequest",
      "workspace.request",
      "workspace.update",
    ]);
    const before = await snapshotTenantB();
    for (const [path] of keyed) {
      const input = CASES[path]?.(fx).foreignOrg;
      const error = await call(keyCallerForA(), path, input).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as TRPCError).code, path).toBe("NOT_FOUND");
    }
    expect(await snapshotTenantB()).toEqual(before);
    // Its own organization works.
    await expect(
      call(keyCallerForA(), "project.list", { organizationId: fx.orgA }),
    ).resolves.toEqual([]);
  });

  it.each(procedures.filter(([, p]) => !p._def.meta?.apiScope).map(([path]) => path))(
    "%s refuses API keys (FORBIDDEN, API_KEY_NOT_ALLOWED)",
    async (path) => {
      const input = CASES[path]?.(fx).foreignOrg ?? { organizationId: fx.orgA };
      const error = await call(keyCallerForA(), path, input).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, path).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code, path).toBe("FORBIDDEN");
      expect(((error as TRPCError).cause as { data?: { code?: string } }).data?.code).toBe(
        "API_KEY_NOT_ALLOWED",
      );
    },
  );
});
