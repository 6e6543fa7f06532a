// Starts the public API gateway (apps/gateway, `tsx src/main.ts` as `pnpm start` does) on
// 127.0.0.1 and a free port, and waits until /api/v1/health answers. The web server forwards
// /api/v1/* to it (GATEWAY_URL, apps/web/server.ts), so scenarios call the API through the
// app's own origin, as `npm run dev` serves it.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "./server.ts";

const GATEWAY_DIR = fileURLToPath(new URL("../../apps/gateway/", import.meta.url));

export interface GatewayServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startGateway(options: {
  databaseUrl: string;
  timeoutMs?: number;
}): Promise<GatewayServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: GATEWAY_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: "127.0.0.1",
      REDIS_URL: "",
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
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the gateway exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the gateway did not become healthy in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, output: () => output, stop };
}
