// The driver with the real CLI, where `terraform` or `tofu` is on PATH (it cannot be
// downloaded on every machine: skipped otherwise). State goes to a fresh database on the test
// PostgreSQL through the pg backend; the template uses only the built-in terraform_data
// resource, so init fetches no provider.
import { constants } from "node:fs";
import { access, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { databaseUrl, testServerUrl, withAdmin } from "@plinth/db/testing";
import {
  TerraformAbortedError,
  createTerraformWorkspace,
  workspaceSchemaName,
  type TerraformLine,
} from "../src/index.ts";

async function onPath(names: string[]): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const cli = await onPath(["terraform", "tofu"]);

const TEMPLATE = {
  "main.tf": `
variable "name" { type = string }
variable "size" { type = number }
variable "admin_password" {
  type      = string
  sensitive = true
}
resource "terraform_data" "app" {
  input = { name = var.name, size = var.size }
}
output "name" { value = terraform_data.app.output.name }
output "size" { value = terraform_data.app.output.size }
output "admin_password" {
  value     = var.admin_password
  sensitive = true
}
`,
};

const SLOW_TEMPLATE = {
  "main.tf": `
resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "sleep 60"
  }
}
`,
};

describe.skipIf(!cli)(`the real CLI (${cli ?? "no terraform or tofu on PATH: skipped"})`, () => {
  const database = `tf_state_${randomBytes(4).toString("hex")}`;
  let root: string;
  let connectionString: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "plinth-terraform-real-"));
    await withAdmin(testServerUrl(), (admin) => admin.query(`CREATE DATABASE ${database}`));
    const url = new URL(databaseUrl(testServerUrl(), database));
    url.searchParams.set("sslmode", "disable");
    connectionString = url.toString();
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await withAdmin(testServerUrl(), (admin) =>
      admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
    );
  });

  it("init, plan, apply, outputs, show and destroy, state in its own schema", async () => {
    const schemaName = workspaceSchemaName("real-1");
    const lines: TerraformLine[] = [];
    const onLine = (line: TerraformLine) => lines.push(line);
    const ws = createTerraformWorkspace({
      dir: path.join(root, "real-1"),
      bin: cli,
      template: { files: TEMPLATE },
      backend: { schemaName, connectionString },
      variables: { name: "acme", size: 3 },
      secretVariables: { admin_password: "real-secret-42" },
      timeoutMs: 120_000,
    });
    await ws.render();
    await ws.init({ onLine });
    expect(await ws.plan({ onLine })).toEqual({ changes: true });
    await ws.apply({ onLine });
    expect(
      await ws.outputs(
        z.object({ name: z.string(), size: z.number(), admin_password: z.string() }),
      ),
    ).toEqual({ name: "acme", size: 3, admin_password: "real-secret-42" });
    expect(await ws.plan()).toEqual({ changes: false });
    expect((await ws.show()).resources).toEqual(["terraform_data.app"]);

    const states = await withAdmin(databaseUrl(testServerUrl(), database), (client) =>
      client.query<{ name: string }>(`SELECT name FROM ${schemaName}.states`),
    );
    expect(states.rows.map((row) => row.name)).toEqual(["default"]);

    await ws.destroy({ onLine });
    expect((await ws.show()).resources).toEqual([]);
    expect(lines.some((line) => /Apply complete!/.test(line.line))).toBe(true);
    expect(lines.some((line) => line.line.includes("real-secret-42"))).toBe(false);
  });

  it("abort interrupts a running apply; the state lock is released with it", async () => {
    const ws = createTerraformWorkspace({
      dir: path.join(root, "real-2"),
      bin: cli,
      template: { files: SLOW_TEMPLATE },
      backend: { schemaName: workspaceSchemaName("real-2"), connectionString },
      timeoutMs: 120_000,
      killGraceMs: 20_000,
    });
    await ws.render();
    await ws.init();
    expect(await ws.plan()).toEqual({ changes: true });
    const controller = new AbortController();
    const lines: string[] = [];
    const aborted = await ws
      .apply({
        signal: controller.signal,
        onLine: ({ line }) => {
          lines.push(line);
          if (line.includes("(local-exec): Executing")) controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(TerraformAbortedError);
    // SIGINT stopped the provisioner: the resource was never completed.
    expect(lines.some((line) => line.includes("Creation complete"))).toBe(false);
    expect(lines.some((line) => line.includes("Interrupt received"))).toBe(true);
    // Another command can take the lock at once.
    expect(await ws.plan({ timeoutMs: 30_000 })).toEqual({ changes: true });
    await ws.destroy();
  }, 120_000);
});
