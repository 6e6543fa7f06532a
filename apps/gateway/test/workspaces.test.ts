// Managed hosting through the gateway: an API key with workspaces:write requests a workspace
// (202 with the provisioning run's id), the run engine provisions it with the local provider
// (a real database on the test server), GET shows it READY with its steps, DELETE answers 202
// and the destroy run drops the database. Scopes are enforced; bad input is a 400 problem.
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TestDatabase } from "@plinth/db/testing";
import { createHostingRunKind, createLocalProvider, localNames } from "@plinth/hosting/worker";
import { executeRun } from "@plinth/jobs";
import { silentLogger } from "@plinth/trpc/testing";
import { generateKeyEntry } from "@plinth/vault";
import type { GatewayRuntime } from "../src/runtime.ts";
import { call, createOrganization, issueKey, startDatabase, startGateway } from "./kit.ts";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

let db: TestDatabase;
let gateway: GatewayRuntime;
beforeAll(async () => {
  db = await startDatabase();
  gateway = await startGateway(db);
});
afterAll(async () => {
  await gateway?.close();
  await db?.drop();
});

async function run(runId: string, organizationId: string) {
  const kind = createHostingRunKind({
    provider: () => createLocalProvider({ serverUrl: () => db.url }),
  });
  await executeRun(
    { runId, organizationId },
    { prisma: db.system, log: silentLogger, signal: new AbortController().signal },
    { "hosting-provision": kind },
  );
}

async function databaseExists(workspaceId: string) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [
    localNames(workspaceId).database,
  ]);
  await client.end();
  return rows.length === 1;
}

it("POST /workspaces → 202 + run id, provisioned for real, GET READY, DELETE → 202 → destroyed", async () => {
  const { organization } = await createOrganization(db, "enterprise");
  const organizationId = organization.id;
  const { key } = await issueKey(db, organizationId, {
    scopes: ["workspaces:read", "workspaces:write"],
  });
  const { key: readOnly } = await issueKey(db, organizationId, { scopes: ["workspaces:read"] });
  const body = {
    name: "ledger",
    app: "erpnext",
    version: "15.0",
    size: "small",
    region: "eu-central",
  };

  expect(
    (await call(gateway, "/api/v1/workspaces", { key: readOnly, method: "POST", body })).status,
  ).toBe(403);
  const bad = await call(gateway, "/api/v1/workspaces", {
    key,
    method: "POST",
    body: { ...body, app: "wordpress" },
  });
  expect(bad.status).toBe(400);
  expect(bad.headers.get("content-type")).toContain("application/problem+json");

  const accepted = await call(gateway, "/api/v1/workspaces", { key, method: "POST", body });
  expect(accepted.status).toBe(202);
  const { runId, workspace, url } = (await accepted.json()) as {
    runId: string;
    workspace: { id: string; state: string };
    url: string;
  };
  expect(workspace.state).toBe("REQUESTED");
  expect(url).toBe(`/api/v1/workspaces/${workspace.id}`);
  await run(runId, organizationId);
  expect(await databaseExists(workspace.id)).toBe(true);

  const ready = (await (await call(gateway, url, { key: readOnly })).json()) as {
    state: string;
    outputs: Record<string, unknown>;
    runs: { runId: string; status: string; steps: { name: string; status: string }[] }[];
  };
  expect(ready.state).toBe("READY");
  expect(ready.outputs).toMatchObject({ database: localNames(workspace.id).database });
  expect(ready.runs[0]).toMatchObject({ runId, status: "SUCCEEDED" });
  expect(ready.runs[0]!.steps.map((step) => step.name)).toEqual(["init", "plan", "apply"]);
  const list = (await (await call(gateway, "/api/v1/workspaces", { key })).json()) as {
    data: { id: string }[];
  };
  expect(list.data.map((entry) => entry.id)).toEqual([workspace.id]);

  expect((await call(gateway, url, { key: readOnly, method: "DELETE" })).status).toBe(403);
  const destroying = await call(gateway, url, { key, method: "DELETE" });
  expect(destroying.status).toBe(202);
  const destroy = (await destroying.json()) as { runId: string; workspace: { state: string } };
  expect(destroy.workspace.state).toBe("DESTROYING");
  // A second DELETE while the destroy runs: refused, not a second run.
  expect((await call(gateway, url, { key, method: "DELETE" })).status).toBe(412);
  await run(destroy.runId, organizationId);
  expect(await databaseExists(workspace.id)).toBe(false);
  expect(((await (await call(gateway, url, { key })).json()) as { state: string }).state).toBe(
    "DESTROYED",
  );
});
