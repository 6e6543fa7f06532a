// A TCP proxy in front of PostgreSQL for tests that need a real network fault: a frozen link
// (nothing arrives, nothing closes: a half-open connection) or a connection cut right after
// the server committed a statement but before its answer reached the client (the case a
// retried write must survive without counting twice). Test tooling only.
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface PgFaultProxy {
  /** `databaseUrl` with host and port replaced by the proxy's. */
  url: string;
  /** Connections open through the proxy now. */
  readonly connections: number;
  /** Stops forwarding in both directions; sockets stay open. */
  freeze(): void;
  thaw(): void;
  /**
   * The next statement whose client bytes match `pattern` runs on the server, but its whole
   * answer is swallowed and the connection is cut once the server reports ReadyForQuery
   * (so the statement and its implicit transaction have finished). Resolves when cut.
   */
  cutAfterReply(pattern: RegExp): Promise<void>;
  /** Destroys every open connection. */
  closeAll(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  server: Socket;
  /** Server bytes not yet split into messages (only while watching for the cut). */
  pending: Buffer;
  swallowing: boolean;
}

export async function startPgFaultProxy(databaseUrl: string): Promise<PgFaultProxy> {
  const target = new URL(databaseUrl);
  const pairs = new Set<Pair>();
  let frozen = false;
  const frozenQueue: (() => void)[] = [];
  let armed: { pattern: RegExp; resolve: () => void } | null = null;

  const forward = (write: () => void) => {
    if (frozen) frozenQueue.push(write);
    else write();
  };

  const server: Server = createServer((client) => {
    const upstream = connect({ host: target.hostname, port: Number(target.port || 5432) });
    const pair: Pair = { client, server: upstream, pending: Buffer.alloc(0), swallowing: false };
    pairs.add(pair);
    const destroy = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", destroy).on("close", destroy);
    upstream.on("error", destroy).on("close", destroy);

    client.on("data", (chunk) => {
      if (armed && !pair.swallowing && armed.pattern.test(chunk.toString("latin1"))) {
        pair.swallowing = true;
      }
      forward(() => upstream.write(chunk));
    });
    upstream.on("data", (chunk) => {
      if (!pair.swallowing) {
        forward(() => client.write(chunk));
        return;
      }
      // Backend messages: 1 type byte + int32 length (including itself). Swallow everything
      // up to and including ReadyForQuery ('Z'), then cut.
      pair.pending = Buffer.concat([pair.pending, chunk]);
      while (pair.pending.length >= 5) {
        const length = pair.pending.readInt32BE(1);
        if (pair.pending.length < 1 + length) break;
        const type = String.fromCharCode(pair.pending[0]!);
        pair.pending = pair.pending.subarray(1 + length);
        if (type === "Z") {
          const done = armed;
          armed = null;
          destroy();
          done?.resolve();
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  const closeAll = () => {
    for (const pair of [...pairs]) {
      pair.client.destroy();
      pair.server.destroy();
    }
  };

  return {
    url: url.toString(),
    get connections() {
      return pairs.size;
    },
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const write of frozenQueue.splice(0)) write();
    },
    cutAfterReply(pattern) {
      return new Promise<void>((resolve) => {
        armed = { pattern, resolve };
      });
    },
    closeAll,
    async close() {
      closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
