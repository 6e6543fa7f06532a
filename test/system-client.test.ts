// The system (RLS-bypassing) client is reachable only through named places: request code asks
// `scope.asSystem("why")` with a reason, and `systemClient(database, "why")` — the one door
// out of a Database — appears only where the lint rule allows it (packages/config/
// boundaries.js). This scan keeps both true for code the lint rule cannot see (a re-export, a
// dynamic import) and makes every new use a visible change to the list below.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter(
      (file) =>
        !/(^|\/)(node_modules|\.next|test|bench|generated)\//.test(file) &&
        !file.endsWith(".test.ts"),
    );
}

const files = ["packages", "modules", "apps"].flatMap(sourceFiles);
/** A file's code without its comments (which mention these calls to explain them). */
const code = (file: string) =>
  readFileSync(path.join(root, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:])\/\/.*$/gm, "$1");
const uses = (pattern: RegExp) => files.filter((file) => pattern.test(code(file))).sort();

/** Where `systemClient(` may be called (outside scripts, seeds, benches and tests). */
const SYSTEM_CLIENT_CALLERS = [
  "apps/web/src/app/api/webhooks/stripe/route.ts", // Stripe webhook intake: no user, no tenant
  "apps/web/src/app/api/webhooks/razorpay/route.ts", // Razorpay webhook intake: no user, no tenant
  "apps/web/src/app/api/webhooks/calendly/route.ts", // Calendly webhook intake: public leads, no tenant
  "apps/web/src/server/api-keys.ts", // bearer keys of /api/trpc: looked up by hash, no tenant yet
  "apps/gateway/src/runtime.ts", // gateway: key lookup by hash, usage batches across tenants
  "packages/auth/src/config.ts", // Auth.js adapter: sessions and accounts, before any tenant
  "packages/auth/src/index.ts",
  "packages/core/src/scope.ts", // scope.asSystem(reason)
  "packages/db/src/client.ts", // the door itself
  "packages/db/src/testing.ts", // test databases (imported by tests only: @plinth/db/testing)
  "packages/platform/src/scope.ts",
];

/** Request code that steps out of row-level security, each with a reason. */
const AS_SYSTEM_CALLERS = [
  "modules/ai-tasks/src/service.ts", // the member's own AI preferences (User.preferences)
  "modules/api-catalog/src/analytics.ts", // operator analytics across tenants
  "modules/api-catalog/src/catalog.ts", // the operator's platform-level catalog tables
  // demo bookings: the public form's lead and its emails, the operator console's list (no tenant)
  "modules/demo-booking/src/service.ts",
  // workspaces as subscription items: the bound organization's own subscription (as the core
  // billing service reads it, through billingServiceDeps), by scope.organization.id only
  "modules/hosting/src/billing.ts",
  // custom domains: whether another organization holds a hostname verified (one holder; no
  // other field is read, nothing of the holder is answered)
  "modules/hosting/src/domains.ts",
  // the operator's hosting dashboard: every organization's workspaces and runs, and the retry
  "modules/hosting/src/operator.ts",
  "modules/voice-training/src/live.ts", // practice socket: the ticket's user, before any tenant
  "packages/platform/src/scope.ts", // an API key's organization: subscription state
  "packages/platform/src/services/account.ts",
  "packages/platform/src/services/billing.ts",
  "packages/platform/src/services/consents.ts", // the user's consent ledger (user data, no tenant)
  // The user's own data export requests (user data, no tenant; RLS on, no policy), by user id.
  "packages/platform/src/services/data-exports.ts",
  "packages/platform/src/services/operator.ts",
  "packages/platform/src/services/organizations.ts",
  // GDPR export: the user's rows in every organization (and the platform log), every module's
  "packages/platform/src/services/personal-data.ts",
  "packages/platform/src/services/sign-up.ts",
];

describe("the system client", () => {
  it("is taken with systemClient() only in the named places", () => {
    expect(
      uses(/\bsystemClient\(/).filter((file) => !SYSTEM_CLIENT_CALLERS.includes(file)),
    ).toEqual([]);
  });

  it("its pg pool is taken with systemPool() only by the gateway (usage batches) and the door", () => {
    expect(uses(/\bsystemPool\(/)).toEqual([
      "apps/gateway/src/runtime.ts",
      "packages/db/src/client.ts",
    ]);
  });

  it("is asked for with scope.asSystem() only by the listed services", () => {
    expect(uses(/\.asSystem\(/)).toEqual(AS_SYSTEM_CALLERS);
  });

  it("is always asked for with a reason", () => {
    for (const file of files) {
      const text = code(file);
      for (const call of text.matchAll(/\b(?:asSystem|systemClient)\(/g)) {
        const rest = text.slice(call.index, call.index + 240);
        // The definitions, and the one forwarding call (asSystem(reason) → systemClient).
        if (/^\w+\([^)]*:\s*\w+|^systemClient\(\s*\w+,\s*reason\s*\)/.test(rest)) continue;
        expect(rest.split("\n").slice(0, 3).join(" "), file).toMatch(
          /\(\s*[^;]*["'`][^"'`]{8,}["'`]/,
        );
      }
    }
  });
});
