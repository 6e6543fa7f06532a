// The Node.js half of instrumentation.ts, in its own file so the Edge bundle never sees its
// Node APIs (process.stderr, process.exit): the whole configuration is validated now, and a
// bad or missing key stops the server with a message naming it instead of failing every
// request that reads it. Then the request guard (405 for TRACE and unknown methods, 400 for
// undecodable paths) is installed.
import { demoBookingEnv } from "@plinth/demo-booking/env";
import { env } from "./env.ts";
import { installRequestGuard } from "./server/request-guard.ts";

export function startNodeServer() {
  try {
    env();
    // The /demo page's and the Calendly webhook's keys (all optional): a bad one stops the
    // server here rather than failing the page.
    demoBookingEnv();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  installRequestGuard();
}
