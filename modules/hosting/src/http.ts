// The hosting module's public API routes (apps/gateway serves them under /api/v1): request a
// workspace (202 with the provisioning run's id; poll the workspace), read one or all, destroy
// one (202 with the destroy run's id). The same services as the tRPC router, with the key's
// organization scope. Classic zod (the gateway derives the OpenAPI document from it).
// A workspace's custom domains: add (the TXT record to publish), list, verify, remove
// (./domains.ts).
import { z } from "zod";
import { WELL_FORMED_TEXT } from "@plinth/core/inputs";
import { defineHttpRoute, type HttpRoutes } from "@plinth/platform/http";
import * as domains from "./domains.ts";
import * as hosting from "./service.ts";

const id = z
  .string()
  .max(25)
  .check(WELL_FORMED_TEXT)
  .regex(/^c[a-z0-9]{24}$/, "Not a valid id");
const key = z
  .string()
  .max(64)
  .check(WELL_FORMED_TEXT)
  .regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, "Not a valid key");
const name = z
  .string()
  .max(63)
  .check(WELL_FORMED_TEXT)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "Lowercase letters, digits and dashes");

const hostname = z
  .string()
  .max(253)
  .check(WELL_FORMED_TEXT)
  .trim()
  .min(1, "Enter a domain")
  .regex(/^[^\s/:@*_]+\.[^\s/:@*_.]+\.?$/u, "Enter a domain such as shop.example.com");

const iso = z.date().transform((date) => date.toISOString());
const isoOrNull = z
  .date()
  .nullable()
  .transform((date) => date?.toISOString() ?? null);

const state = z.enum([
  "REQUESTED",
  "PROVISIONING",
  "READY",
  "UPDATING",
  "DESTROYING",
  "DESTROYED",
  "FAILED",
  "SUSPENDED",
]);

const workspace = z.object({
  id: z.string(),
  name: z.string(),
  app: z.string(),
  version: z.string(),
  size: z.string(),
  region: z.string(),
  provider: z.string(),
  state,
  /** Whether a run of the workspace is in progress (a change now is refused). */
  busy: z.boolean(),
  /** What the provider created: host, port, database, user (never a password). */
  outputs: z.record(z.string(), z.union([z.string(), z.number()])),
  failedStep: z.string().nullable(),
  error: z.string().nullable(),
  latestRunId: z.string().nullable(),
  createdAt: iso,
  readyAt: isoOrNull,
  destroyedAt: isoOrNull,
});

const workspaceDetail = workspace.extend({
  runs: z.array(
    z.object({
      id: z.string(),
      runId: z.string(),
      action: z.enum(["PROVISION", "UPDATE", "DESTROY"]),
      status: z.enum(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED"]),
      progress: z.number(),
      failedStep: z.string().nullable(),
      error: z.string().nullable(),
      createdAt: iso,
      finishedAt: isoOrNull,
      steps: z.array(
        z.object({
          name: z.string(),
          status: z.enum(["RUNNING", "SUCCEEDED", "FAILED"]),
          output: z.string(),
          attempts: z.number(),
          startedAt: iso,
          finishedAt: isoOrNull,
        }),
      ),
    }),
  ),
});

type Workspace = Awaited<ReturnType<typeof hosting.listWorkspaces>>[number];
const apiWorkspace = (view: Workspace) => ({
  id: view.id,
  name: view.name,
  app: view.app,
  version: view.version,
  size: view.size,
  region: view.region,
  provider: view.provider,
  state: view.state,
  busy: view.busy,
  outputs: view.outputs,
  failedStep: view.failedStep,
  error: view.error,
  latestRunId: view.latestRunId,
  createdAt: view.createdAt,
  readyAt: view.readyAt,
  destroyedAt: view.destroyedAt,
});

const record = z.object({ type: z.string(), name: z.string(), value: z.string() });
const domain = z.object({
  id: z.string(),
  workspaceId: z.string(),
  hostname: z.string(),
  status: z.enum(["PENDING", "VERIFIED", "FAILED", "EXPIRED"]),
  lastCheckedAt: isoOrNull,
  lastError: z.string().nullable(),
  verifiedAt: isoOrNull,
  createdAt: iso,
  verification: record.describe("The TXT record to publish (ownership)"),
  target: record.describe("The CNAME the domain should point at (traffic)"),
  record: z
    .object({ provider: z.string(), type: z.string(), name: z.string() })
    .nullable()
    .describe("The record Plinth created in its zone once verified"),
});
type Domain = domains.DomainAnswer;
const apiDomain = (view: Domain) => ({
  id: view.id,
  workspaceId: view.workspaceId,
  hostname: view.hostname,
  status: view.status,
  lastCheckedAt: view.lastCheckedAt,
  lastError: view.lastError,
  verifiedAt: view.verifiedAt,
  createdAt: view.createdAt,
  verification: view.verification,
  target: view.target,
  record: view.record,
});
const domainParams = z.object({ id, domainId: id });

/** A subscription items change (minor units, negative = credit), as the billing API answers. */
const itemsChange = z.object({
  provider: z.enum(["local", "stripe", "razorpay"]),
  applied: z.boolean(),
  interval: z.enum(["month", "year"]),
  prorationDate: z.number().describe("Unix seconds the proration is computed at"),
  currency: z.string(),
  items: z.array(
    z.object({ key: z.string(), name: z.string(), quantity: z.number(), unitAmount: z.number() }),
  ),
  changes: z.array(z.object({ key: z.string(), from: z.number(), to: z.number() })),
  lines: z.array(
    z.object({
      description: z.string().nullable(),
      amount: z.number(),
      proration: z.boolean(),
      itemKey: z.string().nullable(),
      quantity: z.number().nullable(),
    }),
  ),
  prorationAmount: z.number(),
  amountDueNow: z.number(),
});

const accepted = z.object({
  runId: z.string(),
  workspace,
  url: z.string(),
  billing: itemsChange
    .nullable()
    .describe(
      "The subscription items change this caused (prorated); null when nothing changed or workspaces are not billed as items",
    ),
});
const choice = {
  app: key,
  version: key,
  size: key,
  region: key,
  plan: key.optional().describe("The app plan (default: the app's first plan with the size)"),
  bundle: key.optional().describe("Or a bundle holding the app"),
};

export const routes: HttpRoutes = [
  defineHttpRoute({
    method: "POST",
    path: "/workspaces",
    summary: "Request a workspace (app, version, size, region); 202 with the provisioning run",
    apiScope: "workspaces:write",
    write: true,
    successStatus: 202,
    body: z.object({ name, ...choice }),
    response: accepted,
    handle: async (scope, { body }) => {
      const { workspace: view, runId, billing } = await hosting.requestWorkspace(scope, body);
      return {
        runId,
        workspace: apiWorkspace(view),
        url: `/api/v1/workspaces/${view.id}`,
        billing,
      };
    },
  }),
  defineHttpRoute({
    method: "POST",
    path: "/workspaces/preview",
    summary:
      "What requesting this workspace would add to the subscription now (items, proration); nothing changes",
    apiScope: "workspaces:read",
    write: false,
    successStatus: 200,
    body: z.object(choice),
    response: z.object({
      plan: z.string().nullable(),
      bundle: z.string().nullable(),
      item: z
        .object({ key: z.string(), name: z.string(), monthCents: z.number().nullable() })
        .nullable(),
      unbilledReason: z
        .enum(["trial", "no_paid_subscription", "plan_priced"])
        .nullable()
        .describe("Why workspaces are not charged as items (null: they are)"),
      change: itemsChange.nullable(),
    }),
    handle: async (scope, { body }) => {
      const preview = await hosting.previewWorkspaceRequest(scope, body);
      return {
        plan: preview.plan,
        bundle: preview.bundle,
        item: preview.item,
        unbilledReason: preview.unbilledReason,
        change: preview.change,
      };
    },
  }),
  defineHttpRoute({
    method: "GET",
    path: "/workspaces",
    summary: "The organization's workspaces, newest first",
    apiScope: "workspaces:read",
    write: false,
    successStatus: 200,
    query: z.object({ includeDestroyed: z.enum(["true", "false"]).default("false") }),
    response: z.object({ data: z.array(workspace) }),
    handle: async (scope, { query }) => ({
      data: (
        await hosting.listWorkspaces(scope, { includeDestroyed: query.includeDestroyed === "true" })
      ).map(apiWorkspace),
    }),
  }),
  defineHttpRoute({
    method: "GET",
    path: "/workspaces/{id}",
    summary: "A workspace: state, outputs and its latest runs with each step's output",
    apiScope: "workspaces:read",
    write: false,
    successStatus: 200,
    params: z.object({ id }),
    response: workspaceDetail,
    handle: async (scope, { params }) => {
      const view = await hosting.getWorkspace(scope, { workspaceId: params.id });
      return {
        ...apiWorkspace(view),
        runs: view.runs.map((run) => ({
          id: run.id,
          runId: run.runId,
          action: run.action,
          status: run.status,
          progress: run.progress,
          failedStep: run.failedStep,
          error: run.error,
          createdAt: run.createdAt,
          finishedAt: run.finishedAt,
          steps: run.steps,
        })),
      };
    },
  }),
  defineHttpRoute({
    method: "DELETE",
    path: "/workspaces/{id}",
    summary: "Destroy a workspace; 202 with the destroy run",
    apiScope: "workspaces:write",
    write: true,
    successStatus: 202,
    params: z.object({ id }),
    response: accepted,
    handle: async (scope, { params }) => {
      const {
        workspace: view,
        runId,
        billing,
      } = await hosting.destroyWorkspace(scope, {
        workspaceId: params.id,
      });
      return {
        runId,
        workspace: apiWorkspace(view),
        url: `/api/v1/workspaces/${view.id}`,
        billing,
      };
    },
  }),
  defineHttpRoute({
    method: "POST",
    path: "/workspaces/{id}/domains",
    summary:
      "Add a custom domain to a workspace; answers the TXT record to publish and the CNAME target",
    apiScope: "workspaces:write",
    write: true,
    successStatus: 201,
    params: z.object({ id }),
    body: z.object({ hostname }),
    response: domain,
    handle: async (scope, { params, body }) =>
      apiDomain(
        await domains.addDomain(scope, { workspaceId: params.id, hostname: body.hostname }),
      ),
  }),
  defineHttpRoute({
    method: "GET",
    path: "/workspaces/{id}/domains",
    summary: "A workspace's custom domains with their verification status",
    apiScope: "workspaces:read",
    write: false,
    successStatus: 200,
    params: z.object({ id }),
    response: z.object({ data: z.array(domain) }),
    handle: async (scope, { params }) => ({
      data: (await domains.listDomains(scope, { workspaceId: params.id })).map(apiDomain),
    }),
  }),
  defineHttpRoute({
    method: "POST",
    path: "/workspaces/{id}/domains/{domainId}/verify",
    summary:
      "Check a domain's TXT record; when found, create its DNS record and mark it verified (200 either way: see outcome)",
    apiScope: "workspaces:write",
    write: true,
    successStatus: 200,
    params: domainParams,
    response: z.object({
      outcome: z.enum(["verified", "missing", "mismatch", "lookup_error", "dns_error"]),
      domain,
    }),
    handle: async (scope, { params }) => {
      const { outcome, domain: view } = await domains.verifyDomain(scope, {
        workspaceId: params.id,
        domainId: params.domainId,
      });
      return { outcome, domain: apiDomain(view) };
    },
  }),
  defineHttpRoute({
    method: "DELETE",
    path: "/workspaces/{id}/domains/{domainId}",
    summary: "Remove a custom domain (and its record in Plinth's zone)",
    apiScope: "workspaces:write",
    write: true,
    successStatus: 200,
    params: domainParams,
    response: z.object({ id: z.string(), hostname: z.string(), recordDeleted: z.boolean() }),
    handle: (scope, { params }) =>
      domains.removeDomain(scope, { workspaceId: params.id, domainId: params.domainId }),
  }),
];
