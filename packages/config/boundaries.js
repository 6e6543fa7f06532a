// Import boundaries (docs/architecture.md, "Dependency direction"), as ESLint config objects:
//
//   apps/*  ──►  modules/product  ──►  modules/<capability>  ──►  packages/*
//   packages: trpc ─► platform ─► {billing, auth, email, jobs, vault} ─► core ─► db
//
// Each layer lists the workspace packages it may import; any other `@plinth/*` import is an
// error naming the rule. Everywhere: no deep imports into another package's files (only what
// its `exports` map offers), no test helpers (`…/testing…`) outside tests, no relative path
// into another package, and the system (RLS-bypassing) client only in the named places.
// Transports: only adapter files (trpc.ts, router.ts, http.ts) and packages/trpc import
// @trpc/server or hono; services never import next or next-auth.
//
// ESLint runs per package (turbo, cwd = the package) or from the root (`pnpm eslint <paths>`):
// `files` globs are relative to that working directory, so each layer's glob is computed
// from it (layerFiles).
import { readdirSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HERE = path.relative(ROOT, process.cwd()).split(path.sep).join("/");

const PACKAGE_ORDER = {
  "packages/db": [],
  "packages/ui": [],
  // What module pages share with the web app: tRPC hooks, error feedback, contract forms.
  "packages/web-kit": ["core", "ui"],
  "packages/config": [],
  "packages/rate-limit": [],
  // Stored files with signed links (test runs' screenshots, data export zips).
  "packages/artifacts": [],
  // Managed hosting's infrastructure drivers: core's env helpers; terraform's real-CLI test
  // keeps its state in a test database.
  "packages/terraform": ["core", "db"],
  "packages/dns": ["core"],
  "packages/core": ["db"],
  "packages/api-keys": ["db"],
  "packages/vault": ["core", "db"],
  "packages/jobs": ["core", "db"],
  "packages/email": ["core", "db", "jobs"],
  "packages/billing": ["core", "db", "jobs"],
  // The batched writer advances counters through billing's one counter upsert (usage-counters).
  "packages/metering": ["billing", "db"],
  "packages/auth": ["core", "db", "email", "jobs"],
  "packages/platform": [
    "api-keys",
    "artifacts",
    "auth",
    "billing",
    "core",
    "db",
    "email",
    "jobs",
    "vault",
  ],
  "packages/trpc": [
    "api-keys",
    "auth",
    "billing",
    "core",
    "db",
    "email",
    "jobs",
    "platform",
    "vault",
  ],
};
const PACKAGES = Object.keys(PACKAGE_ORDER).map((dir) => dir.slice("packages/".length));
/** Capability modules (modules/* but the composition root, modules/product). */
const MODULES = readdirSync(path.join(ROOT, "modules"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== "product")
  .map((entry) => entry.name);

/** The `files` glob of a folder (relative to the repo) as seen from where ESLint runs. */
function layerFiles(dir, glob = "**/*.{ts,tsx}") {
  if (HERE === "") return [`${dir}/${glob}`];
  if (HERE === dir) return [glob];
  return null;
}

const TEST_FILES = ["**/test/**", "**/*.test.ts", "**/bench/**"];
/** Files that may read process.env (besides tests): env.ts, scripts, tool configs. */
const ENV_ONLY_EXEMPT = ["**/env.ts", "**/scripts/**", "**/*.config.*"];
const ADAPTERS = ["**/trpc.ts", "**/router.ts", "**/http.ts"];

/** Reading process.env outside env.ts (the environment convention). */
const ENV_PATHS = ["process", "node:process"].map((name) => ({
  name,
  importNames: ["env", "default"],
  message: "Read configuration from the package's env.ts.",
}));

const everywhere = [
  {
    group: ["@plinth/*/src/*", "@plinth/*/src", "@plinth/*/test/*", "@plinth/*/test"],
    message: "Deep import: use what the package's exports map offers (boundaries).",
  },
  {
    group: ["**/packages/*/**", "**/modules/*/**", "**/apps/*/**"],
    message: "Relative import into another package: import it by name (boundaries).",
  },
];
const noTestingHelpers = {
  group: ["@plinth/*/testing", "@plinth/*/testing/*"],
  message: "Test helpers are for tests only (boundaries).",
};
const noTransport = (names) => ({
  group: names,
  message:
    "Transport import outside an adapter: only trpc.ts / router.ts / http.ts files and packages/trpc import @trpc/server or hono; services never import next or next-auth (boundaries).",
});
const TRANSPORTS = ["@trpc/server", "@trpc/server/*", "hono", "hono/*"];
const WEB_FRAMEWORK = ["next", "next/*", "next-auth", "next-auth/*"];

/** Refuses every workspace package but `allowed` and `self` (a package's tests import it by name). */
function onlyPlinth(allowed, layer, self) {
  const others = [...PACKAGES, "product", ...MODULES]
    .filter((name) => !allowed.includes(name) && name !== self)
    .flatMap((name) => [`@plinth/${name}`, `@plinth/${name}/*`]);
  return others.length
    ? [
        {
          group: others,
          message: `${layer} may import only ${allowed.map((n) => `@plinth/${n}`).join(", ") || "nothing of ours"} (boundaries).`,
        },
      ]
    : [];
}

/**
 * The system client's allowed places (docs/tenancy.md): the db package itself, the request
 * scope's asSystem (core/platform scope.ts), Auth.js's session lookup, the Stripe, Razorpay and
 * Calendly webhook intakes, the worker (system by design), scripts, seeds, benches and tests.
 */
const SYSTEM_CLIENT_ALLOWED = [
  "packages/db/**",
  "packages/core/src/scope.ts",
  "packages/platform/src/scope.ts",
  "packages/auth/src/config.ts",
  "packages/auth/src/index.ts",
  "apps/web/src/app/api/webhooks/stripe/route.ts",
  "apps/web/src/app/api/webhooks/razorpay/route.ts",
  "apps/web/src/app/api/webhooks/calendly/route.ts",
  "apps/web/src/server/api-keys.ts",
  "apps/worker/**",
  // The gateway's process-wide parts: key lookup by hash, the metering writer (a batch spans
  // organizations), last-used batches — never a tenant's request handler.
  "apps/gateway/src/main.ts",
  "apps/gateway/src/runtime.ts",
];
const noSystemClient = {
  name: "@plinth/db",
  importNames: ["systemClient"],
  message:
    'The system client bypasses row-level security: request code asks scope.asSystem("why") (system client rule).',
};

/** One layer's config objects: its code, its adapters, env-exempt files, system places, tests. */
function layer(dir, patterns, options = {}) {
  const files = layerFiles(dir);
  if (!files) return [];
  const transport = options.transportsAllowed ? [] : [noTransport(TRANSPORTS)];
  const framework = options.frameworkAllowed ? [] : [noTransport(WEB_FRAMEWORK)];
  const rule = ({ env = true, tests = false, adapter = false, system = false }) => [
    "error",
    {
      paths: [...(env ? ENV_PATHS : []), ...(system ? [] : [noSystemClient])],
      patterns: [
        ...everywhere,
        ...patterns,
        ...(tests ? [] : [noTestingHelpers]),
        ...(adapter || tests ? [] : transport),
        ...(tests ? [] : framework),
      ],
    },
  ];
  // `[a, b]` inside `files` means "matches a and b".
  const and = (globs) => files.flatMap((glob) => globs.map((other) => [glob, other]));
  const systemFiles = (options.systemAllowed ?? [])
    .map((glob) => (glob.endsWith("/**") ? `${glob}/*.{ts,tsx}` : glob))
    .map((glob) => (HERE === "" ? glob : path.posix.relative(HERE, glob)))
    .filter((glob) => !glob.startsWith(".."));
  return [
    { files, rules: { "no-restricted-imports": rule({}) } },
    { files: and(ADAPTERS), rules: { "no-restricted-imports": rule({ adapter: true }) } },
    { files: and(ENV_ONLY_EXEMPT), rules: { "no-restricted-imports": rule({ env: false }) } },
    ...(systemFiles.length
      ? [{ files: systemFiles, rules: { "no-restricted-imports": rule({ system: true }) } }]
      : []),
    {
      files: and(TEST_FILES),
      rules: { "no-restricted-imports": rule({ env: false, tests: true, system: true }) },
    },
  ];
}

export function boundaries() {
  const configs = [];
  for (const [dir, allowed] of Object.entries(PACKAGE_ORDER)) {
    const name = dir.slice("packages/".length);
    configs.push(
      ...layer(dir, onlyPlinth(allowed, `@plinth/${name}`, name), {
        transportsAllowed: name === "trpc",
        frameworkAllowed: name === "auth" || name === "ui",
        systemAllowed: SYSTEM_CLIENT_ALLOWED.filter((glob) => glob.startsWith(`${dir}/`)),
      }),
    );
  }
  // Capability modules: packages only — never another module, the product or an app. Their
  // pages (src/pages, React components) may import next.
  for (const name of MODULES) {
    const dir = `modules/${name}`;
    const patterns = onlyPlinth(PACKAGES, `A capability module (${dir})`, name);
    configs.push(...layer(dir, patterns));
    const pages = layerFiles(dir, "src/pages/**/*.tsx");
    if (pages) {
      configs.push({
        files: pages,
        rules: {
          "no-restricted-imports": [
            "error",
            {
              paths: [noSystemClient],
              patterns: [...everywhere, ...patterns, noTestingHelpers, noTransport(TRANSPORTS)],
            },
          ],
        },
      });
    }
  }
  configs.push(
    ...layer(
      "modules/product",
      onlyPlinth(
        [
          ...PACKAGES,
          ...[
            "projects",
            "teams",
            "test-automation",
            "ai-tasks",
            "voice-training",
            "api-catalog",
            "hosting",
            "demo-booking",
          ],
        ],
        "@plinth/product",
      ),
    ),
  );
  for (const app of ["apps/web", "apps/worker", "apps/gateway", "apps/cli"]) {
    configs.push(
      ...layer(app, [], {
        transportsAllowed: app === "apps/web" || app === "apps/gateway",
        frameworkAllowed: true,
        systemAllowed: SYSTEM_CLIENT_ALLOWED.filter((glob) => glob.startsWith(`${app}/`)),
      }),
    );
  }
  return configs;
}
