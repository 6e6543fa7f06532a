// The product's WebSocket endpoints on the gateway's HTTP server (today: the voice-training
// practice socket at /practice/socket, @plinth/product/sockets). The gateway is a plain Node
// process, so a long-lived socket streaming audio never runs inside a Next route handler.
// Upgrades to any other path are refused with 404. `close()` ends the live sessions first.
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { billingRuntimeFromEnv, type BillingRuntime } from "@plinth/billing/stripe/client";
import type { Logger } from "@plinth/core/logger";
import type { Database } from "@plinth/db";
import type { ProductRuntime } from "@plinth/platform";
import { productSockets, type ProductSocketDeps } from "@plinth/product/sockets";

export interface SocketOptions {
  database: Database;
  product: ProductRuntime;
  logger: Logger;
  billing?: BillingRuntime;
  /** Overrides (tests): providers, timeouts. */
  overrides?: Partial<ProductSocketDeps>;
}

function refuse(socket: Duplex, status: string) {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachProductSockets(server: Server, options: SocketOptions) {
  const sockets = productSockets(options.product, {
    database: options.database,
    logger: options.logger.child({ component: "practice-socket" }),
    billing: () => options.billing ?? billingRuntimeFromEnv(),
    ...options.overrides,
  });
  const byPath = new Map(sockets.map((entry) => [entry.path, entry.server]));
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    let path: string;
    try {
      path = new URL(request.url ?? "/", "http://gateway").pathname;
    } catch {
      return refuse(socket, "400 Bad Request");
    }
    const target = byPath.get(path);
    if (!target) return refuse(socket, "404 Not Found");
    target.handleUpgrade(request, socket, head);
  });
  return {
    liveSessions: () => sockets.reduce((sum, entry) => sum + entry.server.liveSessions(), 0),
    close: () => Promise.all(sockets.map((entry) => entry.server.close())).then(() => undefined),
  };
}
