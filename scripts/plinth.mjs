#!/usr/bin/env node
// Bootstrap for the README's two commands. Plain Node, no dependencies: it makes sure pnpm is
// there (corepack alone fails on registries without npm signatures, see docs/toolchain.md),
// installs the workspace, then hands over to the TypeScript scripts.
//   npm run dev   -> scripts/dev.ts   (embedded PostgreSQL, migrations, demo data, web + worker)
//   npm test      -> scripts/test.ts  (typecheck, lint, unit/integration, browser end-to-end)
//   npm run bench -> scripts/bench.ts
import { execFileSync, spawn, spawnSync } from "node:child_process";

const PNPM_VERSION = "10.34.8";
const command = process.argv[2];
const scripts = { dev: "scripts/dev.ts", test: "scripts/test.ts", bench: "scripts/bench.ts" };
if (!(command in scripts)) {
  console.error(`usage: node scripts/plinth.mjs ${Object.keys(scripts).join("|")}`);
  process.exit(2);
}

function pnpmVersion(cmd, args = []) {
  try {
    return execFileSync(cmd, [...args, "--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}

function resolvePnpm() {
  if (pnpmVersion("pnpm") === PNPM_VERSION) return ["pnpm"];
  console.log(`› installing pnpm ${PNPM_VERSION} (npm i -g)`);
  const global = spawnSync("npm", ["install", "--global", `pnpm@${PNPM_VERSION}`], {
    stdio: "inherit",
  });
  if (global.status === 0 && pnpmVersion("pnpm") === PNPM_VERSION) return ["pnpm"];
  console.log("› global install not possible here; using npx");
  return ["npx", "--yes", `pnpm@${PNPM_VERSION}`];
}

function run([cmd, ...prefix], args) {
  const result = spawnSync(cmd, [...prefix, ...args], { stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const pnpm = resolvePnpm();
// confirmModulesPurge=false: never stop to ask (no TTY) when pnpm must rebuild node_modules.
run(pnpm, [
  "install",
  process.env.CI ? "--frozen-lockfile" : "--prefer-offline",
  "--config.confirmModulesPurge=false",
]);
// The script runs as a child; SIGINT/SIGTERM sent to this process (a supervisor, `timeout`,
// `kill`) are passed on so it stops its servers and the embedded database cleanly (Ctrl-C in
// a terminal reaches the whole process group anyway).
const [cmd, ...prefix] = pnpm;
const child = spawn(cmd, [...prefix, "exec", "tsx", scripts[command], ...process.argv.slice(3)], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
