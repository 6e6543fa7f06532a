// A real worker (apps/worker's startWorker) in its own process, for the scenarios that need
// one: `node --import tsx worker-child.ts <database-url>`. Its own process so each scenario's
// worker reads its own environment — @plinth/ai and the voice settings read theirs once per
// process, and an earlier scenario's worker would otherwise have fixed them for a later one.
import { createLogger } from "@plinth/core/logger";
import { startWorker } from "../../apps/worker/src/worker.ts";

const databaseUrl = process.argv[2];
if (!databaseUrl) throw new Error("usage: worker-child.ts <database-url>");

const worker = await startWorker({
  databaseUrl,
  concurrency: 2,
  pollIntervalMs: 200,
  cron: null,
  logger: createLogger({ level: "warn" }),
});
process.once("SIGTERM", () => {
  void worker.stop("SIGTERM").then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
process.stdout.write("WORKER_READY\n");
