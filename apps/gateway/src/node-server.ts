// The gateway on a node:http server (the fast path, falling back to the Hono app), for
// harnesses that run a gateway in their own process (the browser scenarios, the tests that
// compare both paths). main.ts does the same for the real process.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayRuntime } from "./runtime.ts";

export async function listen(
  runtime: Pick<GatewayRuntime, "requestListener">,
): Promise<{ url: string; server: Server; close(): void }> {
  const server = createServer(runtime.requestListener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () => server.close(),
  };
}
