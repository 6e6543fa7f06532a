// `npm test`: every check the project has, in the order that fails fastest.
//   1. formatting, typecheck and lint (turbo, all packages)
//   2. unit + integration tests (vitest on real PostgreSQL: embedded, or DATABASE_URL; the
//      rate-limit tests start Debian's redis-server, installed here when missing)
//   3. browser end-to-end tests against the built web app (Debian's Chromium)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { REPO_ROOT } from "@plinth/db/local-database";

function step(title: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  console.log(`\n━━ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: REPO_ROOT,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    console.error(`✗ ${title} failed`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

step("formatting (prettier --check)", "pnpm", ["prettier", "--check", "--log-level=warn", "."]);
step("typecheck", "pnpm", ["turbo", "run", "typecheck", "--output-logs=errors-only"]);
step("typecheck root scripts and tests", "pnpm", ["tsc", "-p", "."]);
step("lint", "pnpm", ["turbo", "run", "lint", "--output-logs=errors-only"]);
step("lint root scripts and tests", "pnpm", ["eslint", "scripts", "test", "prisma"]);
ensureRedis();
step("unit and integration tests", "pnpm", ["vitest", "run"]);

if (existsSync(`${REPO_ROOT}/test/e2e/run.ts`)) {
  ensureChromium();
  step("build the web app", "pnpm", ["--filter", "@plinth/web", "build"]);
  step("browser end-to-end tests", "pnpm", ["tsx", "test/e2e/run.ts"]);
}

function ensureChromium() {
  if (existsSync("/usr/bin/chromium")) return;
  if (process.getuid?.() !== 0) {
    console.error(
      "Browser tests need Chromium: install it (Debian: apt-get install chromium) and rerun.",
    );
    process.exit(1);
  }
  step("install Chromium (apt)", "sh", [
    "-c",
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null",
  ]);
}

/** The Redis rate-limit tests start a throw-away redis-server; as root, install Debian's. */
function ensureRedis() {
  if (spawnSync("sh", ["-c", "command -v redis-server"]).status === 0) return;
  if (process.getuid?.() !== 0) {
    console.warn(
      "redis-server not found: the Redis rate-limit tests will be skipped (Debian: apt-get install redis-server).",
    );
    return;
  }
  step("install redis-server (apt)", "sh", [
    "-c",
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null",
  ]);
}
