// Starts the built web app (apps/web/server.mjs in production mode, as `pnpm start` does; the
// caller has run `next build`) on 127.0.0.1 and a free port, and waits until /api/health
// answers. Reusable by every browser test.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const WEB_DIR = fileURLToPath(new URL("../../apps/web/", import.meta.url));

export interface WebServer {
  url: string;
  port: number;
  /** Captured stdout/stderr of the server (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartWebServerOptions {
  databaseUrl: string;
  port?: number;
  /** Extra environment (e.g. feature flags); AUTH_SECRET defaults to a test value. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startWebServer(options: StartWebServerOptions): Promise<WebServer> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["server.mjs"], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      AUTH_SECRET: "e2e-test-secret-not-for-production-0123456789",
      // Plain http on 127.0.0.1: cookies without the Secure flag (see @plinth/auth config).
      AUTH_URL: url,
      // Links in emails point at this server; the dev mailbox is served (no SMTP here).
      APP_URL: url,
      DEV_MAILBOX: "1",
      // The vault's key (webhook signing secrets): a fixed test key, not for production.
      ENCRYPTION_KEYS:
        process.env.ENCRYPTION_KEYS ?? "v1:ZTJlLXRlc3Qta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE=",
      // Signs data export download links (required in production): a fixed test key.
      DATA_EXPORT_LINK_SECRET: "e2e-data-export-links-not-for-production-0123",
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the web server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`web server did not become healthy in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, port, output: () => output, stop };
}
