// The repository stands on its own: a fresh clone with nothing beside it must pass `npm test`.
// This scans every file of the repository (code, tests, scripts, configuration; docs are
// exempt, they may name the design material) for a path that leads outside it: a relative
// path literal that climbs above the repository root from the file that holds it, or a
// reference to the reference material the project was written from (`../shared`,
// `/work/shared`, Stripe's `fixtures3.json`).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SELF = path.relative(ROOT, fileURLToPath(import.meta.url));

/** Names of outside material, however a path to it is written. */
const OUTSIDE_REFERENCES = [
  /(?:^|[^\w.-])\.\.\/(?:\.\.\/)*shared\//,
  /\/work\/(?:shared|main|wt)\b/,
  /\bfixtures3\.json\b/,
];
/** A quoted relative path that starts by climbing: "../x", '../../x', `../x`. */
const RELATIVE_LITERAL = /(["'`])((?:\.\.\/)+[^"'`\s$]*)\1/g;
const SKIPPED_DIRS = new Set(["node_modules", ".git", ".next", ".turbo", ".plinth", "dist"]);

/** Tracked files (git); a copy without .git (a release tarball) is walked instead. */
function repositoryFiles(): string[] {
  try {
    const out = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" });
    return out.split("\0").filter(Boolean);
  } catch {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        if (SKIPPED_DIRS.has(entry.name) || entry.name === "generated") continue;
        const relative = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(relative);
        else if (entry.isFile()) files.push(relative);
      }
    };
    walk("");
    return files;
  }
}

const isDocumentation = (file: string) => file.startsWith("docs/") || file.endsWith(".md");

/** Every place in `text` (a file at `file`) that points outside the repository. */
function outsideReferences(file: string, text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    for (const pattern of OUTSIDE_REFERENCES)
      if (pattern.test(line)) found.push(`${where}: ${line.trim()}`);
    for (const [, , literal = ""] of line.matchAll(RELATIVE_LITERAL)) {
      const target = path.resolve(ROOT, path.dirname(file), literal);
      if (path.relative(ROOT, target).startsWith("..")) found.push(`${where}: ${literal}`);
    }
  });
  return [...new Set(found)];
}

describe("the repository is self-contained", () => {
  it("no code, test, script or configuration file refers to a path outside the repository", () => {
    const files = repositoryFiles().filter((file) => file !== SELF && !isDocumentation(file));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((file) => {
      const content = readFileSync(path.join(ROOT, file));
      if (content.includes(0)) return []; // binary
      return outsideReferences(file, content.toString("utf8"));
    });
    expect(offenders).toEqual([]);
  });

  it("recognises the ways such a path is written (and leaves inside paths alone)", () => {
    const file = "packages/billing/test/stripe-server.ts";
    const outside = [
      `new URL("../../../../shared/stripe/fixtures3.json", import.meta.url)`,
      `readFileSync("../shared/stripe/x.json")`,
      `const dir = "/work/shared/stripe";`,
      `import x from '../../../../elsewhere/x.ts';`,
      "const p = `../../../../../etc/passwd`;",
    ];
    for (const line of outside) expect(outsideReferences(file, line), line).not.toEqual([]);
    const inside = [
      `import { createStripeClient } from "../src/stripe/client.ts";`,
      `new URL("../../../prisma/migrations", import.meta.url)`,
      `const shared = "a shared helper";`,
    ];
    for (const line of inside) expect(outsideReferences(file, line), line).toEqual([]);
  });
});
