// Transient step failures: a step whose error the provider calls transient (PostgreSQL starting
// up, a held Terraform state lock) is retried in place with backoff — each attempt counted on
// the step and written to its output — and the run goes on; a permanent error fails the run at
// once; a transient error that outlasts the retries fails it after the last one.
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { executeRun } from "@plinth/jobs";
import { TerraformCommandError } from "@plinth/terraform";
import { createHostingRunKind } from "../src/executor.ts";
import { HOSTING_RUN_KIND } from "../src/jobs.ts";
import { isTransientPostgresError } from "../src/providers/local.ts";
import { createTerraformProvider } from "../src/providers/terraform.ts";
import type { HostingProvider } from "../src/providers/types.ts";
import {
  callerFor,
  createOrganization,
  createUser,
  localProvider,
  setPlan,
  silentLogger,
} from "./kit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** What pg raises while the server is starting up (SQLSTATE 57P03). */
function startingUp(): Error {
  return Object.assign(new Error("the database system is starting up"), { code: "57P03" });
}

/** The local provider whose apply fails with `failures` (in order) before doing its work. */
function flakyApply(failures: Error[]): HostingProvider {
  const local = localProvider(db);
  const pending = [...failures];
  return {
    ...local,
    apply: async (ctx) => {
      const failure = pending.shift();
      if (failure) throw failure;
      return local.apply(ctx);
    },
  };
}

async function provision(tag: string, provider: HostingProvider) {
  const owner = await createUser(db, `owner-${tag}@retries.test`);
  const organization = await createOrganization(db, owner, `Retries ${tag}`);
  await setPlan(db, organization.id, "enterprise");
  const caller = callerFor(db, owner);
  const requested = await caller.workspace.request({
    organizationId: organization.id,
    name: `ws-${tag}`,
    app: "bahmni",
    version: "1.0.0",
    size: "small",
    region: "eu-central",
  });
  const kind = createHostingRunKind({ provider: () => provider, retryDelaysMs: [10, 20] });
  await executeRun(
    { runId: requested.runId, organizationId: organization.id },
    { prisma: db.system, log: silentLogger, signal: new AbortController().signal },
    { [HOSTING_RUN_KIND]: kind },
  );
  const workspace = await caller.workspace.get({
    organizationId: organization.id,
    workspaceId: requested.workspace.id,
  });
  const apply = await db.system.hostingRunStep.findFirstOrThrow({
    where: { organizationId: organization.id, name: "apply" },
  });
  return { workspace, apply };
}

describe("transient step failures", () => {
  it("retries a transient failure and the workspace becomes ready", async () => {
    const { workspace, apply } = await provision("once", flakyApply([startingUp()]));
    expect(workspace.state).toBe("READY");
    expect(apply).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(apply.output).toContain("transient failure (the database system is starting up)");
  });

  it("fails at once on a permanent error", async () => {
    const { workspace, apply } = await provision(
      "permanent",
      flakyApply([new Error("permission denied to create database")]),
    );
    expect(workspace).toMatchObject({ state: "FAILED", failedStep: "apply" });
    expect(apply).toMatchObject({ status: "FAILED", attempts: 1 });
  });

  it("fails after the last retry when the failure persists", async () => {
    const { workspace, apply } = await provision(
      "persistent",
      flakyApply([startingUp(), startingUp(), startingUp()]),
    );
    expect(workspace).toMatchObject({ state: "FAILED", failedStep: "apply" });
    expect(workspace.error).toContain("starting up");
    expect(apply).toMatchObject({ status: "FAILED", attempts: 3 });
    expect(apply.output?.match(/transient failure/g)).toHaveLength(2);
  });
});

describe("what counts as transient", () => {
  it("PostgreSQL: server starting, out of slots, serialization; not a permission error", () => {
    expect(isTransientPostgresError(startingUp())).toBe(true);
    const code = (value: string) => Object.assign(new Error(value), { code: value });
    expect(isTransientPostgresError(code("53300"))).toBe(true);
    expect(isTransientPostgresError(code("40001"))).toBe(true);
    expect(isTransientPostgresError(code("ECONNREFUSED"))).toBe(true);
    expect(isTransientPostgresError(code("42501"))).toBe(false);
    expect(isTransientPostgresError(new Error("syntax error"))).toBe(false);
  });

  it("Terraform: a held state lock is transient, a configuration error is not", () => {
    const terraform = createTerraformProvider({ root: tmpdir(), backendUrl: () => db.url });
    const lock = new TerraformCommandError(["terraform", "apply"], 1, [
      "Error: Error acquiring the state lock",
    ]);
    const config = new TerraformCommandError(["terraform", "apply"], 1, [
      "Error: Unsupported argument",
    ]);
    expect(terraform.isTransient(lock)).toBe(true);
    expect(terraform.isTransient(config)).toBe(false);
    expect(terraform.isTransient(startingUp())).toBe(false);
  });
});
