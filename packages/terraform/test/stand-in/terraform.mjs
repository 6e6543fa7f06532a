#!/usr/bin/env node
// A stand-in for the terraform CLI (the real one cannot be downloaded on these machines). It
// records each invocation (argv, cwd, the environment's keys and the TF_/PG_ values) as a JSON
// line in $STANDIN_LOG and answers like the CLI: init needs PG_CONN_STR and backend.tf, plan
// needs init and exits 2 with changes (0 once applied), apply needs the saved plan, output
// -json and show -json print the state it keeps per backend schema in $STANDIN_STATE_DIR.
// $STANDIN_MODE: ok | fail-apply | hang-apply | hang-apply-hard (ignores SIGINT) |
// transient-apply (the first apply finds the state locked) | bad-output.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { setInterval, setTimeout } from "node:timers";

const env = process.env;
const [command = "", ...flags] = process.argv.slice(2);
const mode = env.STANDIN_MODE ?? "ok";
const cwd = process.cwd();

function record(entry) {
  if (env.STANDIN_LOG) appendFileSync(env.STANDIN_LOG, `${JSON.stringify(entry)}\n`);
}
record({
  argv: process.argv.slice(2),
  cwd,
  envKeys: Object.keys(env).sort(),
  env: Object.fromEntries(
    Object.entries(env).filter(
      ([key]) => key.startsWith("TF_") || key.startsWith("PG_") || key === "CHECKPOINT_DISABLE",
    ),
  ),
});

const out = (text) => process.stdout.write(`${text}\n`);
const fail = (text, code = 1) => {
  process.stderr.write(`\nError: ${text}\n\n`);
  process.exit(code);
};

const ALLOWED = {
  init: ["-input=false", "-no-color"],
  plan: ["-input=false", "-no-color", "-out=tfplan", "-detailed-exitcode"],
  apply: ["-input=false", "-no-color", "-auto-approve", "tfplan"],
  destroy: ["-auto-approve", "-input=false", "-no-color"],
  output: ["-json"],
  show: ["-json"],
  version: [],
};
if (!(command in ALLOWED)) fail(`Terraform has no command named "${command}".`, 1);
for (const flag of flags) {
  if (!ALLOWED[command].includes(flag)) fail(`flag provided but not defined: ${flag}`, 1);
}
if (command === "version") {
  out("Terraform v1.11.4 (stand-in)");
  process.exit(0);
}

const backend = existsSync("backend.tf") ? readFileSync("backend.tf", "utf8") : "";
const schema = /schema_name\s*=\s*"([^"]+)"/.exec(backend)?.[1];
if (!schema) fail('Backend configuration: no backend "pg" block with a schema_name');
const stateDir = env.STANDIN_STATE_DIR ?? path.join(cwd, ".standin-state");
mkdirSync(stateDir, { recursive: true });
const statePath = path.join(stateDir, `${schema}.json`);
const readState = () =>
  existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) : null;

if (command === "init") {
  if (!env.PG_CONN_STR) fail('Error configuring the backend "pg": conn_str is required');
  out("Initializing the backend...");
  out("");
  out('Successfully configured the backend "pg"! Terraform will automatically');
  out("use this backend unless the backend configuration changes.");
  mkdirSync(".terraform", { recursive: true });
  writeFileSync(".terraform/terraform.tfstate", JSON.stringify({ backend: { type: "pg" } }));
  out("");
  out("Terraform has been successfully initialized!");
  process.exit(0);
}
if (!existsSync(".terraform/terraform.tfstate")) {
  fail('Backend initialization required, please run "terraform init"');
}

function desired() {
  const variables = JSON.parse(readFileSync("terraform.tfvars.json", "utf8"));
  const secrets = Object.keys(env)
    .filter((key) => key.startsWith("TF_VAR_"))
    .map((key) => key.slice("TF_VAR_".length))
    .sort();
  const outputs = { state_schema: { sensitive: false, type: "string", value: schema } };
  for (const [name, value] of Object.entries(variables)) {
    outputs[name] = { sensitive: false, type: typeof value, value };
  }
  for (const name of secrets) {
    outputs[name] = { sensitive: true, type: "string", value: env[`TF_VAR_${name}`] };
  }
  return { outputs, resources: ["terraform_data.app"] };
}

if (command === "plan") {
  const want = desired();
  const have = readState();
  if (have) out("terraform_data.app: Refreshing state... [id=standin]");
  if (have && JSON.stringify(have.outputs) === JSON.stringify(want.outputs)) {
    out("");
    out("No changes. Your infrastructure matches the configuration.");
    process.exit(0);
  }
  out("");
  out("Terraform will perform the following actions:");
  out("");
  out(`  # terraform_data.app will be ${have ? "updated in-place" : "created"}`);
  out(
    have
      ? "Plan: 0 to add, 1 to change, 0 to destroy."
      : "Plan: 1 to add, 0 to change, 0 to destroy.",
  );
  writeFileSync("tfplan", JSON.stringify(want));
  out("");
  out("Saved the plan to: tfplan");
  process.exit(2);
}

if (command === "apply") {
  if (!existsSync("tfplan")) fail('Failed to load "tfplan" as a plan file');
  const planned = JSON.parse(readFileSync("tfplan", "utf8"));
  if (mode === "transient-apply") {
    const marker = path.join(stateDir, `${schema}.locked-once`);
    if (!existsSync(marker)) {
      writeFileSync(marker, "");
      fail(
        'Error acquiring the state lock\n\nError message: pq: could not obtain lock on relation "states"',
      );
    }
  }
  out("terraform_data.app: Creating...");
  if (mode === "fail-apply") {
    fail(`creating app database: connecting to ${env.PG_CONN_STR}: permission denied`);
  }
  if (mode === "hang-apply" || mode === "hang-apply-hard") {
    let seconds = 0;
    setInterval(
      () => out(`terraform_data.app: Still creating... [${(seconds += 10)}s elapsed]`),
      100,
    );
    process.on("SIGINT", () => {
      record({ signal: "SIGINT" });
      if (mode === "hang-apply-hard") return; // a CLI stuck in a provider call
      out("Interrupt received.");
      out("Gracefully shutting down...");
      setTimeout(() => process.exit(1), 20);
    });
  } else {
    out("terraform_data.app: Creation complete after 0s [id=standin]");
    writeFileSync(statePath, JSON.stringify(planned));
    out("");
    out("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
    out("");
    out("Outputs:");
    out("");
    for (const [name, output] of Object.entries(planned.outputs)) {
      out(`${name} = ${output.sensitive ? "<sensitive>" : JSON.stringify(output.value)}`);
    }
    process.exit(0);
  }
}

if (command === "destroy") {
  const have = readState();
  if (have) out("terraform_data.app: Destroying... [id=standin]");
  rmSync(statePath, { force: true });
  out("");
  out(`Destroy complete! Resources: ${have ? 1 : 0} destroyed.`);
  process.exit(0);
}

if (command === "output") {
  if (mode === "bad-output") {
    out("╷\n│ Warning: No outputs found");
    process.exit(0);
  }
  out(JSON.stringify(readState()?.outputs ?? {}));
  process.exit(0);
}

if (command === "show") {
  const have = readState();
  if (!have) {
    out(JSON.stringify({ format_version: "1.0" }));
    process.exit(0);
  }
  const outputs = Object.fromEntries(
    Object.entries(have.outputs).map(([name, o]) => [
      name,
      { sensitive: o.sensitive, value: o.value },
    ]),
  );
  out(
    JSON.stringify({
      format_version: "1.0",
      terraform_version: "1.11.4",
      values: {
        outputs,
        root_module: {
          resources: have.resources.map((address) => ({
            address,
            mode: "managed",
            type: address.split(".")[0],
            name: address.split(".")[1],
          })),
        },
      },
    }),
  );
  process.exit(0);
}
