// Test automation's services: plain (scope, input) functions over the organization's RLS-bound
// data access (procedures in trpc.ts, gateway routes in http.ts). Environments keep their
// secrets in the vault (write-only: only names are answered); tests are engine definitions
// validated on the way in; every change is audited.
import { recordAudit } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import { actorUserId } from "@plinth/core/scope";
import { Prisma, type TransactionClient } from "@plinth/db";
import type { OrgScope } from "@plinth/platform";
import {
  runEnvironmentSchema,
  type DefinitionFormat,
  type TestDefinition,
} from "@plinth/test-engine";
import { deleteSecret, isVaultError, putSecret } from "@plinth/vault";
import { parseCronItem } from "graphile-worker";
import { z } from "zod";
import { parseSuiteText, parseTestText, serialize, vaultSecretName } from "./definitions.ts";

type Variable = { name: string; value: string };

function conflictOn(field: string) {
  return (error: unknown): never => {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError({ code: "CONFLICT", field });
    }
    throw error;
  };
}

async function requireProject(tx: TransactionClient, organizationId: string, projectId: string) {
  const project = await tx.project.findFirst({
    where: { id: projectId, organizationId },
    select: { id: true },
  });
  if (!project) throw notFound("Project");
  return project;
}

const variablesJson = z.record(z.string(), z.string());
function variablesOf(value: Prisma.JsonValue): Record<string, string> {
  const parsed = variablesJson.safeParse(value);
  return parsed.success ? parsed.data : {};
}

function toRecord(variables: readonly Variable[]): Record<string, string> {
  return Object.fromEntries(variables.map((variable) => [variable.name, variable.value]));
}

function checkEnvironment(
  baseUrl: string | null | undefined,
  variables: Record<string, string>,
  secretNames: readonly string[],
) {
  const parsed = runEnvironmentSchema.safeParse({
    ...(baseUrl ? { baseUrl } : {}),
    variables,
    secrets: Object.fromEntries(secretNames.map((name) => [name, "x"])),
  });
  if (!parsed.success) {
    throw new AppError({
      code: "INVALID_DEFINITION",
      issues: parsed.error.issues.map(
        (issue) => `${issue.path.map(String).join(".") || "environment"}: ${issue.message}`,
      ),
    });
  }
}

function vaultRefused(error: unknown): never {
  if (isVaultError(error, "NOT_CONFIGURED")) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "Secrets need the vault: set ENCRYPTION_KEYS on the server",
    });
  }
  if (isVaultError(error)) throw new AppError({ code: "INVALID_STATE", detail: error.message });
  throw error;
}

// ── Environments ─────────────────────────────────────────────────────────────────────────

const environmentSelect = {
  id: true,
  projectId: true,
  name: true,
  baseUrl: true,
  variables: true,
  secretNames: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.TestEnvironmentSelect;

function environmentView(
  row: Prisma.TestEnvironmentGetPayload<{ select: typeof environmentSelect }>,
) {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    baseUrl: row.baseUrl,
    variables: Object.entries(variablesOf(row.variables)).map(([name, value]) => ({ name, value })),
    /** Names only: a secret's value is never answered. */
    secretNames: [...row.secretNames].sort(),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function listEnvironments(scope: OrgScope, input: { projectId: string }) {
  const rows = await scope.db.client.testEnvironment.findMany({
    where: { projectId: input.projectId },
    orderBy: { name: "asc" },
    select: environmentSelect,
  });
  return rows.map(environmentView);
}

export function createEnvironment(
  scope: OrgScope,
  input: {
    projectId: string;
    name: string;
    baseUrl?: string | undefined;
    variables: Variable[];
    secrets: Variable[];
  },
) {
  const organizationId = scope.organization.id;
  const variables = toRecord(input.variables);
  const secretNames = [...new Set(input.secrets.map((secret) => secret.name))];
  checkEnvironment(input.baseUrl, variables, secretNames);
  return scope.db.transaction(async (tx) => {
    await requireProject(tx, organizationId, input.projectId);
    const environment = await tx.testEnvironment
      .create({
        data: {
          organizationId,
          projectId: input.projectId,
          name: input.name,
          baseUrl: input.baseUrl ?? null,
          variables,
          secretNames,
        },
        select: environmentSelect,
      })
      .catch(conflictOn("name"));
    for (const secret of input.secrets) {
      await putSecret(tx, {
        organizationId,
        name: vaultSecretName(environment.id, secret.name),
        plaintext: secret.value,
      }).catch(vaultRefused);
    }
    await recordAudit(tx, scope, {
      organizationId,
      action: "test_environment.created",
      targetType: "test_environment",
      targetId: environment.id,
      changes: { name: { to: environment.name }, secretNames: { to: secretNames } },
    });
    return environmentView(environment);
  });
}

export function updateEnvironment(
  scope: OrgScope,
  input: {
    environmentId: string;
    name?: string | undefined;
    baseUrl?: string | null | undefined;
    variables?: Variable[] | undefined;
    setSecrets: Variable[];
    removeSecrets: string[];
  },
) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const before = await tx.testEnvironment.findFirst({
      where: { id: input.environmentId, organizationId },
      select: environmentSelect,
    });
    if (!before) throw notFound("Test environment");
    const variables = input.variables ? toRecord(input.variables) : variablesOf(before.variables);
    const names = new Set(before.secretNames);
    for (const name of input.removeSecrets) names.delete(name);
    for (const secret of input.setSecrets) names.add(secret.name);
    const baseUrl = input.baseUrl === undefined ? before.baseUrl : input.baseUrl;
    checkEnvironment(baseUrl, variables, [...names]);
    const environment = await tx.testEnvironment
      .update({
        where: { id: before.id },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          baseUrl,
          variables,
          secretNames: [...names],
        },
        select: environmentSelect,
      })
      .catch(conflictOn("name"));
    for (const name of input.removeSecrets) {
      await deleteSecret(tx, { organizationId, name: vaultSecretName(before.id, name) });
    }
    for (const secret of input.setSecrets) {
      await putSecret(tx, {
        organizationId,
        name: vaultSecretName(before.id, secret.name),
        plaintext: secret.value,
      }).catch(vaultRefused);
    }
    await recordAudit(tx, scope, {
      organizationId,
      action: "test_environment.updated",
      targetType: "test_environment",
      targetId: environment.id,
      changes: {
        ...(input.name !== undefined ? { name: { from: before.name, to: input.name } } : {}),
        ...(input.setSecrets.length || input.removeSecrets.length
          ? { secretNames: { from: before.secretNames, to: [...names] } }
          : {}),
      },
    });
    return environmentView(environment);
  });
}

export function deleteEnvironment(scope: OrgScope, input: { environmentId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const environment = await tx.testEnvironment.findFirst({
      where: { id: input.environmentId, organizationId },
      select: { id: true, name: true, secretNames: true },
    });
    if (!environment) throw notFound("Test environment");
    for (const name of environment.secretNames) {
      await deleteSecret(tx, { organizationId, name: vaultSecretName(environment.id, name) });
    }
    await tx.testEnvironment.delete({ where: { id: environment.id } });
    await recordAudit(tx, scope, {
      organizationId,
      action: "test_environment.deleted",
      targetType: "test_environment",
      targetId: environment.id,
      changes: { name: { from: environment.name } },
    });
    return { id: environment.id };
  });
}

// ── Suites ───────────────────────────────────────────────────────────────────────────────

const suiteSelect = {
  id: true,
  projectId: true,
  name: true,
  description: true,
  schedule: true,
  scheduleEnvironmentId: true,
  retries: true,
  concurrency: true,
  runTimeoutMs: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.TestSuiteSelect;

const testSelect = {
  id: true,
  suiteId: true,
  name: true,
  kind: true,
  position: true,
  definition: true,
  updatedAt: true,
} as const satisfies Prisma.TestCaseSelect;

interface SuiteSettings {
  description?: string | undefined;
  schedule?: string | null | undefined;
  scheduleEnvironmentId?: string | null | undefined;
  retries?: number | undefined;
  concurrency?: number | undefined;
  runTimeoutMs?: number | undefined;
}

function checkSchedule(schedule: string | null | undefined) {
  if (!schedule) return;
  try {
    parseCronItem({ task: "testAutomation.scheduleTick", match: schedule });
  } catch (error) {
    throw new AppError({
      code: "INVALID_DEFINITION",
      issues: [`schedule: ${error instanceof Error ? error.message : "not a cron expression"}`],
    });
  }
}

async function checkScheduleEnvironment(
  tx: TransactionClient,
  projectId: string,
  settings: SuiteSettings,
  current: { schedule: string | null; scheduleEnvironmentId: string | null } | null,
) {
  const schedule =
    settings.schedule === undefined ? (current?.schedule ?? null) : settings.schedule;
  const environmentId =
    settings.scheduleEnvironmentId === undefined
      ? (current?.scheduleEnvironmentId ?? null)
      : settings.scheduleEnvironmentId;
  if (environmentId) {
    const environment = await tx.testEnvironment.findFirst({
      where: { id: environmentId, projectId },
      select: { id: true },
    });
    if (!environment) throw notFound("Test environment");
  }
  if (schedule && !environmentId) {
    throw new AppError({
      code: "INVALID_DEFINITION",
      issues: ["scheduleEnvironmentId: a scheduled suite needs the environment it runs on"],
    });
  }
}

function settingsData(settings: SuiteSettings) {
  return {
    ...(settings.description !== undefined ? { description: settings.description } : {}),
    ...(settings.schedule !== undefined ? { schedule: settings.schedule } : {}),
    ...(settings.scheduleEnvironmentId !== undefined
      ? { scheduleEnvironmentId: settings.scheduleEnvironmentId }
      : {}),
    ...(settings.retries !== undefined ? { retries: settings.retries } : {}),
    ...(settings.concurrency !== undefined ? { concurrency: settings.concurrency } : {}),
    ...(settings.runTimeoutMs !== undefined ? { runTimeoutMs: settings.runTimeoutMs } : {}),
  };
}

export async function listSuites(scope: OrgScope, input: { projectId: string }) {
  const suites = await scope.db.client.testSuite.findMany({
    where: { projectId: input.projectId },
    orderBy: { name: "asc" },
    select: {
      ...suiteSelect,
      _count: { select: { tests: true } },
      runs: {
        orderBy: { createdAt: "desc" },
        take: 1,
        select: { id: true, status: true, createdAt: true },
      },
    },
  });
  return suites.map(({ _count, runs, ...suite }) => ({
    ...suite,
    testCount: _count.tests,
    lastRun: runs[0] ?? null,
  }));
}

export async function getSuite(scope: OrgScope, input: { suiteId: string }) {
  const suite = await scope.db.client.testSuite.findFirst({
    where: { id: input.suiteId, organizationId: scope.organization.id },
    select: {
      ...suiteSelect,
      tests: { orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: testSelect },
    },
  });
  if (!suite) throw notFound("Test suite");
  return suite;
}

export function createSuite(
  scope: OrgScope,
  input: { projectId: string; name: string } & SuiteSettings,
) {
  const organizationId = scope.organization.id;
  checkSchedule(input.schedule);
  return scope.db.transaction(async (tx) => {
    await requireProject(tx, organizationId, input.projectId);
    await checkScheduleEnvironment(tx, input.projectId, input, null);
    const suite = await tx.testSuite
      .create({
        data: {
          organizationId,
          projectId: input.projectId,
          name: input.name,
          ...settingsData(input),
        },
        select: suiteSelect,
      })
      .catch(conflictOn("name"));
    await recordAudit(tx, scope, {
      organizationId,
      action: "test_suite.created",
      targetType: "test_suite",
      targetId: suite.id,
      changes: { name: { to: suite.name } },
    });
    return suite;
  });
}

export function updateSuite(
  scope: OrgScope,
  input: { suiteId: string; name?: string | undefined } & SuiteSettings,
) {
  const organizationId = scope.organization.id;
  checkSchedule(input.schedule);
  return scope.db.transaction(async (tx) => {
    const before = await tx.testSuite.findFirst({
      where: { id: input.suiteId, organizationId },
      select: suiteSelect,
    });
    if (!before) throw notFound("Test suite");
    await checkScheduleEnvironment(tx, before.projectId, input, before);
    const suite = await tx.testSuite
      .update({
        where: { id: before.id },
        data: { ...(input.name !== undefined ? { name: input.name } : {}), ...settingsData(input) },
        select: suiteSelect,
      })
      .catch(conflictOn("name"));
    await recordAudit(tx, scope, {
      organizationId,
      action: "test_suite.updated",
      targetType: "test_suite",
      targetId: suite.id,
      changes: {
        ...(input.name !== undefined ? { name: { from: before.name, to: suite.name } } : {}),
        ...(input.schedule !== undefined
          ? { schedule: { from: before.schedule, to: suite.schedule } }
          : {}),
      },
    });
    return suite;
  });
}

export function deleteSuite(scope: OrgScope, input: { suiteId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const suite = await tx.testSuite.findFirst({
      where: { id: input.suiteId, organizationId },
      select: { id: true, name: true },
    });
    if (!suite) throw notFound("Test suite");
    await tx.testSuite.delete({ where: { id: suite.id } });
    await recordAudit(tx, scope, {
      organizationId,
      action: "test_suite.deleted",
      targetType: "test_suite",
      targetId: suite.id,
      changes: { name: { from: suite.name } },
    });
    return { id: suite.id };
  });
}

/** The stored definition (validated again: a row written by an older engine still parses). */
export function storedDefinition(row: {
  id: string;
  definition: Prisma.JsonValue;
}): TestDefinition {
  return parseTestText(JSON.stringify(row.definition), "json", row.id);
}

export async function exportSuite(
  scope: OrgScope,
  input: { suiteId: string; format: DefinitionFormat },
) {
  const suite = await getSuite(scope, input);
  const text = serialize(
    { name: suite.name, tests: suite.tests.map(storedDefinition) },
    input.format,
  );
  return { name: suite.name, format: input.format, text };
}

export function importSuite(
  scope: OrgScope,
  input: {
    projectId: string;
    format: DefinitionFormat;
    text: string;
    suiteId?: string | undefined;
  },
) {
  const organizationId = scope.organization.id;
  const document = parseSuiteText(input.text, input.format);
  if (new Set(document.tests.map((test) => test.name)).size !== document.tests.length) {
    throw new AppError({ code: "INVALID_DEFINITION", issues: ["tests: names repeat"] });
  }
  return scope.db.transaction(async (tx) => {
    await requireProject(tx, organizationId, input.projectId);
    let suiteId = input.suiteId;
    if (suiteId) {
      const existing = await tx.testSuite.findFirst({
        where: { id: suiteId, projectId: input.projectId },
        select: { id: true },
      });
      if (!existing) throw notFound("Test suite");
      await tx.testCase.deleteMany({ where: { suiteId } });
    } else {
      const created = await tx.testSuite
        .create({
          data: { organizationId, projectId: input.projectId, name: document.name },
          select: { id: true },
        })
        .catch(conflictOn("name"));
      suiteId = created.id;
    }
    for (const [position, test] of document.tests.entries()) {
      const row = await tx.testCase.create({
        data: {
          organizationId,
          suiteId,
          name: test.name,
          kind: test.kind === "http" ? "HTTP" : "BROWSER",
          definition: {},
          position,
        },
        select: { id: true },
      });
      await tx.testCase.update({
        where: { id: row.id },
        data: { definition: { ...test, id: row.id } },
      });
    }
    await recordAudit(tx, scope, {
      organizationId,
      action: "test_suite.imported",
      targetType: "test_suite",
      targetId: suiteId,
      changes: { tests: { to: document.tests.length } },
    });
    return { suiteId, tests: document.tests.length };
  });
}

// ── Tests ────────────────────────────────────────────────────────────────────────────────

function testView(row: Prisma.TestCaseGetPayload<{ select: typeof testSelect }>) {
  return row;
}

export async function getTest(scope: OrgScope, input: { testId: string }) {
  const test = await scope.db.client.testCase.findFirst({
    where: { id: input.testId, organizationId: scope.organization.id },
    select: testSelect,
  });
  if (!test) throw notFound("Test");
  return testView(test);
}

export async function exportTest(
  scope: OrgScope,
  input: { testId: string; format: DefinitionFormat },
) {
  const test = await getTest(scope, input);
  return {
    name: test.name,
    format: input.format,
    text: serialize(storedDefinition(test), input.format),
  };
}

export function createTest(
  scope: OrgScope,
  input: { suiteId: string; format: DefinitionFormat; text: string },
) {
  const organizationId = scope.organization.id;
  const parsed = parseTestText(input.text, input.format, "new");
  return scope.db.transaction(async (tx) => {
    const suite = await tx.testSuite.findFirst({
      where: { id: input.suiteId, organizationId },
      select: { id: true, _count: { select: { tests: true } } },
    });
    if (!suite) throw notFound("Test suite");
    const row = await tx.testCase
      .create({
        data: {
          organizationId,
          suiteId: suite.id,
          name: parsed.name,
          kind: parsed.kind === "http" ? "HTTP" : "BROWSER",
          definition: {},
          position: suite._count.tests,
        },
        select: { id: true },
      })
      .catch(conflictOn("name"));
    const test = await tx.testCase.update({
      where: { id: row.id },
      data: { definition: { ...parsed, id: row.id } },
      select: testSelect,
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "test.created",
      targetType: "test",
      targetId: test.id,
      changes: { name: { to: test.name }, kind: { to: test.kind } },
    });
    return testView(test);
  });
}

export function updateTest(
  scope: OrgScope,
  input: { testId: string; format: DefinitionFormat; text: string },
) {
  const organizationId = scope.organization.id;
  const parsed = parseTestText(input.text, input.format, input.testId);
  return scope.db.transaction(async (tx) => {
    const before = await tx.testCase.findFirst({
      where: { id: input.testId, organizationId },
      select: { id: true, name: true },
    });
    if (!before) throw notFound("Test");
    const test = await tx.testCase
      .update({
        where: { id: before.id },
        data: {
          name: parsed.name,
          kind: parsed.kind === "http" ? "HTTP" : "BROWSER",
          definition: parsed,
        },
        select: testSelect,
      })
      .catch(conflictOn("name"));
    await recordAudit(tx, scope, {
      organizationId,
      action: "test.updated",
      targetType: "test",
      targetId: test.id,
      changes: before.name !== test.name ? { name: { from: before.name, to: test.name } } : {},
    });
    return testView(test);
  });
}

export function deleteTest(scope: OrgScope, input: { testId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const test = await tx.testCase.findFirst({
      where: { id: input.testId, organizationId },
      select: { id: true, name: true },
    });
    if (!test) throw notFound("Test");
    await tx.testCase.delete({ where: { id: test.id } });
    await recordAudit(tx, scope, {
      organizationId,
      action: "test.deleted",
      targetType: "test",
      targetId: test.id,
      changes: { name: { from: test.name } },
    });
    return { id: test.id };
  });
}

// ── Watchers ─────────────────────────────────────────────────────────────────────────────

const watcherSelect = { id: true, projectId: true, email: true, createdAt: true } as const;

export function listWatchers(scope: OrgScope, input: { projectId: string }) {
  return scope.db.client.testWatcher.findMany({
    where: { projectId: input.projectId },
    orderBy: { email: "asc" },
    select: watcherSelect,
  });
}

export function addWatcher(scope: OrgScope, input: { projectId: string; email: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    await requireProject(tx, organizationId, input.projectId);
    const watcher = await tx.testWatcher
      .create({
        data: { organizationId, projectId: input.projectId, email: input.email },
        select: watcherSelect,
      })
      .catch(conflictOn("email"));
    await recordAudit(tx, scope, {
      organizationId,
      action: "test_watcher.added",
      targetType: "test_watcher",
      targetId: watcher.id,
      changes: { email: { to: watcher.email } },
    });
    return watcher;
  });
}

export function removeWatcher(scope: OrgScope, input: { watcherId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const watcher = await tx.testWatcher.findFirst({
      where: { id: input.watcherId, organizationId },
      select: watcherSelect,
    });
    if (!watcher) throw notFound("Watcher");
    await tx.testWatcher.delete({ where: { id: watcher.id } });
    await recordAudit(tx, scope, {
      organizationId,
      action: "test_watcher.removed",
      targetType: "test_watcher",
      targetId: watcher.id,
      changes: { email: { from: watcher.email } },
    });
    return { id: watcher.id };
  });
}

export { actorUserId };
