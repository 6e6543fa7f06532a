// The gateway app on a node:http server (@hono/node-server), for harnesses that run a gateway
// in their own process (the browser scenarios). main.ts does the same for the real process.
import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayRuntime } from "./runtime.ts";

export async function listen(runtime: GatewayRuntime): Promise<{ url: string; close(): void }> {
  const server = serve({ fetch: runtime.app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}
