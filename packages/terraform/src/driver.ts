// A workspace's Terraform: render its working directory, then init → plan → apply (or destroy)
// with the CLI, and read its outputs. Credentials arrive from the caller (vault entries) and
// reach the CLI only through its environment: PG_CONN_STR for the pg backend, TF_VAR_<name>
// for secret variables, `secretEnv` for providers' credentials. All of them are redacted
// from every line, tail and error.
import type { z } from "zod";
import { TerraformOutputError } from "./errors.ts";
import { inheritedEnvironment, terraformEnv } from "./env.ts";
import { runCommand, type CommandSpec, type RunOptions } from "./exec.ts";
import { outputJsonSchema, showJsonSchema, toState, type TerraformOutputs } from "./outputs.ts";
import { createRedactor } from "./redact.ts";
import {
  PLAN_FILE,
  renderWorkingDirectory,
  variableNameSchema,
  type TemplateSource,
  type TerraformValue,
} from "./workdir.ts";

export interface TerraformWorkspaceOptions {
  /** The working directory of this workspace (rendered by `render`). */
  dir: string;
  template: TemplateSource;
  /** Terraform's pg backend: the workspace's state schema and the server's connection string. */
  backend: { schemaName: string; connectionString: string };
  /** Written to terraform.tfvars.json. */
  variables?: Record<string, TerraformValue>;
  /** Passed as TF_VAR_<name>, never written to a file, redacted from output. */
  secretVariables?: Record<string, string>;
  /** More environment for the CLI (provider settings). */
  env?: Record<string, string>;
  /** Provider credentials in the environment (AWS_SECRET_ACCESS_KEY, …), redacted from output. */
  secretEnv?: Record<string, string>;
  /** Defaults: TERRAFORM_BIN, TERRAFORM_TIMEOUT_SECONDS; 10 s from SIGINT to SIGKILL. */
  bin?: string;
  timeoutMs?: number;
  killGraceMs?: number;
  /** This process's environment that the CLI inherits (PATH, HOME, …); tests pass their own. */
  inheritEnv?: Record<string, string>;
}

export interface PlanResult {
  /** -detailed-exitcode: 2 means the plan has changes, 0 none. */
  changes: boolean;
}

export interface TerraformWorkspace {
  readonly dir: string;
  render(): Promise<void>;
  init(options?: RunOptions): Promise<void>;
  plan(options?: RunOptions): Promise<PlanResult>;
  /** Applies the plan file the last `plan` saved. */
  apply(options?: RunOptions): Promise<void>;
  destroy(options?: RunOptions): Promise<void>;
  /** `output -json`, every output with its sensitivity. */
  rawOutputs(options?: RunOptions): Promise<TerraformOutputs>;
  /** `output -json`'s values, parsed with the caller's schema. */
  outputs<Schema extends z.ZodType>(schema: Schema, options?: RunOptions): Promise<z.infer<Schema>>;
  /** `show -json`: the state's resources and outputs. */
  show(options?: RunOptions): Promise<ReturnType<typeof toState>>;
}

const COMMON = ["-input=false", "-no-color"];

export function createTerraformWorkspace(options: TerraformWorkspaceOptions): TerraformWorkspace {
  const secretVariables = options.secretVariables ?? {};
  for (const name of Object.keys(secretVariables)) variableNameSchema.parse(name);
  const secrets = [
    options.backend.connectionString,
    ...Object.values(secretVariables),
    ...Object.values(options.secretEnv ?? {}),
  ];
  const redact = createRedactor(secrets);
  const defaults = () => {
    const env = terraformEnv();
    return {
      bin: options.bin ?? env.TERRAFORM_BIN,
      timeoutMs: options.timeoutMs ?? env.TERRAFORM_TIMEOUT_SECONDS * 1000,
    };
  };
  const environment = (): Record<string, string> => ({
    ...(options.inheritEnv ?? inheritedEnvironment()),
    ...options.env,
    ...options.secretEnv,
    ...Object.fromEntries(
      Object.entries(secretVariables).map(([name, value]) => [`TF_VAR_${name}`, value]),
    ),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    // No version check against HashiCorp's servers from a provisioning worker.
    CHECKPOINT_DISABLE: "1",
    PG_CONN_STR: options.backend.connectionString,
  });
  const spec = (args: string[], extra: Partial<CommandSpec> = {}): CommandSpec => {
    const { bin, timeoutMs } = defaults();
    return {
      bin,
      args,
      cwd: options.dir,
      env: environment(),
      redact,
      timeoutMs,
      killGraceMs: options.killGraceMs ?? 10_000,
      ...extra,
    };
  };
  const json = async <T>(
    args: string[],
    schema: z.ZodType<T>,
    run: RunOptions | undefined,
  ): Promise<T> => {
    const command = spec(args, { captureStdout: true });
    const { stdout } = await runCommand(command, run ?? {});
    let parsed: unknown;
    try {
      parsed = JSON.parse(stdout);
    } catch {
      throw new TerraformOutputError([command.bin, ...args], "not JSON");
    }
    const checked = schema.safeParse(parsed);
    if (!checked.success) {
      // Paths only: the values may be sensitive outputs.
      const where = checked.error.issues.map((issue) => issue.path.join(".") || "(root)");
      throw new TerraformOutputError([command.bin, ...args], `invalid at ${where.join(", ")}`);
    }
    return checked.data;
  };

  const workspace: TerraformWorkspace = {
    dir: options.dir,
    render: () =>
      renderWorkingDirectory({
        dir: options.dir,
        template: options.template,
        schemaName: options.backend.schemaName,
        variables: options.variables ?? {},
      }),
    init: async (run) => {
      await runCommand(spec(["init", ...COMMON]), run ?? {});
    },
    plan: async (run) => {
      const result = await runCommand(
        spec(["plan", ...COMMON, `-out=${PLAN_FILE}`, "-detailed-exitcode"], { okExitCodes: [2] }),
        run ?? {},
      );
      return { changes: result.exitCode === 2 };
    },
    apply: async (run) => {
      await runCommand(spec(["apply", ...COMMON, "-auto-approve", PLAN_FILE]), run ?? {});
    },
    destroy: async (run) => {
      await runCommand(spec(["destroy", "-auto-approve", ...COMMON]), run ?? {});
    },
    rawOutputs: (run) => json(["output", "-json"], outputJsonSchema, run),
    outputs: async (schema, run) => {
      const raw = await workspace.rawOutputs(run);
      const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.value]));
      const checked = schema.safeParse(values);
      if (!checked.success) {
        const where = checked.error.issues.map((issue) => issue.path.join(".") || "(root)");
        throw new TerraformOutputError(
          [defaults().bin, "output", "-json"],
          `outputs invalid at ${where.join(", ")}`,
        );
      }
      return checked.data;
    },
    show: async (run) => toState(await json(["show", "-json"], showJsonSchema, run)),
  };
  return workspace;
}
