// Gateway processes for tests and benches: `tsx src/main.ts` with its own environment, the
// port read from its GATEWAY_READY line (GATEWAY_PORT=0 picks a free one).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const APP_DIR = path.resolve(import.meta.dirname, "..");

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: APP_DIR,
    env: {
      ...process.env,
      GATEWAY_PORT: "0",
      GATEWAY_HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      NODE_ENV: "test",
      PLINTH_PRODUCT: "all",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /GATEWAY_READY (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`gateway exited (${code}): ${output}`)));
    setTimeout(() => reject(new Error(`gateway did not start: ${output}`)), 60_000).unref();
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    exited,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
