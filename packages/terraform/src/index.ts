// @plinth/terraform: drives the `terraform` (or `tofu`) CLI for one workspace at a time
// (docs/hosting-infra.md): a rendered working directory, state in PostgreSQL (pg backend, one
// schema per workspace), credentials only in the environment, streamed and redacted output,
// timeouts, abort, typed errors that say whether a retry may help.
export {
  createTerraformWorkspace,
  type PlanResult,
  type TerraformWorkspace,
  type TerraformWorkspaceOptions,
} from "./driver.ts";
export { inheritedEnvironment, parseTerraformEnv, terraformEnv, type TerraformEnv } from "./env.ts";
export {
  TerraformAbortedError,
  TerraformCommandError,
  TerraformError,
  TerraformOutputError,
  TerraformSpawnError,
  TerraformTemplateError,
  TerraformTimeoutError,
  isTransientOutput,
  isTransientTerraformError,
} from "./errors.ts";
export type { OutputStream, RunOptions, TerraformLine } from "./exec.ts";
export type { TerraformOutputs, TerraformState } from "./outputs.ts";
export { REDACTED, createRedactor, type Redactor } from "./redact.ts";
export {
  BACKEND_FILE,
  PLAN_FILE,
  TFVARS_FILE,
  backendConfig,
  renderWorkingDirectory,
  workspaceDirectory,
  workspaceSchemaName,
  type TemplateSource,
  type TerraformValue,
} from "./workdir.ts";
