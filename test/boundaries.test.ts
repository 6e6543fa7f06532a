// The import boundaries (packages/config/boundaries.js) fail on deliberate violations and pass
// the code they are meant to allow: each case lints a one-line file at a path in the layer it
// tests, with the repository's own ESLint config. So do the type-aware promise rules
// (no-floating-promises, no-misused-promises) of packages/config/eslint.js.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
// Import rules need no types, and the linted files exist only here (the project service
// refuses a file that no tsconfig holds): the boundary cases run without type information.
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });

/** A file in a package's src that is not on disk: the project service's default project takes it. */
const TYPED_FIXTURE = "packages/platform/src/lint-fixture.ts";
const typedEslint = new ESLint({
  cwd: root,
  overrideConfig: {
    files: [TYPED_FIXTURE],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: [TYPED_FIXTURE], defaultProject: "tsconfig.json" },
      },
    },
  },
});

async function promiseRuleMessages(code: string): Promise<string[]> {
  const [result] = await typedEslint.lintText(`${code}\nexport {};\n`, { filePath: TYPED_FIXTURE });
  const messages = result?.messages ?? [];
  // A parsing error would hide every rule: fail on it rather than pass for nothing.
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  return messages
    .map((message) => message.ruleId ?? "")
    .filter((rule) => /no-floating-promises|no-misused-promises/.test(rule));
}

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === "no-restricted-imports")
    .map((message) => message.message);
}

// Built, not written out: a literal climbing out of test/ would point outside the repository
// (test/self-contained.test.ts).
const UP_THREE = "../".repeat(3);

const refused: [string, string, string, RegExp][] = [
  ["db imports nothing of ours", "packages/db/src/x.ts", 'import "@plinth/core";', /boundaries/],
  [
    "core does not import billing",
    "packages/core/src/x.ts",
    'import "@plinth/billing";',
    /boundaries/,
  ],
  [
    "billing does not import platform",
    "packages/billing/src/x.ts",
    'import "@plinth/platform";',
    /boundaries/,
  ],
  [
    "platform does not import trpc",
    "packages/platform/src/x.ts",
    'import "@plinth/trpc";',
    /boundaries/,
  ],
  [
    "a module does not import another module",
    "modules/projects/src/service.ts",
    'import "@plinth/teams";',
    /capability module/,
  ],
  [
    "a module does not import the product",
    "modules/teams/src/x.ts",
    'import "@plinth/product";',
    /capability module/,
  ],
  [
    "a package does not import a module",
    "packages/trpc/src/x.ts",
    'import "@plinth/projects";',
    /boundaries/,
  ],
  [
    "no deep import into a package's files",
    "packages/billing/src/x.ts",
    'import "@plinth/db/src/client.ts";',
    /Deep import/,
  ],
  [
    "no relative import into another package",
    "packages/platform/src/x.ts",
    `import "${UP_THREE}packages/billing/src/catalog.ts";`,
    /Relative import/,
  ],
  [
    "test helpers stay in tests",
    "packages/platform/src/x.ts",
    'import "@plinth/billing/testing/stripe-server";',
    /tests only/,
  ],
  [
    "services do not import tRPC",
    "modules/projects/src/service.ts",
    'import { TRPCError } from "@trpc/server";',
    /adapter/,
  ],
  [
    "services do not import hono",
    "packages/platform/src/services/x.ts",
    'import { Hono } from "hono";',
    /adapter/,
  ],
  [
    "services do not import next",
    "packages/platform/src/services/x.ts",
    'import { headers } from "next/headers";',
    /adapter/,
  ],
  [
    "the web kit imports no platform code",
    "packages/web-kit/src/x.ts",
    'import "@plinth/platform";',
    /boundaries/,
  ],
  [
    "a module's service does not import next",
    "modules/projects/src/service.ts",
    'import Link from "next/link";',
    /adapter/,
  ],
  [
    "the dns driver imports only core",
    "packages/dns/src/x.ts",
    'import "@plinth/platform";',
    /boundaries/,
  ],
  [
    "the terraform driver does not import a module",
    "packages/terraform/src/x.ts",
    'import "@plinth/test-automation";',
    /boundaries/,
  ],
  [
    "request code does not take the system client",
    "packages/platform/src/services/x.ts",
    'import { systemClient } from "@plinth/db";',
    /asSystem/,
  ],
  [
    "a module does not take the system client",
    "modules/projects/src/service.ts",
    'import { systemClient } from "@plinth/db";',
    /asSystem/,
  ],
];

const allowed: [string, string, string][] = [
  [
    "a module imports packages",
    "modules/projects/src/service.ts",
    'import "@plinth/platform";\nimport "@plinth/core/errors";',
  ],
  [
    "an adapter imports tRPC",
    "modules/projects/src/trpc.ts",
    'import { TRPCError } from "@trpc/server";',
  ],
  [
    "a module's page imports next and the web kit",
    "modules/projects/src/pages/x.tsx",
    'import Link from "next/link";\nimport { createApiHooks } from "@plinth/web-kit/api";',
  ],
  ["the product imports modules", "modules/product/src/x.ts", 'import "@plinth/projects/trpc";'],
  ["apps import the product", "apps/web/src/x.ts", 'import "@plinth/product/trpc";'],
  [
    "tests import test helpers",
    "packages/platform/test/x.test.ts",
    'import "@plinth/billing/testing/stripe-server";',
  ],
  [
    "the request scope takes the system client",
    "packages/platform/src/scope.ts",
    'import { systemClient } from "@plinth/db";',
  ],
  ["core imports db", "packages/core/src/x.ts", 'import "@plinth/db";'],
  ["the dns driver imports core", "packages/dns/src/x.ts", 'import "@plinth/core/env";'],
  [
    "a module imports the infrastructure drivers",
    "modules/projects/src/service.ts",
    'import "@plinth/terraform";\nimport "@plinth/dns";',
  ],
];

/** Every relative import of a package's files that resolves outside the package. */
function relativeImportsLeavingTheirPackage(): string[] {
  const escapes: string[] = [];
  for (const group of ["packages", "modules", "apps"]) {
    for (const name of readdirSync(path.join(root, group))) {
      const base = path.join(root, group, name);
      const entries = readdirSync(base, { withFileTypes: true, recursive: true });
      for (const entry of entries) {
        const file = path.join(entry.parentPath, entry.name);
        if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /node_modules|\.next/.test(file)) {
          continue;
        }
        const text = readFileSync(file, "utf8");
        for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
          const target = path.resolve(path.dirname(file), match[1] ?? "");
          // The composition root reads the product configuration (plinth.config.ts), and so
          // may tests (a module's tests run it with the demo's plans).
          const config = target === path.join(root, "plinth.config.ts");
          if (config && (name === "product" || /\/test\//.test(file))) continue;
          if (!target.startsWith(base + path.sep)) {
            escapes.push(`${path.relative(root, file)} → ${match[1] ?? ""}`);
          }
        }
      }
    }
  }
  return escapes;
}

describe("import boundaries", () => {
  it("has no relative import out of its package (import packages by name)", () => {
    expect(relativeImportsLeavingTheirPackage()).toEqual([]);
  });

  it.each(refused)("%s", async (_name, filePath, code, message) => {
    const messages = await restricted(filePath, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it.each(allowed)("%s", async (_name, filePath, code) => {
    expect(await restricted(filePath, code)).toEqual([]);
  });
});

const SAVE = "const save = (): Promise<void> => Promise.resolve();";

// The first case builds the TypeScript program the type-aware rules need: seconds when the
// machine is idle, more than the default 30 s when every test file runs beside it.
describe("promise rules (type-aware typescript-eslint)", { timeout: 120_000 }, () => {
  it("refuses a floating promise", async () => {
    expect(await promiseRuleMessages(`${SAVE}\nsave();`)).toEqual([
      "@typescript-eslint/no-floating-promises",
    ]);
  });

  it("refuses a promise where a void callback is expected (an onClick, a forEach)", async () => {
    const code = `${SAVE}\nconst onClick: () => void = save;\n[1].forEach(async () => { await save(); });`;
    expect(await promiseRuleMessages(code)).toEqual([
      "@typescript-eslint/no-misused-promises",
      "@typescript-eslint/no-misused-promises",
    ]);
  });

  it("accepts an awaited promise and a deliberately voided one", async () => {
    const code = `${SAVE}\nawait save();\nconst onClick = () => void save();\nonClick();`;
    expect(await promiseRuleMessages(code)).toEqual([]);
  });
});
