// .env.example lists every configuration key the code reads, each once, and nothing else.
// "Read by the code": a key of a zod schema in an env.ts (apps/*/src, packages/*/src) or a
// process.env.KEY read in one. Keys that the commands themselves set are not configuration.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Set by `npm run dev` / `pnpm start` / the test scripts, never by an operator. */
const SET_BY_THE_COMMANDS = new Set(["NODE_ENV"]);

function envFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "env.ts") found.push(full);
    }
  };
  for (const group of ["apps", "packages"]) {
    for (const workspace of readdirSync(path.join(ROOT, group), { withFileTypes: true })) {
      const src = path.join(ROOT, group, workspace.name, "src");
      if (existsSync(src)) walk(src);
    }
  }
  return found;
}

function keysReadByCode(): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const file of envFiles()) {
    const source = readFileSync(file, "utf8");
    const schemaKeys = [...source.matchAll(/^\s+([A-Z][A-Z0-9_]*)\s*:/gm)].map((m) => m[1]!);
    const directReads = [...source.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!);
    for (const key of [...schemaKeys, ...directReads]) {
      if (SET_BY_THE_COMMANDS.has(key)) continue;
      keys.set(key, [...(keys.get(key) ?? []), path.relative(ROOT, file)]);
    }
  }
  return keys;
}

const exampleKeys = [
  ...readFileSync(path.join(ROOT, ".env.example"), "utf8").matchAll(/^([A-Z][A-Z0-9_]*)=/gm),
].map((m) => m[1]!);

describe(".env.example", () => {
  it("finds the env.ts files (the check would be empty otherwise)", () => {
    const files = envFiles().map((file) => path.relative(ROOT, file));
    expect(files).toEqual(
      expect.arrayContaining(["apps/web/src/env.ts", "packages/auth/src/env.ts"]),
    );
    expect(keysReadByCode().size).toBeGreaterThan(20);
  });

  it("lists each key once", () => {
    const duplicates = exampleKeys.filter((key, index) => exampleKeys.indexOf(key) !== index);
    expect(duplicates).toEqual([]);
  });

  it("lists every key the code reads", () => {
    const listed = new Set(exampleKeys);
    const missing = [...keysReadByCode()]
      .filter(([key]) => !listed.has(key))
      .map(([key, files]) => `${key} (${files.join(", ")})`);
    expect(missing).toEqual([]);
  });

  it("lists no key that nothing reads", () => {
    const read = keysReadByCode();
    expect(exampleKeys.filter((key) => !read.has(key))).toEqual([]);
  });
});
