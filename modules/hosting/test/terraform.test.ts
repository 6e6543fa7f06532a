// The terraform provider through the hosting run kind, against packages/terraform's stand-in CLI
// (it records each invocation and answers like terraform): the steps' command lines, working
// directory and environment (the vault's admin password only as TF_VAR_admin_password, never
// in a step's output), outputs read back after apply, and a failing apply recorded as the
// failing step with the CLI's error.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { readSecret } from "@plinth/vault";
import { createTerraformProvider } from "../src/providers/terraform.ts";
import { passwordSecretName } from "../src/providers/types.ts";
import { callerFor, createOrganization, createUser, runHosting, setPlan } from "./kit.ts";

const STAND_IN = path.resolve(
  import.meta.dirname,
  "../../../packages/terraform/test/stand-in/terraform.mjs",
);

let db: TestDatabase;
let root: string;
beforeAll(async () => {
  db = await createTestDatabase();
  root = await mkdtemp(path.join(os.tmpdir(), "plinth-hosting-tf-"));
});
afterAll(async () => {
  await db.drop();
  await rm(root, { recursive: true, force: true });
});

function provider(mode: string, log: string) {
  return createTerraformProvider({
    root: path.join(root, "work"),
    backendUrl: () => db.url,
    bin: STAND_IN,
    env: { STANDIN_LOG: log, STANDIN_STATE_DIR: path.join(root, "state"), STANDIN_MODE: mode },
    inheritEnv: { PATH: process.env.PATH ?? "" },
  });
}

async function invocations(log: string) {
  const text = await readFile(log, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map(
      (line) => JSON.parse(line) as { argv: string[]; cwd: string; env: Record<string, string> },
    );
}

const REQUEST = { app: "odoo", version: "18.0", size: "small", region: "us-east" };

describe("terraform provider (stand-in CLI)", () => {
  it("provisions: init → plan -out → apply tfplan → output -json; destroys", async () => {
    const owner = await createUser(db, "tf-owner@hosting.test");
    const org = await createOrganization(db, owner, "Terraform hosting");
    await setPlan(db, org.id, "enterprise");
    const caller = callerFor(db, owner);
    const organizationId = org.id;
    const log = path.join(root, "ok.jsonl");
    const requested = await caller.workspace.request({ organizationId, name: "crm", ...REQUEST });
    const workspaceId = requested.workspace.id;
    await runHosting(db, { runId: requested.runId, organizationId }, provider("ok", log));

    const ready = await caller.workspace.get({ organizationId, workspaceId });
    expect(ready).toMatchObject({ state: "READY", outputs: { name: "crm", region: "us-east" } });
    const calls = await invocations(log);
    expect(calls.map((call) => call.argv)).toEqual([
      ["init", "-input=false", "-no-color"],
      ["plan", "-input=false", "-no-color", "-out=tfplan", "-detailed-exitcode"],
      ["apply", "-input=false", "-no-color", "-auto-approve", "tfplan"],
      ["output", "-json"],
    ]);
    expect(new Set(calls.map((call) => call.cwd))).toEqual(
      new Set([path.join(root, "work", workspaceId)]),
    );
    const password = (await readSecret(db.system, {
      organizationId,
      name: passwordSecretName(workspaceId),
    }))!.reveal();
    expect(calls[2]!.env.TF_VAR_admin_password).toBe(password);
    expect(calls[0]!.env.PG_CONN_STR).toBe(db.url);
    const steps = ready.runs[0]!.steps;
    expect(steps.map((step) => [step.name, step.status])).toEqual([
      ["init", "SUCCEEDED"],
      ["plan", "SUCCEEDED"],
      ["apply", "SUCCEEDED"],
    ]);
    expect(steps[1]!.output).toContain("changes: yes");
    expect(JSON.stringify(ready)).not.toContain(password);

    const destroy = await caller.workspace.destroy({ organizationId, workspaceId });
    await runHosting(db, { runId: destroy.runId, organizationId }, provider("ok", log));
    expect((await caller.workspace.get({ organizationId, workspaceId })).state).toBe("DESTROYED");
    expect((await invocations(log)).at(-1)!.argv).toEqual([
      "destroy",
      "-auto-approve",
      "-input=false",
      "-no-color",
    ]);
    expect(
      await readSecret(db.system, { organizationId, name: passwordSecretName(workspaceId) }),
    ).toBeNull();
  });

  it("a failing apply is the failing step, with the CLI's error in its output", async () => {
    const owner = await createUser(db, "tf-fail@hosting.test");
    const org = await createOrganization(db, owner, "Terraform failing");
    await setPlan(db, org.id, "enterprise");
    const caller = callerFor(db, owner);
    const log = path.join(root, "fail.jsonl");
    const requested = await caller.workspace.request({
      organizationId: org.id,
      name: "broken",
      ...REQUEST,
    });
    await runHosting(
      db,
      { runId: requested.runId, organizationId: org.id },
      provider("fail-apply", log),
    );
    const failed = await caller.workspace.get({
      organizationId: org.id,
      workspaceId: requested.workspace.id,
    });
    expect(failed).toMatchObject({ state: "FAILED", failedStep: "apply" });
    const apply = failed.runs[0]!.steps.find((step) => step.name === "apply")!;
    expect(apply.status).toBe("FAILED");
    expect(apply.output).toMatch(/error: /);
    expect((await invocations(log)).map((call) => call.argv[0])).toEqual(["init", "plan", "apply"]);
    expect(
      await db.system.email.count({ where: { to: owner.email, template: "workspace-failed" } }),
    ).toBe(1);
  });
});
