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

// Debian packages the tests drive for real, each with a file that shows it is installed:
// Chromium (e2e), PocketSphinx + its US English model, espeak-ng and sox (@plinth/speech).
// Whatever is missing is installed in one apt step.
const SYSTEM_PACKAGES: { name: string; installed: string }[] = [
  { name: "chromium", installed: "/usr/bin/chromium" },
  { name: "pocketsphinx", installed: "/usr/bin/pocketsphinx_continuous" },
  { name: "pocketsphinx-en-us", installed: "/usr/share/pocketsphinx/model/en-us/en-us/mdef" },
  { name: "espeak-ng", installed: "/usr/bin/espeak-ng" },
  { name: "sox", installed: "/usr/bin/sox" },
  { name: "redis-server", installed: "/usr/bin/redis-server" },
];

step("formatting (prettier --check)", "pnpm", ["prettier", "--check", "--log-level=warn", "."]);
step("typecheck", "pnpm", ["turbo", "run", "typecheck", "--output-logs=errors-only"]);
step("typecheck root scripts and tests", "pnpm", ["tsc", "-p", "."]);
step("lint", "pnpm", ["turbo", "run", "lint", "--output-logs=errors-only"]);
step("lint root scripts and tests", "pnpm", ["eslint", "scripts", "test", "prisma"]);
ensureSystemPackages();
step("unit and integration tests", "pnpm", ["vitest", "run"]);

if (existsSync(`${REPO_ROOT}/test/e2e/run.ts`)) {
  step("build the web app", "pnpm", ["--filter", "@plinth/web", "build"]);
  step("browser end-to-end tests", "pnpm", ["tsx", "test/e2e/run.ts"]);
}

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter(({ installed }) => !existsSync(installed)).map(
    ({ name }) => name,
  );
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `The tests need Debian packages: apt-get install ${missing.join(" ")} (as root), then rerun.`,
    );
    process.exit(1);
  }
  step(`install ${missing.join(", ")} (apt)`, "sh", [
    "-c",
    `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(" ")} >/dev/null`,
  ]);
}

/** The Redis rate-limit tests start a throw-away redis-server; as root, install Debian's. */
