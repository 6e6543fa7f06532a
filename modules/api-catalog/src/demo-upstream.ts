// The demo upstream for `npm run dev` (scripts/dev.ts starts it when the API catalog is on):
// a loopback HTTP server answering the demo catalog's endpoints (./demo.ts). It checks the
// product's upstream secret when one is sent, echoes the request id, and prices completions
// with an X-Usage-Units header (tokens). `pnpm --filter @plinth/api-catalog demo-upstream`.
import { createServer, type Server } from "node:http";
import { DEMO_UPSTREAM_SECRET } from "./demo.ts";
import { parseApiCatalogEnv } from "./env.ts";

export function createDemoUpstream(): Server {
  return createServer((request, response) => {
    const auth = request.headers.authorization;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, {
        "content-type": "application/json",
        "x-request-id": String(request.headers["x-request-id"] ?? ""),
        ...headers,
      });
      response.end(JSON.stringify(body));
    };
    if (auth !== undefined && auth !== `Bearer ${DEMO_UPSTREAM_SECRET}`) {
      return send(401, { error: "bad upstream secret" });
    }
    const url = new URL(request.url ?? "/", "http://demo");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const [first, second, third] = parts;
      if (request.method === "GET" && first === "geocode" && second) {
        let hash = 0;
        for (const char of second) hash = (hash * 31 + char.charCodeAt(0)) % 100_000;
        return send(200, { query: second, lat: (hash % 18_000) / 100 - 90, lon: hash / 277 - 180 });
      }
      if (request.method === "GET" && first === "reverse" && second && third) {
        return send(200, { lat: Number(second), lon: Number(third), place: "Somewhere" });
      }
      if (request.method === "POST" && first === "v1" && second === "complete") {
        let prompt = "";
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as unknown;
          if (typeof body === "object" && body && "prompt" in body) prompt = String(body.prompt);
        } catch {
          return send(400, { error: "not JSON" });
        }
        const tokens = prompt.split(/\s+/).filter(Boolean).length * 2 + 5;
        return send(
          200,
          { completion: `${prompt} … and so on.`, tokens },
          { "x-usage-units": String(tokens) },
        );
      }
      if (request.method === "GET" && first === "rates" && second) {
        return send(200, {
          base: second.toUpperCase(),
          rates: { EUR: 0.92, GBP: 0.79, JPY: 151.2 },
        });
      }
      return send(404, { error: "no such endpoint" });
    });
  });
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const port = parseApiCatalogEnv().DEMO_UPSTREAM_PORT;
  createDemoUpstream().listen(port, "127.0.0.1", () => {
    process.stdout.write(`demo upstream on http://127.0.0.1:${port}\n`);
  });
}
