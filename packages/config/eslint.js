// Shared ESLint flat config for every workspace package.
//
// TypeScript files are linted with type information (recommendedTypeChecked): the project
// service finds each file's nearest tsconfig.json, so a package's `eslint .` and the root's
// `pnpm eslint scripts test prisma` both work with no per-package parser settings.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { boundaries } from "./boundaries.js";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.next/**",
      "**/dist/**",
      "**/generated/**", // packages/db/src/generated: Prisma's client
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: process.cwd() },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // As only-throw-error does by default: passing on a reason one did not make (an abort
      // signal's, a settled promise's) is fine; rejecting with a literal is not.
      "@typescript-eslint/prefer-promise-reject-errors": [
        "error",
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
    },
  },
  {
    // In no tsconfig (stale, see apps/worker/tsconfig.json): linted without type information.
    files: ["**/bench/billing.bench.ts"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // Environment variables are read and validated in env.ts files only (createEnv), in
      // every spelling: process.env, process["env"], const { env } = process,
      // globalThis.process.env and `import { env } from "node:process"`.
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read configuration from the package's env.ts.",
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.property.name='process'][property.name='env']",
          message: "Read configuration from the package's env.ts.",
        },
      ],
      // no-restricted-imports (env, boundaries, system client): ./boundaries.js, per layer.
    },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    files: [
      "**/env.ts",
      "**/*.test.ts",
      "**/test/**",
      "**/scripts/**",
      "**/*.config.*",
      "**/bench/**",
    ],
    rules: {
      "no-restricted-properties": "off",
      "no-restricted-syntax": "off",
    },
  },
  ...boundaries(),
);
