// GET /healthz: database reachability and queue depth. 200 when the database answers, else 503.
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { type PrismaClient } from "@plinth/db";
import { queueStats } from "@plinth/jobs";

export interface HealthReport {
  status: "ok" | "unavailable";
  database: "reachable" | "unreachable";
  worker: { running: boolean; concurrency: number };
  queue?: {
    depth: number;
    running: number;
    scheduled: number;
    failed: number;
    oldestWaitingSeconds: number;
  };
  error?: string;
}

export async function healthReport(
  prisma: PrismaClient,
  worker: { running: boolean; concurrency: number },
  timeoutMs = 2_000,
): Promise<HealthReport> {
  try {
    const stats = await Promise.race([
      queueStats(prisma),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("database timed out")), timeoutMs).unref(),
      ),
    ]);
    return {
      status: "ok",
      database: "reachable",
      worker,
      queue: {
        depth: stats.waiting,
        running: stats.running,
        scheduled: stats.scheduled,
        failed: stats.failed,
        oldestWaitingSeconds: stats.oldestWaitingSeconds,
      },
    };
  } catch (error) {
    return {
      status: "unavailable",
      database: "unreachable",
      worker,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export async function startHealthServer(
  port: number,
  report: () => Promise<HealthReport>,
  host?: string,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || (path !== "/healthz" && path !== "/health")) {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: "not found" }));
      return;
    }
    report().then(
      (body) => {
        res
          .writeHead(body.database === "reachable" ? 200 : 503, {
            "content-type": "application/json",
            "cache-control": "no-store",
          })
          .end(JSON.stringify(body));
      },
      (error: unknown) => {
        res
          .writeHead(503, { "content-type": "application/json" })
          .end(JSON.stringify({ status: "unavailable", error: String(error) }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
