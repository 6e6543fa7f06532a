// No secret leaves the server: every procedure of the router is called over HTTP (the web
// route's handler) with valid input, as a user who may use it, and every answer — data and
// errors — is scanned: no field named like a secret, no secret value the database holds
// (session tokens, the caller's session cookie among them, password hashes, token and key
// hashes, provider tokens, Stripe ids), no SQL or source text. A procedure that returns a raw
// row of a table with secrets fails here; a procedure added without a case fails too.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueUserToken } from "@plinth/auth/tokens";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { enqueueSystem, installJobSchema, jobs } from "@plinth/jobs";
import { RECORDING_CONSENT_VERSION } from "@plinth/platform/contracts";
import { generateKeyEntry } from "@plinth/vault";
import {
  createWorld,
  decode,
  INTERNAL_TEXT,
  keysOf,
  PASSWORD,
  PROCEDURES,
  SECRET_FIELD,
  secretValues,
  send,
  trpcRequest,
  type Caller,
  type HttpAnswer,
  type World,
} from "./boundary-helpers.ts";

// The vault's keyring: test environments' secrets and an organization's AI provider key are
// stored encrypted (the cases below).
process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

/** Fields whose names look like secrets but are not, each with its reason. */
const LEGIT_SECRET_LIKE_FIELDS: Record<string, string> = {
  hasPassword: "whether the account has a password (a boolean), shown on the account page",
  signingSecret:
    "a webhook endpoint's new signing secret, answered once by webhook.create and " +
    "webhook.rotateSecret (kept only in the vault; the test below checks no other answer has it)",
  promptTokens: "an AI task's prompt token count (a number)",
  completionTokens: "an AI task's completion token count (a number)",
  tokensEstimated: "whether an AI task's token counts are estimates (a boolean)",
  timeToFirstTokenMs: "an AI task's latency to its first streamed token (a number)",
  maxTokens: "an AI template's completion length limit (a number)",
  "ai.tokens": "the AI token meter's key (quotas and usage by meter)",
  passed: "how many tests of a test run passed (a count)",
  secretNames: "names of a test environment's write-only secrets (never their values)",
};

type As = keyof World["users"] | "public";
interface Case {
  path: string;
  as: As;
  /** The call's input, or a promise of it (`unknown` covers both). */
  input?: (w: World, state: State) => unknown;
  /** The tRPC error code this call answers with, when success is not possible here. */
  refusal?: string;
}
interface State {
  results: Map<string, unknown>;
  db: TestDatabase;
}

const rawTokenIn = async (db: TestDatabase, to: string, pattern: RegExp) => {
  const email = await db.system.email.findFirstOrThrow({
    where: { to },
    orderBy: { createdAt: "desc" },
  });
  const token = email.text.match(pattern)?.[1];
  if (!token) throw new Error(`no token in the email to ${to}`);
  return token;
};
const issue = async (
  db: TestDatabase,
  userId: string,
  purpose: "EMAIL_VERIFICATION" | "PASSWORD_RESET",
) => (await issueUserToken(db.system, { userId, purpose, now: new Date() })).token;

/** An organization's own provider key: it must never come back (the scans look for it). */
const AI_PROVIDER_KEY = `sk-answers-${randomBytes(12).toString("hex")}`;
const VOICE_DEEPGRAM_KEY = `dg-answers-${randomBytes(12).toString("hex")}`;
const VOICE_ELEVENLABS_KEY = `el-answers-${randomBytes(12).toString("hex")}`;
const VOICE_OPENAI_KEY = `sk-voice-answers-${randomBytes(12).toString("hex")}`;
const idIn = (results: Map<string, unknown>, path: string) =>
  (results.get(path) as { id: string }).id;
const aiTemplateId = (results: Map<string, unknown>) => idIn(results, "aiTemplate.create");
const aiTaskId = (results: Map<string, unknown>) => idIn(results, "aiTask.run");
const aiBatchId = (results: Map<string, unknown>) => idIn(results, "aiBatch.create");
const PRACTICE_SCENARIO = {
  name: "Cold call",
  persona: "A busy CFO",
  product: "Plinth Voice",
  objections: ["No budget"],
  goals: ["Book a demo"],
  difficulty: "MEDIUM",
  rubric: {
    skills: [{ id: "discovery", name: "Discovery", rules: [{ kind: "questions", min: 1 }] }],
  },
};
const scenarioOf = (state: State) =>
  (state.results.get("practiceScenario.create") as { id: string }).id;
const sessionOf = (state: State) =>
  (state.results.get("practice.start") as { sessionId: string }).sessionId;

/** In order: later cases use what earlier ones made; the destructive ones come last. */
const CASES: Case[] = [
  // Organizations
  { path: "organization.list", as: "owner" },
  { path: "organization.create", as: "owner", input: () => ({ name: "Second Co" }) },
  { path: "organization.get", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "organization.update",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, name: "World Company" }),
  },
  { path: "organization.members", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  // Projects
  {
    path: "project.list",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, status: "ALL" }),
  },
  {
    path: "project.create",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, name: "New" }),
  },
  {
    path: "project.rename",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, projectId: w.project.id, name: "Renamed" }),
  },
  {
    path: "project.archive",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, projectId: w.project.id }),
  },
  {
    path: "project.unarchive",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, projectId: w.project.id }),
  },
  // Test automation (before project.delete: it lives in the project)
  {
    path: "testEnvironment.create",
    as: "owner",
    input: (w) => ({
      organizationId: w.org.id,
      projectId: w.project.id,
      name: "Staging",
      baseUrl: "http://127.0.0.1:9",
      variables: [{ name: "user", value: "alice" }],
      secrets: [{ name: "API_TOKEN", value: "answers-secret-value-4711" }],
    }),
  },
  {
    path: "testEnvironment.list",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, projectId: w.project.id }),
  },
  {
    path: "testEnvironment.update",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      environmentId: (results.get("testEnvironment.create") as { id: string }).id,
      setSecrets: [{ name: "OTHER", value: "answers-other-secret-0815" }],
    }),
  },
  {
    path: "testSuite.create",
    as: "owner",
    input: (w) => ({
      organizationId: w.org.id,
      projectId: w.project.id,
      name: "Smoke",
      retries: 1,
    }),
  },
  {
    path: "testSuite.update",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      suiteId: (results.get("testSuite.create") as { id: string }).id,
      description: "The smoke tests",
    }),
  },
  {
    path: "testCase.create",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      suiteId: (results.get("testSuite.create") as { id: string }).id,
      format: "json",
      text: JSON.stringify({ kind: "http", name: "Health", steps: [{ method: "GET", url: "/" }] }),
    }),
  },
  {
    path: "testCase.get",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      testId: (results.get("testCase.create") as { id: string }).id,
    }),
  },
  {
    path: "testCase.update",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      testId: (results.get("testCase.create") as { id: string }).id,
      format: "yaml",
      text: "kind: http\nname: Health 2\nsteps:\n  - method: GET\n    url: /\n",
    }),
  },
  {
    path: "testCase.export",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      testId: (results.get("testCase.create") as { id: string }).id,
      format: "yaml",
    }),
  },
  {
    path: "testSuite.list",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, projectId: w.project.id }),
  },
  {
    path: "testSuite.get",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      suiteId: (results.get("testSuite.create") as { id: string }).id,
    }),
  },
  {
    path: "testSuite.export",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      suiteId: (results.get("testSuite.create") as { id: string }).id,
      format: "json",
    }),
  },
  {
    path: "testSuite.import",
    as: "owner",
    input: (w) => ({
      organizationId: w.org.id,
      projectId: w.project.id,
      format: "yaml",
      text: "name: Imported\ntests:\n  - kind: http\n    name: One\n    steps:\n      - method: GET\n        url: /\n",
    }),
  },
  {
    path: "testRun.start",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      suiteId: (results.get("testSuite.create") as { id: string }).id,
      environmentId: (results.get("testEnvironment.create") as { id: string }).id,
    }),
  },
  {
    path: "testRun.get",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      testRunId: (results.get("testRun.start") as { id: string }).id,
    }),
  },
  {
    path: "testRun.list",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, projectId: w.project.id }),
  },
  {
    path: "testRun.result",
    as: "owner",
    input: async (w, { results, db }) => {
      const testRunId = (results.get("testRun.start") as { id: string }).id;
      const result = await db.system.testResult.create({
        data: {
          organizationId: w.org.id,
          testRunId,
          name: "Health 2",
          kind: "HTTP",
          status: "FAIL",
          durationMs: 3,
          attempts: 1,
          error: "status: expected 200, got 500",
          detail: { testId: "t", startedAt: new Date().toISOString(), attempts: [] },
          artifacts: [
            {
              key: `${w.org.id}/${testRunId}/t/1-0-failure.png`,
              label: "failure",
              attempt: 1,
              contentType: "image/png",
            },
          ],
        },
      });
      return { organizationId: w.org.id, testResultId: result.id };
    },
  },
  {
    path: "testRun.junit",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      testRunId: (results.get("testRun.start") as { id: string }).id,
    }),
  },
  {
    path: "testRun.dashboard",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, projectId: w.project.id }),
  },
  {
    path: "testRun.cancel",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      testRunId: (results.get("testRun.start") as { id: string }).id,
    }),
  },
  {
    path: "workspace.previewRequest",
    as: "owner",
    input: (w) => ({
      organizationId: w.org.id,
      app: "erpnext",
      version: "15.0",
      size: "small",
      region: "eu-central",
    }),
  },
  {
    path: "workspace.request",
    as: "owner",
    input: (w) => ({
      organizationId: w.org.id,
      name: "answers",
      app: "erpnext",
      version: "15.0",
      size: "small",
      region: "eu-central",
    }),
  },
  { path: "workspace.list", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "workspace.get",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      workspaceId: (results.get("workspace.request") as { workspace: { id: string } }).workspace.id,
    }),
  },
  {
    path: "domain.add",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      workspaceId: (results.get("workspace.request") as { workspace: { id: string } }).workspace.id,
      hostname: "answers.domains.test",
    }),
  },
  {
    path: "domain.list",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      workspaceId: (results.get("workspace.request") as { workspace: { id: string } }).workspace.id,
    }),
  },
  {
    // No TXT record published: a typed outcome (missing / lookup_error), not a refusal.
    path: "domain.verify",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      workspaceId: (results.get("workspace.request") as { workspace: { id: string } }).workspace.id,
      domainId: (results.get("domain.add") as { id: string }).id,
    }),
  },
  {
    path: "domain.remove",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      workspaceId: (results.get("workspace.request") as { workspace: { id: string } }).workspace.id,
      domainId: (results.get("domain.add") as { id: string }).id,
    }),
  },
  {
    // Its provisioning run holds the workspace: a change now is refused.
    path: "workspace.update",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      workspaceId: (results.get("workspace.request") as { workspace: { id: string } }).workspace.id,
      size: "medium",
    }),
    refusal: "PRECONDITION_FAILED",
  },
  {
    path: "workspace.destroy",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      workspaceId: (results.get("workspace.request") as { workspace: { id: string } }).workspace.id,
    }),
    refusal: "PRECONDITION_FAILED",
  },
  {
    // Its provisioning run holds the workspace: not FAILED, so nothing to retry.
    path: "workspace.retry",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      workspaceId: (results.get("workspace.request") as { workspace: { id: string } }).workspace.id,
    }),
    refusal: "PRECONDITION_FAILED",
  },
  // The operator's hosting dashboard (platform admins)
  { path: "hostingOps.overview", as: "owner" },
  { path: "hostingOps.provisioning", as: "owner" },
  { path: "hostingOps.failedRuns", as: "owner", input: () => ({}) },
  {
    // Its provisioning run holds the workspace: not FAILED, so nothing to retry.
    path: "hostingOps.retry",
    as: "owner",
    input: (_w, { results }) => ({
      workspaceId: (results.get("workspace.request") as { workspace: { id: string } }).workspace.id,
    }),
    refusal: "PRECONDITION_FAILED",
  },
  {
    path: "testWatcher.add",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, projectId: w.project.id, email: "watcher@x.test" }),
  },
  {
    path: "testWatcher.list",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, projectId: w.project.id }),
  },
  {
    path: "testWatcher.remove",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      watcherId: (results.get("testWatcher.add") as { id: string }).id,
    }),
  },
  {
    path: "testCase.delete",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      testId: (results.get("testCase.create") as { id: string }).id,
    }),
  },
  {
    path: "testSuite.delete",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      suiteId: (results.get("testSuite.create") as { id: string }).id,
    }),
  },
  {
    path: "testEnvironment.delete",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      environmentId: (results.get("testEnvironment.create") as { id: string }).id,
    }),
  },
  {
    path: "project.delete",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, projectId: w.project.id }),
  },
  // AI tasks
  {
    path: "aiTemplate.create",
    as: "owner",
    input: (w) => ({
      organizationId: w.org.id,
      name: "Answers template",
      provider: "offline",
      model: "offline-demo",
      promptTemplate: "Say {{word}}",
      variables: [{ name: "word", type: "string" }],
    }),
  },
  { path: "aiTemplate.list", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "aiTemplate.get",
    as: "owner",
    input: (w, { results }) => ({ organizationId: w.org.id, templateId: aiTemplateId(results) }),
  },
  {
    path: "aiTemplate.update",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      templateId: aiTemplateId(results),
      name: "Answers template",
      provider: "offline",
      model: "offline-demo",
      promptTemplate: "Say {{word}} twice",
      variables: [{ name: "word", type: "string" }],
      outputSchema: JSON.stringify({ type: "object", properties: { said: { type: "string" } } }),
    }),
  },
  {
    path: "aiTask.run",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      templateId: aiTemplateId(results),
      input: { word: "hello" },
    }),
  },
  {
    path: "aiTask.get",
    as: "owner",
    input: (w, { results }) => ({ organizationId: w.org.id, taskId: aiTaskId(results) }),
  },
  { path: "aiTask.list", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "aiTask.cancel",
    as: "owner",
    input: (w, { results }) => ({ organizationId: w.org.id, taskId: aiTaskId(results) }),
  },
  {
    // The cancelled task: its stream sends the final status and ends.
    path: "aiTask.stream",
    as: "owner",
    input: (w, { results }) => ({ organizationId: w.org.id, taskId: aiTaskId(results) }),
  },
  {
    path: "aiBatch.create",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      templateId: aiTemplateId(results),
      format: "csv",
      content: "word\nalpha\nbeta\n",
    }),
  },
  {
    path: "aiBatch.get",
    as: "owner",
    input: (w, { results }) => ({ organizationId: w.org.id, batchId: aiBatchId(results) }),
  },
  { path: "aiBatch.list", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "aiBatch.export",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      batchId: aiBatchId(results),
      format: "json",
    }),
  },
  { path: "aiSettings.key", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "aiSettings.setKey",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, apiKey: AI_PROVIDER_KEY }),
  },
  {
    path: "aiSettings.setBaseUrl",
    as: "owner",
    // A public IP literal: valid without DNS, and never called (no task runs here).
    input: (w) => ({ organizationId: w.org.id, baseUrl: "https://1.1.1.1/v1" }),
  },
  { path: "aiSettings.preferences", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "aiSettings.setPreferences",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      defaultTemplateId: aiTemplateId(results),
      defaultProvider: "offline",
      defaultModel: "offline-demo",
    }),
  },
  { path: "aiSettings.deleteKey", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "aiTemplate.archive",
    as: "owner",
    input: (w, { results }) => ({ organizationId: w.org.id, templateId: aiTemplateId(results) }),
  },
  {
    path: "aiTemplate.delete",
    as: "owner",
    input: async (w, { db }) => {
      const spare = await db.system.aiTaskTemplate.create({
        data: {
          organizationId: w.org.id,
          name: "Spare template",
          provider: "offline",
          model: "offline-demo",
          promptTemplate: "Hi",
        },
      });
      return { organizationId: w.org.id, templateId: spare.id };
    },
  },
  // Voice training
  {
    path: "practiceScenario.create",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, ...PRACTICE_SCENARIO }),
  },
  { path: "practiceScenario.list", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "practiceScenario.get",
    as: "member",
    input: (w, state) => ({ organizationId: w.org.id, scenarioId: scenarioOf(state) }),
  },
  {
    path: "practiceScenario.update",
    as: "owner",
    input: (w, state) => ({
      organizationId: w.org.id,
      scenarioId: scenarioOf(state),
      ...PRACTICE_SCENARIO,
      name: "Cold call (v2)",
    }),
  },
  {
    path: "practiceScenario.archive",
    as: "owner",
    input: (w, state) => ({ organizationId: w.org.id, scenarioId: scenarioOf(state) }),
  },
  {
    path: "practiceScenario.unarchive",
    as: "owner",
    input: (w, state) => ({ organizationId: w.org.id, scenarioId: scenarioOf(state) }),
  },
  // The owner agrees to be recorded (practice.start needs it), then reads the consents back.
  {
    path: "account.recordConsent",
    as: "owner",
    input: () => ({ kind: "RECORDING", version: RECORDING_CONSENT_VERSION, granted: true }),
  },
  { path: "account.consents", as: "owner" },
  {
    path: "practice.start",
    as: "owner",
    input: (w, state) => ({ organizationId: w.org.id, scenarioId: scenarioOf(state) }),
  },
  {
    path: "practice.ticket",
    as: "owner",
    input: (w, state) => ({ organizationId: w.org.id, sessionId: sessionOf(state) }),
  },
  { path: "practice.list", as: "owner", input: (w) => ({ organizationId: w.org.id, who: "all" }) },
  {
    path: "practice.get",
    as: "owner",
    input: (w, state) => ({ organizationId: w.org.id, sessionId: sessionOf(state) }),
  },
  {
    path: "practice.end",
    as: "owner",
    input: (w, state) => ({ organizationId: w.org.id, sessionId: sessionOf(state) }),
  },
  {
    path: "practice.reanalyze",
    as: "owner",
    input: (w, state) => ({ organizationId: w.org.id, sessionId: sessionOf(state) }),
  },
  { path: "practice.minutes", as: "member", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "practice.grantMinutes",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, userId: w.users.member.id, minutes: 30 }),
  },
  { path: "practice.ledger", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  { path: "practice.progress", as: "member", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "practice.progress",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, userId: w.users.member.id }),
  },
  { path: "practice.teamProgress", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "practice.updateSettings",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, recordingRetentionDays: 30 }),
  },
  { path: "practice.settings", as: "member", input: (w) => ({ organizationId: w.org.id }) },
  // A company's own speech and LLM keys (vault): set, read back masked, one removed.
  {
    path: "practice.updateProviders",
    as: "owner",
    input: (w) => ({
      organizationId: w.org.id,
      speechToText: "deepgram",
      textToSpeech: "elevenlabs",
      llm: { provider: "openai", model: "gpt-4o-mini" },
      keys: {
        deepgram: VOICE_DEEPGRAM_KEY,
        elevenlabs: VOICE_ELEVENLABS_KEY,
        openai: VOICE_OPENAI_KEY,
      },
    }),
  },
  { path: "practice.providers", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "practice.deleteProviderKey",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, vendor: "elevenlabs" }),
  },
  { path: "audit.list", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  // Runs
  { path: "run.start", as: "owner", input: (w) => ({ organizationId: w.org.id, kind: "demo" }) },
  { path: "run.get", as: "owner", input: (w) => ({ organizationId: w.org.id, runId: w.run.id }) },
  { path: "run.list", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "run.cancel",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, runId: w.run.id }),
  },
  // Invitations and members
  { path: "invitation.list", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "invitation.create",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, email: w.users.invitee.email, role: "MEMBER" }),
  },
  {
    path: "invitation.resend",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, invitationId: w.invitation.id }),
  },
  {
    path: "invitation.revoke",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, invitationId: w.invitation.id }),
  },
  {
    path: "invitation.preview",
    as: "public",
    input: async (w, { db }) => ({
      token: await rawTokenIn(db, w.users.invitee.email, /\/invite\/([\w-]+)/),
    }),
  },
  {
    path: "invitation.accept",
    as: "invitee",
    input: async (w, { db }) => ({
      token: await rawTokenIn(db, w.users.invitee.email, /\/invite\/([\w-]+)/),
    }),
  },
  {
    path: "member.updateRole",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, membershipId: w.memberMembershipId, role: "ADMIN" }),
  },
  {
    path: "member.remove",
    as: "owner",
    input: async (w, { db }) => ({
      organizationId: w.org.id,
      membershipId: (
        await db.system.membership.findFirstOrThrow({
          where: { organizationId: w.org.id, userId: w.users.invitee.id },
        })
      ).id,
    }),
  },
  { path: "member.leave", as: "member", input: (w) => ({ organizationId: w.org.id }) },
  // Billing (local provider)
  { path: "billing.overview", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  { path: "billing.dailyUsage", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  { path: "billing.invoices", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  { path: "billing.paymentMethods", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  { path: "billing.upcomingInvoice", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    // On the trial organization organization.create made (this one already has a plan).
    path: "billing.startCheckout",
    as: "owner",
    input: (_w, { results }) => ({
      organizationId: (results.get("organization.create") as { id: string }).id,
      planKey: "pro",
      interval: "month",
    }),
  },
  {
    path: "billing.completeTestCheckout",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, planKey: "enterprise", interval: "month" }),
  },
  {
    path: "billing.previewPlanChange",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, planKey: "pro", interval: "month" }),
  },
  {
    path: "billing.changePlan",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, planKey: "enterprise", interval: "year" }),
  },
  {
    // Enterprise yearly now (changePlan above): two Pro workspaces on top of it.
    path: "billing.previewSubscriptionItems",
    as: "owner",
    input: (w) => ({
      organizationId: w.org.id,
      items: [
        { key: "enterprise", quantity: 1 },
        { key: "pro", quantity: 2 },
      ],
    }),
  },
  {
    path: "billing.setSubscriptionItems",
    as: "owner",
    input: (w) => ({
      organizationId: w.org.id,
      items: [
        { key: "enterprise", quantity: 1 },
        { key: "pro", quantity: 2 },
      ],
    }),
  },
  { path: "billing.cancel", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  { path: "billing.resume", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  { path: "billing.openPortal", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  // API keys (the create and rotate answers carry the new key once, never a hash)
  { path: "apiKey.scopes", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "apiKey.create",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, name: "CI", scopes: ["projects:read"] }),
  },
  { path: "apiKey.list", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "apiKey.rotate",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      apiKeyId: (results.get("apiKey.create") as { apiKey: { id: string } }).apiKey.id,
      graceHours: 1,
    }),
  },
  {
    path: "apiKey.revoke",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      apiKeyId: (results.get("apiKey.rotate") as { apiKey: { id: string } }).apiKey.id,
    }),
  },
  // Outbound webhooks (create and rotateSecret answer the signing secret once)
  { path: "webhook.eventTypes", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "webhook.create",
    as: "owner",
    input: (w) => ({
      organizationId: w.org.id,
      url: "https://hooks.example.com/plinth",
      description: "CI",
      eventTypes: ["webhook.test"],
    }),
  },
  { path: "webhook.list", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "webhook.update",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      endpointId: (results.get("webhook.create") as { endpoint: { id: string } }).endpoint.id,
      description: "CI hooks",
    }),
  },
  {
    path: "webhook.sendTest",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      endpointId: (results.get("webhook.create") as { endpoint: { id: string } }).endpoint.id,
    }),
  },
  {
    path: "webhook.deliveries",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, status: "pending" }),
  },
  {
    path: "webhook.replay",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      deliveryId: (results.get("webhook.sendTest") as { id: string }).id,
    }),
  },
  {
    path: "webhook.rotateSecret",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      endpointId: (results.get("webhook.create") as { endpoint: { id: string } }).endpoint.id,
    }),
  },
  {
    path: "webhook.delete",
    as: "owner",
    input: (w, { results }) => ({
      organizationId: w.org.id,
      endpointId: (results.get("webhook.create") as { endpoint: { id: string } }).endpoint.id,
    }),
  },
  // Operator console
  { path: "operator.overview", as: "owner" },
  { path: "operator.history", as: "owner" },
  { path: "operator.organizations", as: "owner", input: () => ({ query: "world" }) },
  { path: "operator.users", as: "owner", input: () => ({ query: "world" }) },
  {
    path: "operator.setUserStatus",
    as: "owner",
    input: (w) => ({ userId: w.users.suspendable.id, status: "SUSPENDED" }),
  },
  { path: "operator.queue", as: "owner" },
  { path: "operator.failedJobs", as: "owner", input: () => ({}) },
  {
    path: "operator.retryJob",
    as: "owner",
    input: async (_w, { db }) => {
      const job = await enqueueSystem(db.system, jobs.emailSend, { emailId: "missing-email" });
      await db.system.$executeRaw`
        UPDATE graphile_worker._private_jobs SET attempts = max_attempts WHERE id = ${BigInt(job.id)}`;
      return { jobId: job.id };
    },
  },
  // The operator's subscription management, on the world organization (enterprise yearly, local
  // provider, after the billing cases): to monthly, cancelled at the period end, resumed.
  { path: "operator.subscription", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "operator.previewPlanChange",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, planKey: "enterprise", interval: "month" }),
  },
  {
    path: "operator.changePlan",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, planKey: "enterprise", interval: "month" }),
  },
  {
    path: "operator.cancelSubscription",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, when: "period_end" }),
  },
  {
    path: "operator.resumeSubscription",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id }),
  },
  // API catalog: the operator's catalog (audited), then the buyer's side
  {
    path: "apiCatalog.createProduct",
    as: "owner",
    input: () => ({
      slug: "world-api",
      name: "World API",
      upstreamBaseUrl: "http://127.0.0.1:9/base",
      visibility: "PRIVATE",
    }),
  },
  { path: "apiCatalog.list", as: "owner" },
  {
    path: "apiCatalog.get",
    as: "owner",
    input: (_w, { results }) => ({
      productId: (results.get("apiCatalog.createProduct") as { id: string }).id,
    }),
  },
  {
    path: "apiCatalog.updateProduct",
    as: "owner",
    input: (_w, { results }) => ({
      productId: (results.get("apiCatalog.createProduct") as { id: string }).id,
      description: "Everything about the world",
      upstreamSecret: null,
    }),
  },
  {
    path: "apiCatalog.createEndpoint",
    as: "owner",
    input: (_w, { results }) => ({
      productId: (results.get("apiCatalog.createProduct") as { id: string }).id,
      method: "GET",
      path: "/places/{id}",
      upstreamPath: "/v1/places/{id}",
      summary: "A place",
      pricePerCallMicroCents: 100_000,
    }),
  },
  {
    path: "apiCatalog.updateEndpoint",
    as: "owner",
    input: (_w, { results }) => ({
      endpointId: (results.get("apiCatalog.createEndpoint") as { id: string }).id,
      rateLimitPerMinute: 60,
    }),
  },
  {
    path: "apiCatalog.grantAccess",
    as: "owner",
    input: async (w, { results, db }) => ({
      productId: (results.get("apiCatalog.createProduct") as { id: string }).id,
      organizationSlug: (
        await db.system.organization.findUniqueOrThrow({ where: { id: w.org.id } })
      ).slug,
    }),
  },
  { path: "apis.catalog", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  { path: "apis.usageSummary", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  { path: "apis.usageByEndpoint", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "apis.usageSeries",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id, bucket: "hour", days: 2 }),
  },
  { path: "apis.usageLog", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  { path: "apis.usageCsv", as: "owner", input: (w) => ({ organizationId: w.org.id }) },
  {
    path: "apiCatalog.revokeAccess",
    as: "owner",
    input: async (w, { results, db }) => ({
      productId: (results.get("apiCatalog.createProduct") as { id: string }).id,
      organizationSlug: (
        await db.system.organization.findUniqueOrThrow({ where: { id: w.org.id } })
      ).slug,
    }),
  },
  {
    path: "apiCatalog.setProductStatus",
    as: "owner",
    input: (_w, { results }) => ({
      productId: (results.get("apiCatalog.createProduct") as { id: string }).id,
      status: "DEPRECATED",
      sunsetAt: "2030-01-01T00:00:00.000Z",
    }),
  },
  { path: "apiCatalog.analytics", as: "owner", input: () => ({}) },
  { path: "apiCatalog.revenueCsv", as: "owner", input: () => ({ months: 3 }) },
  {
    path: "apiCatalog.deleteEndpoint",
    as: "owner",
    input: (_w, { results }) => ({
      endpointId: (results.get("apiCatalog.createEndpoint") as { id: string }).id,
    }),
  },
  {
    path: "apiCatalog.deleteProduct",
    as: "owner",
    input: (_w, { results }) => ({
      productId: (results.get("apiCatalog.createProduct") as { id: string }).id,
    }),
  },
  // Demo booking: the public form's request, the operator's list
  {
    path: "demoBooking.request",
    as: "public",
    input: () => ({ name: "A lead", email: "lead@prospect.test", message: "Show us minutes" }),
  },
  { path: "demoBooking.list", as: "owner", input: () => ({ limit: 10 }) },
  // Account
  {
    path: "account.signUp",
    as: "public",
    input: () => ({ name: "Newcomer", email: "newcomer@world.test", password: PASSWORD }),
  },
  { path: "account.resendVerification", as: "unverified" },
  {
    path: "account.verifyEmail",
    as: "public",
    input: async (w, { db }) => ({
      token: await issue(db, w.users.unverified.id, "EMAIL_VERIFICATION"),
    }),
  },
  {
    path: "account.requestPasswordReset",
    as: "public",
    input: (w) => ({ email: w.users.member.email }),
  },
  {
    path: "account.checkResetToken",
    as: "public",
    input: async (w, { db }) => ({ token: await issue(db, w.users.member.id, "PASSWORD_RESET") }),
  },
  {
    path: "account.resetPassword",
    as: "public",
    input: async (w, { db }) => ({
      token: await issue(db, w.users.member.id, "PASSWORD_RESET"),
      password: "another very good password",
    }),
  },
  {
    path: "account.changePassword",
    as: "owner",
    input: () => ({ currentPassword: PASSWORD, newPassword: "a brand new good password" }),
  },
  { path: "account.sessions", as: "owner" },
  {
    path: "account.revokeSession",
    as: "owner",
    input: async (w, { db }) => {
      // changePassword signed the other devices out: sign one in again to revoke it.
      const other = await db.system.session.create({
        data: {
          sessionToken: randomBytes(32).toString("base64url"),
          userId: w.users.owner.id,
          expires: new Date(Date.now() + 86_400_000),
        },
      });
      return { sessionId: other.id };
    },
  },
  { path: "account.profile", as: "owner" },
  {
    path: "account.updateProfile",
    as: "owner",
    input: () => ({ name: "Owner", preferences: { theme: "dark", timezone: "Europe/Paris" } }),
  },
  { path: "account.signInMethods", as: "owner" },
  {
    path: "account.unlinkSignInMethod",
    as: "owner",
    input: () => ({ kind: "oauth", provider: "github" }),
  },
  { path: "account.activity", as: "owner" },
  // Exports last before the destructive cases: by now every module has rows to export.
  { path: "account.exportData", as: "owner" },
  { path: "account.requestDataExport", as: "owner" },
  { path: "account.dataExports", as: "owner" },
  {
    path: "organization.exportData",
    as: "owner",
    input: (w) => ({ organizationId: w.org.id }),
  },
  { path: "account.deletionPreview", as: "doomed" },
  {
    path: "account.deleteAccount",
    as: "doomed",
    input: (w) => ({ confirmEmail: w.users.doomed.email }),
  },
  // Destructive, last
  {
    path: "member.transferOwnership",
    as: "owner",
    input: (w) => ({ organizationId: w.spare.id, membershipId: w.spareMemberMembershipId }),
  },
  {
    path: "organization.delete",
    as: "member",
    input: (w) => ({ organizationId: w.spare.id, confirmSlug: w.spare.slug }),
  },
  { path: "account.signOutEverywhere", as: "owner" },
];

let db: TestDatabase;
let world: World;
const answers: { path: string; as: As; answer: HttpAnswer }[] = [];
/** Every secret value the database held before or after the calls. */
let secrets: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.url);
  world = await createWorld(db);
});
afterAll(() => db.drop());

function callerOf(as: As): Caller {
  if (as === "public") return { user: null, sessionToken: null };
  const user = world.users[as];
  return { user, sessionToken: as === "owner" ? world.ownerToken : null };
}

describe("every procedure's answer", () => {
  it("every procedure has a case", () => {
    const covered = new Set(CASES.map((c) => c.path));
    expect(PROCEDURES.map((p) => p.path).filter((path) => !covered.has(path))).toEqual([]);
  });

  it("each call answers as expected (so the scans below see real answers)", async () => {
    const secretsBefore = await secretValues(db);
    const state: State = { results: new Map(), db };
    const outcomes: string[] = [];
    for (const c of CASES) {
      const input = await c.input?.(world, state);
      const answer = await send(db, callerOf(c.as), trpcRequest(c.path, input));
      answers.push({ path: c.path, as: c.as, answer });
      const { data, error } = decode(answer);
      state.results.set(c.path, data);
      const outcome = error ? error.data.code : "ok";
      if (outcome !== (c.refusal ?? "ok"))
        outcomes.push(`${c.path}: ${outcome} ${error?.message ?? ""}`);
    }
    expect(outcomes).toEqual([]);
    secrets = [
      ...new Set([
        ...secretsBefore,
        ...(await secretValues(db)),
        world.ownerToken,
        AI_PROVIDER_KEY,
        VOICE_DEEPGRAM_KEY,
        VOICE_ELEVENLABS_KEY,
        VOICE_OPENAI_KEY,
      ]),
    ];
  });

  it("no field named like a secret", () => {
    expect(answers.length).toBe(CASES.length);
    const found = answers.flatMap(({ path, answer }) =>
      keysOf(JSON.parse(answer.text))
        .filter(({ key }) => SECRET_FIELD.test(key) && !(key in LEGIT_SECRET_LIKE_FIELDS))
        .map(({ path: at }) => `${path}: ${at}`),
    );
    expect(found).toEqual([]);
  });

  it("no secret value the database holds, and not the caller's session cookie", () => {
    expect(secrets.length).toBeGreaterThan(10);
    expect(secrets).toContain(world.ownerToken);
    const found = answers.flatMap(({ path, answer }) =>
      secrets.filter((secret) => answer.text.includes(secret)).map(() => path),
    );
    expect(found).toEqual([]);
  });

  it("a webhook signing secret only in the answer that issued it", () => {
    const issued = answers.flatMap(({ path, answer }) => {
      const match = /"signingSecret":"(whsec_[^"]+)"/.exec(answer.text);
      return match?.[1] ? [{ path, secret: match[1] }] : [];
    });
    expect(issued.map(({ path }) => path)).toEqual(["webhook.create", "webhook.rotateSecret"]);
    const leaks = answers.flatMap(({ path, answer }) =>
      issued
        .filter((entry) => entry.path !== path && answer.text.includes(entry.secret))
        .map((entry) => `${entry.path}'s secret in ${path}`),
    );
    expect(leaks).toEqual([]);
  });

  it("no SQL, Prisma, path or source text", () => {
    const found = answers.flatMap(({ path, answer }) =>
      INTERNAL_TEXT.filter((pattern) => pattern.test(answer.text)).map((p) => `${path}: ${p}`),
    );
    expect(found).toEqual([]);
  });
});
