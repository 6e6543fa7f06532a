// A local target for test runs (loopback node:http): endpoints that pass, fail, are slow,
// flake (fail the first call per key, then pass), hang, echo what they got, check a bearer
// token, and a small HTML page for browser tests. Used by this module's tests, the worker's
// end-to-end tests, the gateway's CI test and the bench.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Target {
  url: string;
  hits: Map<string, number>;
  /** The most /slow requests of one `tag` (query parameter) in flight at once. */
  maxSlowInFlight(tag: string): number;
  close(): Promise<void>;
}

const PAGE = `<!doctype html><html lang="en"><head><title>Shop</title></head><body>
<h1>Shop</h1><label>Name <input id="name"></label><button id="go" onclick="document.getElementById('out').textContent='Hello, '+document.getElementById('name').value">Go</button>
<p id="out"></p></body></html>`;

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(text);
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startTarget(options: { token?: string } = {}): Promise<Target> {
  const hits = new Map<string, number>();
  const flaky = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://target");
      hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
      const text = await body(request);
      switch (url.pathname) {
        case "/pass":
          return json(
            response,
            200,
            { ok: true, id: 42, items: ["a", "b"], name: "Widget" },
            { "x-request-id": "r-1" },
          );
        case "/fail":
          return json(response, 500, { ok: false, error: "boom" });
        case "/slow": {
          const ms = Number(url.searchParams.get("ms") ?? "200");
          const tag = url.searchParams.get("tag") ?? "";
          const now = (inFlight.get(tag) ?? 0) + 1;
          inFlight.set(tag, now);
          maxInFlight.set(tag, Math.max(maxInFlight.get(tag) ?? 0, now));
          await new Promise((resolve) => setTimeout(resolve, ms));
          inFlight.set(tag, (inFlight.get(tag) ?? 1) - 1);
          return json(response, 200, { ok: true, waited: ms });
        }
        case "/hang":
          return; // never answers
        case "/flaky": {
          const key = url.searchParams.get("key") ?? "default";
          const count = (flaky.get(key) ?? 0) + 1;
          flaky.set(key, count);
          return count === 1
            ? json(response, 503, { ok: false })
            : json(response, 200, { ok: true });
        }
        case "/login":
          return json(response, 200, { token: "session-abc", user: { id: 7 } });
        case "/me": {
          const auth = request.headers.authorization ?? "";
          const ok = options.token
            ? auth === `Bearer ${options.token}`
            : auth.startsWith("Bearer ");
          return ok
            ? json(response, 200, { id: 7, echo: auth })
            : json(response, 401, { error: "no" });
        }
        case "/echo":
          return json(response, 200, {
            method: request.method,
            headers: request.headers,
            body: text,
            query: url.search,
          });
        case "/page":
          response.writeHead(200, { "content-type": "text/html" });
          return response.end(PAGE);
        default:
          return json(response, 404, { error: "not found" });
      }
    })();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    maxSlowInFlight: (tag) => maxInFlight.get(tag) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
