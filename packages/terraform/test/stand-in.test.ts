// The driver against a stand-in CLI (test/stand-in/terraform.mjs) that records every
// invocation: command lines, working directory and environment are the contract; the
// stand-in answers like terraform (plan exit 2, apply output, output -json, show -json) and
// fails, hangs or finds the state locked on demand.
import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  REDACTED,
  TerraformAbortedError,
  TerraformCommandError,
  TerraformOutputError,
  TerraformSpawnError,
  TerraformTemplateError,
  TerraformTimeoutError,
  createRedactor,
  createTerraformWorkspace,
  inheritedEnvironment,
  isTransientTerraformError,
  workspaceDirectory,
  workspaceSchemaName,
  type TerraformLine,
  type TerraformWorkspaceOptions,
} from "../src/index.ts";

const STAND_IN = path.join(import.meta.dirname, "stand-in", "terraform.mjs");
const CONN = "postgresql://tf_owner:s3cr3t-pg-pass@127.0.0.1:5432/plinth_state?sslmode=disable";
const ADMIN_PASSWORD = "admin-pw-7f3a9c";
const TEMPLATE = {
  "main.tf": 'variable "name" { type = string }\nresource "terraform_data" "app" {}\n',
  "modules/db/main.tf": "# a child module\n",
};

let root: string;
let logFile: string;
let stateDir: string;
afterAll(() => rm(root, { recursive: true, force: true }));
beforeEach(async () => {
  root ??= await mkdtemp(path.join(os.tmpdir(), "plinth-terraform-test-"));
  const run = await mkdtemp(path.join(root, "run-"));
  logFile = path.join(run, "invocations.jsonl");
  stateDir = path.join(run, "state");
});

interface Invocation {
  argv?: string[];
  cwd?: string;
  envKeys?: string[];
  env?: Record<string, string>;
  signal?: string;
}
async function invocations(): Promise<Invocation[]> {
  const text = await readFile(logFile, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Invocation);
}

function workspace(mode = "ok", extra: Partial<TerraformWorkspaceOptions> = {}) {
  const dir = path.join(root, `ws-${Math.random().toString(36).slice(2)}`);
  return createTerraformWorkspace({
    dir,
    bin: STAND_IN,
    template: { files: TEMPLATE },
    backend: { schemaName: workspaceSchemaName("ws-1234-ABCD"), connectionString: CONN },
    variables: { name: "acme-erp", size: 2, tags: { app: "erpnext" } },
    secretVariables: { admin_password: ADMIN_PASSWORD },
    env: { STANDIN_LOG: logFile, STANDIN_STATE_DIR: stateDir, STANDIN_MODE: mode },
    timeoutMs: 20_000,
    ...extra,
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe("working directory", () => {
  it("renders the template, a pg backend.tf and terraform.tfvars.json, and no secret", async () => {
    const ws = workspace();
    await ws.render();
    expect(await filesUnder(ws.dir)).toEqual([
      "backend.tf",
      "main.tf",
      "modules/db/main.tf",
      "terraform.tfvars.json",
    ]);
    const backend = await readFile(path.join(ws.dir, "backend.tf"), "utf8");
    expect(backend).toMatch(/backend "pg" \{\s+schema_name = "tfstate_ws_1234_abcd"\s+\}/);
    expect(backend).not.toContain("conn_str =");
    expect(JSON.parse(await readFile(path.join(ws.dir, "terraform.tfvars.json"), "utf8"))).toEqual({
      name: "acme-erp",
      size: 2,
      tags: { app: "erpnext" },
    });
    for (const file of await filesUnder(ws.dir)) {
      const text = await readFile(path.join(ws.dir, file), "utf8");
      expect(text).not.toContain("s3cr3t-pg-pass");
      expect(text).not.toContain(ADMIN_PASSWORD);
    }
    expect((await stat(ws.dir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(ws.dir, "terraform.tfvars.json"))).mode & 0o777).toBe(0o600);
  });

  it("re-rendering keeps .terraform and drops files the template no longer has", async () => {
    const ws = workspace();
    await ws.render();
    await ws.init();
    await writeFile(path.join(ws.dir, "stale.tf"), "# from an older template\n");
    await ws.render();
    const files = await filesUnder(ws.dir);
    expect(files).toContain(".terraform/terraform.tfstate");
    expect(files).not.toContain("stale.tf");
  });

  it("renders a template folder from disk, without its generated or fetched files", async () => {
    const templateDir = path.join(root, "template-erpnext");
    await mkdir(path.join(templateDir, ".terraform"), { recursive: true });
    await writeFile(path.join(templateDir, "main.tf"), "# erpnext\n");
    await writeFile(path.join(templateDir, ".terraform", "junk"), "x");
    await writeFile(path.join(templateDir, "tfplan"), "an old plan");
    const ws = workspace("ok", { template: { dir: templateDir } });
    await ws.render();
    expect(await filesUnder(ws.dir)).toEqual(["backend.tf", "main.tf", "terraform.tfvars.json"]);
  });

  it("one folder and one state schema per workspace id", () => {
    expect(workspaceDirectory("/var/plinth/tf", "ws_01J9-abc")).toBe("/var/plinth/tf/ws_01J9-abc");
    expect(() => workspaceDirectory("/var/plinth/tf", "../etc")).toThrow(TerraformTemplateError);
    expect(() => workspaceDirectory("/var/plinth/tf", "")).toThrow(TerraformTemplateError);
    expect(workspaceSchemaName("0f8c2a4e-1b7d-4c3a-9e2f-5a6b7c8d9e0f")).toBe(
      "tfstate_0f8c2a4e_1b7d_4c3a_9e2f_5a6b7c8d9e0f",
    );
  });

  it("refuses a template with its own backend, a path out of the folder, a bad variable", async () => {
    const own = workspace("ok", {
      template: { files: { "main.tf": 'terraform {\n  backend "s3" {\n  }\n}\n' } },
    });
    await expect(own.render()).rejects.toThrow(TerraformTemplateError);
    const escape = workspace("ok", { template: { files: { "../evil.tf": "" } } });
    await expect(escape.render()).rejects.toThrow(TerraformTemplateError);
    const generated = workspace("ok", { template: { files: { "backend.tf": "" } } });
    await expect(generated.render()).rejects.toThrow(TerraformTemplateError);
    const badName = workspace("ok", { variables: { "bad name": 1 } });
    await expect(badName.render()).rejects.toThrow(TerraformTemplateError);
    expect(() => workspace("ok", { secretVariables: { "x;y": "v" } })).toThrow();
  });
});

describe("redaction", () => {
  it("hides a secret whole, and a connection string's password on its own", () => {
    const redact = createRedactor(["postgresql://tf:p%40ss-word@db:5432/state", "tok-123", ""]);
    expect(redact("dial postgresql://tf:p%40ss-word@db:5432/state: refused")).toBe(
      `dial ${REDACTED}: refused`,
    );
    expect(redact('password "p@ss-word" rejected; p%40ss-word; tok-123')).toBe(
      `password "${REDACTED}" rejected; ${REDACTED}; ${REDACTED}`,
    );
    expect(redact("nothing secret here")).toBe("nothing secret here");
  });
});

describe("commands", () => {
  it("init → plan (changes) → apply → outputs → plan (none) → show → destroy", async () => {
    const lines: TerraformLine[] = [];
    const onLine = (line: TerraformLine) => lines.push(line);
    const ws = workspace();
    await ws.render();
    await ws.init({ onLine });
    expect(await ws.plan({ onLine })).toEqual({ changes: true });
    await ws.apply({ onLine });
    const outputs = await ws.outputs(
      z.object({ name: z.string(), size: z.number(), admin_password: z.string() }),
      { onLine },
    );
    expect(outputs).toEqual({ name: "acme-erp", size: 2, admin_password: ADMIN_PASSWORD });
    const raw = await ws.rawOutputs();
    expect(raw.admin_password?.sensitive).toBe(true);
    expect(raw.name).toEqual({ sensitive: false, type: "string", value: "acme-erp" });
    expect(await ws.plan()).toEqual({ changes: false });
    const state = await ws.show();
    expect(state).toMatchObject({ terraformVersion: "1.11.4", resources: ["terraform_data.app"] });
    expect(state.outputs.state_schema?.value).toBe("tfstate_ws_1234_abcd");
    await ws.destroy({ onLine });
    expect(await ws.rawOutputs()).toEqual({});

    const calls = await invocations();
    expect(calls.map((call) => call.argv)).toEqual([
      ["init", "-input=false", "-no-color"],
      ["plan", "-input=false", "-no-color", "-out=tfplan", "-detailed-exitcode"],
      ["apply", "-input=false", "-no-color", "-auto-approve", "tfplan"],
      ["output", "-json"],
      ["output", "-json"],
      ["plan", "-input=false", "-no-color", "-out=tfplan", "-detailed-exitcode"],
      ["show", "-json"],
      ["destroy", "-auto-approve", "-input=false", "-no-color"],
      ["output", "-json"],
    ]);
    for (const call of calls) {
      expect(call.cwd).toBe(ws.dir);
      expect(call.env).toEqual({
        PG_CONN_STR: CONN,
        TF_VAR_admin_password: ADMIN_PASSWORD,
        TF_IN_AUTOMATION: "1",
        TF_INPUT: "0",
        CHECKPOINT_DISABLE: "1",
        ...(inheritedEnvironment().TF_CLI_CONFIG_FILE
          ? { TF_CLI_CONFIG_FILE: inheritedEnvironment().TF_CLI_CONFIG_FILE }
          : {}),
      });
      // The server's own secrets never reach the CLI (the vault's keys are set in tests).
      expect(call.envKeys).not.toContain("ENCRYPTION_KEYS");
      expect(call.envKeys).not.toContain("DATABASE_URL");
      expect(call.envKeys).toContain("PATH");
    }

    const text = (command: string) =>
      lines.filter((line) => line.command === command).map((line) => line.line);
    expect(text("init")).toContain("Terraform has been successfully initialized!");
    expect(text("plan")).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(text("apply")).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    expect(text("apply")).toContain("admin_password = <sensitive>");
    expect(text("destroy")).toContain("Destroy complete! Resources: 1 destroyed.");
    // output -json's stdout is data, not log: the sensitive value never reaches a callback.
    expect(text("output")).toEqual([]);
    expect(lines.some((line) => line.line.includes(ADMIN_PASSWORD))).toBe(false);
  });

  it("a failing apply: typed error with the command, exit code and redacted last lines", async () => {
    const lines: TerraformLine[] = [];
    const ws = workspace("fail-apply");
    await ws.render();
    await ws.init();
    await ws.plan();
    const error = await ws.apply({ onLine: (line) => lines.push(line) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerraformCommandError);
    const failure = error as TerraformCommandError;
    expect(failure.exitCode).toBe(1);
    expect(failure.command).toEqual([
      STAND_IN,
      "apply",
      "-input=false",
      "-no-color",
      "-auto-approve",
      "tfplan",
    ]);
    expect(failure.transient).toBe(false);
    expect(failure.message).toContain("apply exited with code 1");
    expect(failure.message).toContain("permission denied");
    expect(failure.tail).toContain("terraform_data.app: Creating...");
    const all = [failure.message, ...failure.tail, ...lines.map((line) => line.line)].join("\n");
    expect(all).toContain(`connecting to ${REDACTED}`);
    expect(all).not.toContain("s3cr3t-pg-pass");
    expect(lines.find((line) => line.line.startsWith("Error:"))?.stream).toBe("stderr");
  });

  it("a held state lock is transient: the retry applies", async () => {
    const ws = workspace("transient-apply");
    await ws.render();
    await ws.init();
    await ws.plan();
    const error = await ws.apply().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerraformCommandError);
    expect(isTransientTerraformError(error)).toBe(true);
    await ws.apply();
    expect(await ws.plan()).toEqual({ changes: false });
  });

  it("abort stops a hanging apply with SIGINT", async () => {
    const ws = workspace("hang-apply");
    await ws.render();
    await ws.init();
    await ws.plan();
    const controller = new AbortController();
    const lines: string[] = [];
    const error = await ws
      .apply({
        signal: controller.signal,
        onLine: ({ line }) => {
          lines.push(line);
          if (line.includes("Still creating")) controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerraformAbortedError);
    expect(isTransientTerraformError(error)).toBe(false);
    expect((await invocations()).some((call) => call.signal === "SIGINT")).toBe(true);
    expect(lines).toContain("Interrupt received.");
  });

  it("a CLI that ignores SIGINT is killed after the grace period; a timeout is typed", async () => {
    const hard = workspace("hang-apply-hard", { killGraceMs: 200 });
    await hard.render();
    await hard.init();
    await hard.plan();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    await expect(hard.apply({ signal: controller.signal })).rejects.toThrow(TerraformAbortedError);

    const slow = workspace("hang-apply", { killGraceMs: 200 });
    await slow.render();
    await slow.init();
    await slow.plan();
    const error = await slow.apply({ timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerraformTimeoutError);
    expect((error as TerraformTimeoutError).timeoutMs).toBe(300);
  });

  it("plan before init, unreadable outputs, outputs of the wrong shape, a missing CLI", async () => {
    const ws = workspace("bad-output");
    await ws.render();
    const early = await ws.plan().catch((e: unknown) => e);
    expect(early).toBeInstanceOf(TerraformCommandError);
    expect((early as TerraformCommandError).message).toContain("Backend initialization required");
    await ws.init();
    await expect(ws.rawOutputs()).rejects.toThrow(TerraformOutputError);

    const ok = workspace();
    await ok.render();
    await ok.init();
    await ok.plan();
    await ok.apply();
    const wrong = await ok
      .outputs(z.object({ admin_password: z.number() }))
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(TerraformOutputError);
    expect(String(wrong)).toContain("admin_password");
    expect(String(wrong)).not.toContain(ADMIN_PASSWORD);

    const missing = workspace("ok", { bin: path.join(root, "no-such-terraform") });
    await missing.render();
    await expect(missing.init()).rejects.toThrow(TerraformSpawnError);
  });
});
