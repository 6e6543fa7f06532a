// `npm run dev`: PostgreSQL (embedded unless DATABASE_URL is set), migrations, demo data, then
// the web app on http://localhost:3000 and the worker beside it. Ctrl-C stops all of it.
// Both listen on 127.0.0.1 only (the dev mailbox shows every sign-in link) unless HOST says
// otherwise, e.g. HOST=0.0.0.0 to reach the app from another machine.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT, openLocalDatabase } from "@plinth/db/local-database";
import { localEncryptionKeys } from "@plinth/vault/local-keys";
import { activePreset, activeProduct } from "@plinth/product";
import { createDatabase, systemClient } from "@plinth/db";
import { DEMO_ADMIN, DEMO_PASSWORD, demoAccounts, demoApiKeys, seed } from "../prisma/seed.ts";
import { prepareDatabase } from "./prepare-database.ts";

const WEB_PORT = Number(process.env.PORT ?? 3000);
const GATEWAY_PORT = Number(process.env.GATEWAY_PORT ?? 3002);
const HOST = process.env.HOST ?? "127.0.0.1";
const log = (line: string) => console.log(`› ${line}`);

const database = await openLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
log(
  database.embedded
    ? "embedded PostgreSQL started (data in .plinth/postgres)"
    : `using ${redact(database.url)}`,
);
// Migrations and the job queue schema before anything serves a request (see prepare-database.ts).
await prepareDatabase(database.url, { log });
await seed(database.url, { log });

const env = {
  ...process.env,
  DATABASE_URL: database.url,
  AUTH_SECRET: process.env.AUTH_SECRET ?? (await localSecret()),
  // The vault's key, kept in .plinth/encryption-keys the same way (docs/vault.md).
  ENCRYPTION_KEYS: process.env.ENCRYPTION_KEYS ?? (await localEncryptionKeys()),
  // Webhook receivers in development usually run on this machine (docs/webhooks.md).
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: process.env.WEBHOOKS_ALLOW_PRIVATE_NETWORKS ?? "true",
  // An organization's own AI provider (Ollama, a local server) may run here too (docs/ai.md).
  AI_ALLOW_PRIVATE_NETWORKS: process.env.AI_ALLOW_PRIVATE_NETWORKS ?? "true",
  AUTH_URL: process.env.AUTH_URL ?? `http://localhost:${WEB_PORT}`,
  APP_URL: process.env.APP_URL ?? `http://localhost:${WEB_PORT}`,
  AUTH_TRUST_HOST: "true",
  NODE_ENV: "development",
  // apps/web/server.ts and the worker's health port.
  HOST,
  PORT: String(WEB_PORT),
  WORKER_HEALTH_HOST: process.env.WORKER_HEALTH_HOST ?? HOST,
  // The public API (apps/gateway); the web app proxies /api/v1/* to it (next.config.ts).
  GATEWAY_PORT: String(GATEWAY_PORT),
  GATEWAY_HOST: process.env.GATEWAY_HOST ?? HOST,
};

const children: ChildProcess[] = [];
function start(name: string, args: string[]) {
  // Its own process group: pnpm does not pass signals on to the script it runs, so stop()
  // signals the whole group (pnpm, the shell, tsx/next and their workers).
  const child = spawn("pnpm", args, { cwd: REPO_ROOT, env, stdio: "inherit", detached: true });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping`);
      void stop(code ?? 1);
    }
  });
  children.push(child);
}

start("web", ["--filter", "@plinth/web", "dev"]);
if (existsSync(path.join(REPO_ROOT, "apps/worker/src/main.ts"))) {
  start("worker", ["--filter", "@plinth/worker", "start"]);
}
start("gateway", ["--filter", "@plinth/gateway", "start"]);
// The API catalog's demo upstream (loopback, DEMO_UPSTREAM_PORT 3004): what the demo API
// products proxy to (modules/api-catalog/src/demo-upstream.ts).
if (activeProduct().isEnabled("api-catalog")) {
  start("demo-upstream", ["--filter", "@plinth/api-catalog", "demo-upstream"]);
}

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          signalGroup(child, "SIGTERM");
          setTimeout(() => signalGroup(child, "SIGKILL"), 10_000).unref();
        }),
    ),
  );
  await database.stop();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

const reachableHost = HOST === "0.0.0.0" || HOST === "::" ? "127.0.0.1" : HOST;
await waitForHttp(
  `http://${reachableHost.includes(":") ? `[${reachableHost}]` : reachableHost}:${WEB_PORT}/api/health`,
  180_000,
);
const apiKeys = await readDemoApiKeys();
console.log(`
  Plinth (${activePreset().name}) is running at http://localhost:${WEB_PORT}
  Public API: http://localhost:${WEB_PORT}/api/v1 (gateway on :${GATEWAY_PORT})

  Demo sign-ins (password for all: ${DEMO_PASSWORD}) and API keys
${demoAccounts()
  .map((a) => `    ${a.planKey.padEnd(11)} ${a.email.padEnd(28)} ${apiKeys.get(a.email) ?? ""}`)
  .join("\n")}
    ${"admin".padEnd(11)} ${DEMO_ADMIN.email}  (platform admin)

  Ctrl-C stops the app${database.embedded ? " and the embedded database" : ""}.
`);

async function readDemoApiKeys() {
  const connection = createDatabase(database.url);
  try {
    return await demoApiKeys(
      systemClient(connection, "dev: print the demo API keys"),
      demoAccounts(),
    );
  } finally {
    await connection.disconnect();
  }
}

async function localSecret(): Promise<string> {
  // Kept across runs so sessions survive a restart; never committed (.plinth is ignored).
  const file = path.join(REPO_ROOT, ".plinth", "auth-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!stopping) log(`${url} did not answer within ${timeoutMs / 1000} s — see the logs above`);
}

function redact(url: string) {
  return url.replace(/:[^:@/]+@/, ":***@");
}
