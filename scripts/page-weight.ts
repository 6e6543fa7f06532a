// Page weight of the built web app, as a first-time visitor's browser sees it: for each main
// page, signed in (a fresh browser context per load, so nothing is cached), the JavaScript the
// page loads before its `load` event (uncompressed and as transferred, gzip) and the JavaScript
// it fetches after (lazy chunks, e.g. charts), and the largest contentful paint (median).
//
//   pnpm tsx scripts/page-weight.ts     # alone: throw-away database + seed, `next build`, the web server
//   npm run bench                        # its last section (same numbers)
// BENCH_SKIP_BUILD=1 reuses apps/web/.next; PAGE_WEIGHT_RUNS (default 5) loads per page;
// PAGE_WEIGHT_TRACE=<dir> writes a Chromium trace of each load there;
// PAGE_WEIGHT_PAGES=projects,billing measures only those; PAGE_WEIGHT_VERBOSE=1 lists each
// page's scripts (to see what a page carries).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { createDatabase, systemClient } from "@plinth/db";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { REPO_ROOT } from "@plinth/db/local-database";
import { DEMO_ACCOUNTS, DEMO_ADMIN } from "../prisma/seed.ts";

const RUNS = Number(process.env.PAGE_WEIGHT_RUNS ?? 5);
/** Budget of the issue that introduced the design system (docs/benchmarks.md). */
const BUDGET_GZIP_KB = 250;
const SESSION_COOKIE = "authjs.session-token";

interface PageToMeasure {
  name: string;
  path: string;
  /** Session token of the account the page is loaded as; null: signed out. */
  session: string | null;
}

export interface PageWeight {
  name: string;
  path: string;
  status: number;
  /** JavaScript loaded before the load event, in bytes. */
  jsBytes: number;
  jsGzipBytes: number;
  /** JavaScript fetched after the load event (lazy chunks), in bytes. */
  lazyJsBytes: number;
  lazyJsGzipBytes: number;
  lcpMs: number;
}

/** Sessions for the demo accounts a page is shown to (the cookie Auth.js sets on sign-in). */
export async function demoSessions(databaseUrl: string) {
  const db = createDatabase(databaseUrl, { poolMax: 2 });
  const system = systemClient(db, "e2e: fixtures and checks");
  try {
    const session = async (email: string) => {
      const user = await system.user.findUniqueOrThrow({
        where: { email },
        include: { memberships: { include: { organization: true } } },
      });
      const sessionToken = randomBytes(32).toString("hex");
      await system.session.create({
        data: { sessionToken, userId: user.id, expires: new Date(Date.now() + 86_400_000) },
      });
      return { token: sessionToken, slug: user.memberships[0]?.organization.slug ?? "" };
    };
    return {
      pro: await session(DEMO_ACCOUNTS[1].email),
      enterprise: await session(DEMO_ACCOUNTS[2].email),
      hybrid: await session(DEMO_ACCOUNTS[4].email),
      admin: await session(DEMO_ADMIN.email),
    };
  } finally {
    await db.disconnect();
  }
}

export function mainPages(sessions: Awaited<ReturnType<typeof demoSessions>>): PageToMeasure[] {
  const { pro, enterprise, hybrid, admin } = sessions;
  const only = process.env.PAGE_WEIGHT_PAGES?.split(",");
  const pages: PageToMeasure[] = [
    { name: "sign-in (signed out)", path: "/sign-in", session: null },
    { name: "projects", path: `/o/${pro.slug}/projects`, session: pro.token },
    { name: "members", path: `/o/${enterprise.slug}/members`, session: enterprise.token },
    { name: "billing (usage charts)", path: `/o/${hybrid.slug}/billing`, session: hybrid.token },
    { name: "settings", path: `/o/${pro.slug}/settings`, session: pro.token },
    { name: "audit log", path: `/o/${enterprise.slug}/audit`, session: enterprise.token },
    { name: "runs", path: `/o/${pro.slug}/runs`, session: pro.token },
    { name: "account", path: "/account", session: pro.token },
    { name: "operator overview (charts)", path: "/admin", session: admin.token },
    { name: "operator organizations", path: "/admin/organizations", session: admin.token },
  ];
  return only ? pages.filter((page) => only.some((name) => page.name.startsWith(name))) : pages;
}

export async function measurePages(
  browser: Browser,
  baseUrl: string,
  pages: PageToMeasure[],
  runs = RUNS,
): Promise<PageWeight[]> {
  const results: PageWeight[] = [];
  for (const target of pages) {
    const lcps: number[] = [];
    let last: Omit<PageWeight, "lcpMs"> | null = null;
    // One warm-up load (the server compiles nothing, but its caches and the OS's warm up).
    for (let run = 0; run <= runs; run++) {
      const measured = await loadOnce(browser, baseUrl, target);
      if (run === 0) continue;
      lcps.push(measured.lcpMs);
      last = measured;
    }
    lcps.sort((a, b) => a - b);
    results.push({ ...last!, lcpMs: lcps[Math.floor(lcps.length / 2)]! });
  }
  return results;
}

async function loadOnce(browser: Browser, baseUrl: string, target: PageToMeasure) {
  const context = await browser.newContext({ baseURL: baseUrl });
  if (target.session) {
    await context.addCookies([
      {
        name: SESSION_COOKIE,
        value: target.session,
        url: baseUrl,
        httpOnly: true,
        sameSite: "Lax",
      },
    ]);
  }
  const page = await context.newPage();
  await page.addInitScript(() => {
    const state = window as unknown as {
      __lcp: number;
      __lcpElement: string;
      __longTasks: { start: number; duration: number }[];
    };
    state.__lcp = 0;
    state.__lcpElement = "";
    state.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        state.__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: "longtask", buffered: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        state.__lcp = entry.startTime;
        const element = (entry as PerformanceEntry & { element?: Element | null }).element;
        state.__lcpElement = element
          ? `${element.tagName.toLowerCase()} "${(element.textContent ?? "").trim().slice(0, 40)}"`
          : "";
      }
    }).observe({ type: "largest-contentful-paint", buffered: true });
  });
  let loaded = false;
  const scripts: Promise<{ url: string; bytes: number; gzip: number; lazy: boolean }>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script") return;
    const lazy = loaded;
    scripts.push(
      (async () => {
        const [body, sizes] = await Promise.all([response.body(), response.request().sizes()]);
        return { url: response.url(), bytes: body.length, gzip: sizes.responseBodySize, lazy };
      })(),
    );
  });
  // PAGE_WEIGHT_TRACE=<dir>: a Chromium performance trace of each load (open it in DevTools'
  // Performance panel) — what the main thread did before the first paint.
  const traceDir = process.env.PAGE_WEIGHT_TRACE;
  if (traceDir)
    await browser.startTracing(page, {
      path: path.join(traceDir, `${target.name.replace(/\W+/g, "-")}-${Date.now()}.json`),
      categories: ["devtools.timeline", "loading", "blink.user_timing", "v8.execute"],
    });
  const response = await page.goto(target.path, { waitUntil: "load" });
  loaded = true;
  await page.waitForLoadState("networkidle");
  if (traceDir) await browser.stopTracing();
  const lcpMs = await page.evaluate(() => (window as unknown as { __lcp: number }).__lcp);
  if (process.env.PAGE_WEIGHT_VERBOSE === "1") {
    // Where the LCP goes: the server's first byte, the HTML's end, the first paint, the element.
    const timing = await page.evaluate(() => {
      const [navigation] = performance.getEntriesByType(
        "navigation",
      ) as PerformanceNavigationTiming[];
      const paint = performance.getEntriesByName("first-contentful-paint")[0];
      const fcp = paint?.startTime ?? 0;
      const css = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
        .filter((entry) => entry.name.endsWith(".css"))
        .reduce((end, entry) => Math.max(end, entry.responseEnd), 0);
      // Main-thread work (script evaluation, hydration) that ran before the first paint.
      const blocking = (
        window as unknown as { __longTasks: { start: number; duration: number }[] }
      ).__longTasks.filter((task) => task.start < fcp);
      return {
        css,
        longTasks: blocking.length,
        longTaskMs: blocking.reduce((total, task) => total + task.duration, 0),
        ttfb: navigation?.responseStart ?? 0,
        htmlEnd: navigation?.responseEnd ?? 0,
        domContentLoaded: navigation?.domContentLoadedEventEnd ?? 0,
        fcp,
        element: (window as unknown as { __lcpElement: string }).__lcpElement,
      };
    });
    console.log(
      `  ${target.name}: ttfb ${timing.ttfb.toFixed(0)} html ${timing.htmlEnd.toFixed(0)} css ${timing.css.toFixed(0)} long tasks before fcp ${timing.longTasks} (${timing.longTaskMs.toFixed(0)} ms) fcp ${timing.fcp.toFixed(0)} dcl ${timing.domContentLoaded.toFixed(0)} lcp ${lcpMs.toFixed(0)} ms — ${timing.element}`,
    );
  }
  const sizes = await Promise.all(scripts);
  await context.close();
  if (process.env.PAGE_WEIGHT_VERBOSE === "1") {
    for (const script of sizes.sort((a, b) => b.gzip - a.gzip)) {
      console.log(
        `  ${target.name}: ${(script.gzip / 1024).toFixed(1).padStart(6)} KB gz ${script.lazy ? "lazy " : ""}${new URL(script.url).pathname}`,
      );
    }
  }
  const sum = (lazy: boolean, key: "bytes" | "gzip") =>
    sizes.filter((s) => s.lazy === lazy).reduce((total, s) => total + s[key], 0);
  return {
    name: target.name,
    path: target.path,
    status: response?.status() ?? 0,
    jsBytes: sum(false, "bytes"),
    jsGzipBytes: sum(false, "gzip"),
    lazyJsBytes: sum(true, "bytes"),
    lazyJsGzipBytes: sum(true, "gzip"),
    lcpMs,
  };
}

export function printPageWeights(results: PageWeight[]): void {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  console.log(
    `\nFirst-load JavaScript per page (production server, Chromium, fresh context per load; LCP median of ${RUNS})`,
  );
  console.log(
    "page".padEnd(30),
    "status".padStart(6),
    "JS KB".padStart(8),
    "gzip KB".padStart(8),
    "lazy KB".padStart(8),
    "lazy gz".padStart(8),
    "LCP ms".padStart(7),
  );
  for (const r of results) {
    console.log(
      r.name.padEnd(30),
      String(r.status).padStart(6),
      kb(r.jsBytes).padStart(8),
      kb(r.jsGzipBytes).padStart(8),
      kb(r.lazyJsBytes).padStart(8),
      kb(r.lazyJsGzipBytes).padStart(8),
      r.lcpMs.toFixed(0).padStart(7),
    );
  }
  const over = results.filter((r) => r.jsGzipBytes / 1024 > BUDGET_GZIP_KB);
  console.log(
    over.length === 0
      ? `every page within the budget of ${BUDGET_GZIP_KB} KB gzip first-load JS`
      : `over the ${BUDGET_GZIP_KB} KB gzip budget: ${over.map((r) => r.name).join(", ")}`,
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** The section `npm run bench` runs against its own server and (seeded) database. */
export async function pageWeightSection(baseUrl: string, databaseUrl: string): Promise<void> {
  const sessions = await demoSessions(databaseUrl);
  const browser = await launchChromium();
  try {
    printPageWeights(await measurePages(browser, baseUrl, mainPages(sessions)));
  } finally {
    await browser.close();
  }
}

// Run alone: its own database, build and server.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { migrate } = await import("@plinth/db/migrate");
  const { installJobSchema } = await import("@plinth/jobs");
  const { seed } = await import("../prisma/seed.ts");
  const PORT = Number(process.env.PAGE_WEIGHT_PORT ?? 3110);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-weight-pg-"));
  const server = process.env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir, persistent: false });
  const databaseUrl = process.env.DATABASE_URL ?? server!.urlFor("plinth_weight");
  if (server) await ensureDatabase(server.serverUrl, "plinth_weight");
  let web: ReturnType<typeof spawn> | null = null;
  try {
    await migrate(databaseUrl);
    await installJobSchema(databaseUrl);
    await seed(databaseUrl);
    if (
      process.env.BENCH_SKIP_BUILD !== "1" ||
      !existsSync(path.join(REPO_ROOT, "apps/web/.next/BUILD_ID"))
    ) {
      await run("pnpm", ["--filter", "@plinth/web", "build"]);
    }
    // What `pnpm --filter @plinth/web start` runs, started directly (so SIGTERM reaches it).
    web = spawn(process.execPath, ["server.mjs"], {
      cwd: path.join(REPO_ROOT, "apps/web"),
      env: {
        ...process.env,
        PORT: String(PORT),
        HOST: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        AUTH_SECRET: "page-weight-secret",
        AUTH_URL: `http://localhost:${PORT}`,
        AUTH_TRUST_HOST: "true",
        // Required in production (signs data export links): a fixed key, not for production.
        DATA_EXPORT_LINK_SECRET: "page-weight-data-export-links-not-for-production",
        NODE_ENV: "production",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await waitFor(`http://localhost:${PORT}/api/health`);
    await pageWeightSection(`http://localhost:${PORT}`, databaseUrl);
  } finally {
    web?.kill("SIGTERM");
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function waitFor(url: string) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // starting
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up`);
}

function run(command: string, args: string[]) {
  return new Promise<void>((resolve, reject) => {
    spawn(command, args, { cwd: REPO_ROOT, stdio: "inherit" }).on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}`)),
    );
  });
}
