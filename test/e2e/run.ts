// Browser end-to-end tests (called by `pnpm test` after `next build`): a throw-away
// PostgreSQL (embedded, or a fresh database on the DATABASE_URL server) with the demo data,
// the built web app, then each scenario in Chromium. Every page a scenario visits is also
// checked with axe in light and dark mode (./browser.ts): a serious or critical violation
// fails the scenario. Screenshots go to test-results/screenshots/ (git-ignored).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import { databaseUrl } from "@plinth/db/testing";
import { installJobSchema } from "@plinth/jobs";
import { generateKeyEntry } from "@plinth/vault";
import { seed } from "../../prisma/seed.ts";
import { accessibility } from "./browser.ts";
import { runKeyboardOnly } from "./keyboard.ts";
import { runPagesAtViewports, SCREENSHOT_DIR } from "./pages.ts";
import { freePort, startWebServer } from "./server.ts";
import { runSignUpUpgrade } from "./signup-upgrade.ts";
import { runSignUpPlan } from "./sign-up-plan.ts";
import { runInvite } from "./invite.ts";
import { startOidcProvider } from "./oidc-provider.ts";
import { runVerifyEmail } from "./verify-email.ts";
import { runOidcSignIn } from "./oidc-sign-in.ts";
import { runBillingLocal } from "./billing-local.ts";
import { runOperatorConsole } from "./operator.ts";
import { runInviteSignUp } from "./invite-sign-up.ts";
import { runSecurity } from "./security.ts";
import { runLinkProvider } from "./link-provider.ts";
import { runBoundary } from "./boundary.ts";
import { runClientIp, TRUSTED_PROXY } from "./client-ip.ts";
import { runReturnPath } from "./return-path.ts";
import { runApiKeys } from "./api-keys.ts";
import { startGateway } from "./gateway.ts";
import { runWebhooks } from "./webhooks.ts";
import { runApiMarketplace } from "./api-marketplace.ts";
import { runAiTasks } from "./ai-tasks.ts";
import { runPractice } from "./practice.ts";
import { runNavigationSkeletons } from "./navigation.ts";

// The vault (webhook and upstream secrets, test environments' secrets, BYO keys): one
// throw-away key for this run, shared by the seed, the gateway, the web app and the workers.
process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

// The practice scenario starts a gateway on this port; the web app points browsers at it.
const practiceGatewayPort = await freePort();
import { runTestAutomation } from "./test-automation.ts";
import { runHosting } from "./hosting.ts";

const scenarios: [string, (baseUrl: string, setup: { databaseUrl: string }) => Promise<unknown>][] =
  [
    [
      "voice practice: fake microphone → live transcript over the gateway socket → end → feedback",
      (url, setup) => runPractice(url, { ...setup, gatewayPort: practiceGatewayPort }),
    ],
    ["sign-up → project → upgrade prompt → sign-out/in", (url) => runSignUpUpgrade(url)],
    [
      "sign-up with a paid plan: radio group → Pro → checkout step → verify → test-mode checkout → Pro",
      (url) => runSignUpPlan(url),
    ],
    [
      "Enterprise owner invites → teammate accepts in another browser context",
      (url, setup) => runInvite(url, setup),
    ],
    [
      "sign-up → verification email in the dev mailbox → verify → project",
      (url) => runVerifyEmail(url),
    ],
    ["sign in through OpenID Connect (local oidc-provider)", (url) => runOidcSignIn(url)],
    ["trial → billing → test-mode checkout → Pro → second project", (url) => runBillingLocal(url)],
    [
      "operator console: overview → failed job → retry; 404 for everyone else",
      (url, setup) => runOperatorConsole(url, setup),
    ],
    [
      "new invitee: mailbox link → sign-up from the invitation → back → accept → organization",
      (url, setup) => runInviteSignUp(url, setup),
    ],
    [
      "security: cross-site mutations refused, CSP nonce, headers, no CORS, cookie flags, no open redirect",
      (url, setup) => runSecurity(url, setup),
    ],
    [
      "link an SSO identity from the account page; refused for a second user; last method kept",
      (url, setup) => runLinkProvider(url, setup),
    ],
    [
      "boundary: session answer allow-listed, malformed cookies signed out, 405 for TRACE, pages and tRPC fuzzed without a 5xx",
      (url, setup) => runBoundary(url, setup),
    ],
    [
      "client IP from the socket; X-Forwarded-For only from the trusted proxy; mailbox loopback only",
      (url, setup) => runClientIp(url, setup),
    ],
    [
      "test-mode checkout: returnTo disguises stay on the site; malformed page parameters are 404",
      (url, setup) => runReturnPath(url, setup),
    ],
    [
      "API keys page: create (shown once) → GET /api/v1/projects through the app → rotate with grace → revoke → 401",
      (url) => runApiKeys(url),
    ],
    [
      "keyboard only: sign in, switch organization, create a project, search, confirm a delete",
      (url, setup) => runKeyboardOnly(url, setup),
    ],
    [
      "dashboard pages: data in the first HTML; a sidebar link shows the target's skeleton until its page arrives",
      (url) => runNavigationSkeletons(url),
    ],
    [
      "webhooks settings: add endpoint, secret once, test event in the log, rotate, delete",
      (url) => runWebhooks(url),
    ],
    [
      "API marketplace: operator adds an endpoint → payg key calls it → call and cost on the usage page → its invoice-preview line",
      (url, setup) => runApiMarketplace(url, setup),
    ],
    [
      "AI task: create a template → run it → tokens stream to the task page → result stored",
      (url, setup) => runAiTasks(url, setup),
    ],
    [
      "test automation: tests page, environment with a write-only secret, suite, test from the form, run page",
      (url) => runTestAutomation(url),
    ],
    [
      "managed hosting: Domains card (add → pending with its TXT record), failed workspace Retry, /admin/hosting by state and failed runs",
      (url, setup) => runHosting(url, setup),
    ],
    [
      "main pages at 375×812 and 1280×800 (no sideways scroll, navigation reachable), screenshots",
      (url) => runPagesAtViewports(url),
    ],
  ];

let serverUrl: string;
let stopDatabase = async () => {};
if (process.env.DATABASE_URL) {
  serverUrl = databaseUrl(process.env.DATABASE_URL, "postgres");
} else {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-e2e-pg-"));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  serverUrl = server.serverUrl;
  stopDatabase = async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

// Failed scenarios, repeated after the servers' logs so the end of the output (all a CI
// summary keeps) names what failed and why.
const failures: string[] = [];
try {
  const name = `plinth_e2e_${Date.now()}`;
  await ensureDatabase(serverUrl, name);
  const url = databaseUrl(serverUrl, name);
  await migrate(url);
  await installJobSchema(url); // emails are enqueued as jobs (no worker runs here)
  await seed(url); // the demo accounts and their history (the pages scenario signs in as them)
  // The local OpenID Connect provider starts first (on loopback): its client needs the web
  // app's callback URL, the web app needs its issuer.
  // The browser uses http://localhost:<port>, not 127.0.0.1: Next's NextRequest rewrites
  // 127.0.0.1 to "localhost" in request URLs, so Auth.js's OAuth redirect_uri would not match.
  const webPort = await freePort();
  const webUrl = `http://localhost:${webPort}`;
  const oidc = await startOidcProvider({ webUrl });
  // The public API, served through the web app's origin (GATEWAY_URL: server.ts forwards
  // /api/v1/* to it), as `npm run dev` serves it.
  const gateway = await startGateway({ databaseUrl: url }).catch(async (error: unknown) => {
    await oidc.stop();
    throw error;
  });
  const web = await startWebServer({
    databaseUrl: url,
    port: webPort,
    // 127.0.0.2 plays a reverse proxy in front of the app (client-ip.ts).
    env: {
      ...oidc.env,
      AUTH_URL: webUrl,
      APP_URL: webUrl,
      DEV_MAILBOX: "1",
      TRUSTED_PROXIES: TRUSTED_PROXY,
      GATEWAY_URL: gateway.url,
      PRACTICE_SOCKET_URL: `ws://localhost:${practiceGatewayPort}/practice/socket`,
    },
  }).catch(async (error: unknown) => {
    await gateway.stop();
    await oidc.stop();
    throw error;
  });
  try {
    // `pnpm tsx test/e2e/run.ts <words>`: only the scenarios whose title contains them; several
    // sets of words separated by commas (`… keyboard, main pages`) run each matching scenario.
    const only = process.argv
      .slice(2)
      .join(" ")
      .split(",")
      .map((words) => words.trim());
    for (const [title, scenario] of scenarios.filter(([title]) =>
      only.some((words) => title.includes(words)),
    )) {
      const started = Date.now();
      try {
        await scenario(webUrl, { databaseUrl: url });
        await accessibility.settle();
        const violations = accessibility.take();
        if (violations.length > 0) {
          throw new Error(
            `accessibility (axe, serious/critical):\n    ${violations.join("\n    ")}`,
          );
        }
        console.log(`  ✓ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        accessibility.take();
        const failure = `  ✗ ${title}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
        failures.push(failure);
        console.error(failure);
      }
    }
    console.log(
      `  accessibility: ${accessibility.checked.size} routes checked in light and dark mode; screenshots in ${SCREENSHOT_DIR}`,
    );
    if (failures.length > 0) {
      console.error(
        `── web app (last lines)\n${lastLines(web.output(), 150)}\n── gateway (last lines)\n${lastLines(gateway.output(), 50)}`,
      );
      console.error(`\n${failures.length} scenario(s) failed:\n${failures.join("\n")}`);
    }
  } finally {
    await web.stop();
    await gateway.stop();
    await oidc.stop();
  }
} finally {
  await stopDatabase();
}
process.exit(failures.length > 0 ? 1 : 0);

function lastLines(text: string, count: number): string {
  return text.split("\n").slice(-count).join("\n");
}
