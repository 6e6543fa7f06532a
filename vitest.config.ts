import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/**/*.test.ts",
      "modules/**/*.test.ts",
      "apps/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/.next/**", "test/e2e/**"],
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    // next-auth's entry imports "next/server" without an extension (fine for Next's bundler):
    // inlined, Vite resolves it, so @plinth/auth's config can be tested.
    server: { deps: { inline: ["next-auth"] } },
    hookTimeout: 60_000,
  },
});
