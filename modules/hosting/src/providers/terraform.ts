// The terraform provider: one working directory per workspace rendered from the app's template
// (packages/terraform), state in PostgreSQL (the pg backend, one schema per workspace), the
// workspace's admin password in the vault (passed as TF_VAR_admin_password, redacted from every
// line). Steps: init (render + `terraform init`), plan (`plan -out`, changes or none), apply
// (the saved plan, then `output -json`: the non-sensitive outputs become the workspace's) and
// destroy. Every line the CLI prints goes to the step's output. Suspend and resume are a typed
// refusal (ProviderUnsupportedError): the app's template has no notion of access, so a
// `suspended` variable would be a no-op that claims the app stopped while it keeps serving —
// the access sync leaves terraform workspaces READY and counts them as unsupported.
import { randomBytes } from "node:crypto";
import {
  createTerraformWorkspace,
  isTransientTerraformError,
  workspaceDirectory,
  workspaceSchemaName,
  type TemplateSource,
  type TerraformLine,
} from "@plinth/terraform";
import type { HostingApp } from "../catalogue.ts";
import type { HostingProvider, StepContext, StepResult } from "./types.ts";
import { passwordSecretName, ProviderUnsupportedError } from "./types.ts";

export interface TerraformProviderOptions {
  /** Where working directories are rendered (one folder per workspace). */
  root: string;
  /** The pg backend's server (state schemas live there). */
  backendUrl: () => string;
  /** The app's template (default: a template naming the app's resources). */
  template?: (app: HostingApp) => TemplateSource;
  /** The CLI (default TERRAFORM_BIN), its extra environment, what it inherits (tests). */
  bin?: string;
  env?: Record<string, string>;
  inheritEnv?: Record<string, string>;
}

/** A minimal template: the app's resources as terraform_data with its settings. */
export function defaultTemplate(app: HostingApp): TemplateSource {
  return {
    files: {
      "main.tf": [
        `# ${app.name}: the workspace's app resources (managed-hosting, modules/hosting).`,
        'variable "name" { type = string }',
        'variable "app" { type = string }',
        'variable "version" { type = string }',
        'variable "size" { type = string }',
        'variable "region" { type = string }',
        'variable "connection_limit" { type = number }',
        'variable "admin_password" {\n  type      = string\n  sensitive = true\n}',
        'resource "terraform_data" "app" {\n  input = [var.name, var.app, var.version, var.size, var.region]\n}',
        'output "name" { value = var.name }',
        'output "region" { value = var.region }',
        "",
      ].join("\n"),
    },
  };
}

export function createTerraformProvider(options: TerraformProviderOptions): HostingProvider {
  const template = options.template ?? defaultTemplate;

  async function adminPassword(ctx: StepContext) {
    const name = passwordSecretName(ctx.target.workspaceId);
    const existing = await ctx.secrets.read(name);
    if (existing) return existing;
    const created = randomBytes(24).toString("base64url");
    await ctx.secrets.put(name, created);
    return created;
  }

  async function workspaceFor(ctx: StepContext) {
    const { target } = ctx;
    return createTerraformWorkspace({
      dir: workspaceDirectory(options.root, target.workspaceId),
      template: template(target.app),
      backend: {
        schemaName: workspaceSchemaName(target.workspaceId),
        connectionString: options.backendUrl(),
      },
      variables: {
        name: target.name,
        app: target.app.key,
        version: target.version,
        size: target.size.key,
        region: target.region,
        connection_limit: target.size.connectionLimit,
      },
      secretVariables: { admin_password: await adminPassword(ctx) },
      ...(options.env ? { env: options.env } : {}),
      ...(options.bin ? { bin: options.bin } : {}),
      ...(options.inheritEnv ? { inheritEnv: options.inheritEnv } : {}),
    });
  }

  /** Runs `fn` with a collector of the CLI's lines (redacted by the driver). */
  async function step(
    ctx: StepContext,
    fn: (
      workspace: Awaited<ReturnType<typeof workspaceFor>>,
      run: { onLine: (line: TerraformLine) => void; signal: AbortSignal },
    ) => Promise<Record<string, string | number> | undefined | void>,
  ): Promise<StepResult> {
    const lines: string[] = [];
    const pending: Promise<void>[] = [];
    const workspace = await workspaceFor(ctx);
    const outputs = await fn(workspace, {
      signal: ctx.signal,
      onLine: ({ line }) => {
        lines.push(line);
        pending.push(ctx.log(line));
      },
    });
    await Promise.all(pending);
    return { output: lines.join("\n"), ...(outputs ? { outputs } : {}) };
  }

  const unsupported = (operation: "suspend" | "resume") => () =>
    Promise.reject(
      new ProviderUnsupportedError(
        "terraform",
        operation,
        "the app's template declares no access switch",
      ),
    );

  return {
    key: "terraform",
    isTransient: isTransientTerraformError,
    suspend: unsupported("suspend"),
    resume: unsupported("resume"),
    init: (ctx) =>
      step(ctx, async (workspace, run) => {
        await workspace.render();
        await workspace.init(run);
      }),
    plan: (ctx) =>
      step(ctx, async (workspace, run) => {
        if (ctx.target.action === "DESTROY") return;
        await workspace.render();
        const plan = await workspace.plan(run);
        run.onLine({
          command: "plan",
          stream: "stdout",
          line: plan.changes ? "changes: yes" : "changes: none",
        });
      }),
    apply: (ctx) =>
      step(ctx, async (workspace, run) => {
        await workspace.apply(run);
        const raw = await workspace.rawOutputs(run);
        return Object.fromEntries(
          Object.entries(raw)
            .filter(([, output]) => !output.sensitive)
            .flatMap(([key, output]) =>
              typeof output.value === "string" || typeof output.value === "number"
                ? [[key, output.value]]
                : [],
            ),
        );
      }),
    destroy: (ctx) =>
      step(ctx, async (workspace, run) => {
        await workspace.render();
        await workspace.destroy(run);
        await ctx.secrets.delete(passwordSecretName(ctx.target.workspaceId));
      }),
  };
}
