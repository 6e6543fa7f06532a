// The local target the engine's tests (and the bench) run against: node:http on loopback with
// endpoints that pass, fail, are slow, flake, hang, set headers and cookies, return JSON, echo
// what they got, and serve small HTML pages for the browser runner.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface TargetServer {
  url: string;
  server: Server;
  /** Requests seen per path (without the query). */
  hits: Map<string, number>;
  /** The most /slow requests of one `tag` in flight at once. */
  maxSlowInFlight(tag: string): number;
  close(): Promise<void>;
}

const FORM_PAGE = `<!doctype html>
<html lang="en"><head><title>Sign up</title></head>
<body>
  <h1>Sign up</h1>
  <form action="/html/done" method="get">
    <label>Name <input name="name" id="name"></label>
    <label>Plan <select name="plan" id="plan"><option value="trial">Trial</option><option value="pro">Pro</option></select></label>
    <button type="submit" id="submit">Create</button>
  </form>
  <p id="late" hidden>Loaded late</p>
  <script>setTimeout(() => { document.getElementById("late").hidden = false; }, 300);</script>
</body></html>`;

function donePage(query: URLSearchParams): string {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><title>Done</title></head><body>
  <h1 id="greeting">Welcome, ${escape(query.get("name") ?? "")}</h1>
  <p id="plan">Plan: ${escape(query.get("plan") ?? "")}</p></body></html>`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

export async function startTargetServer(): Promise<TargetServer> {
  const hits = new Map<string, number>();
  const flakyCounts = new Map<string, number>();
  const slowInFlight = new Map<string, { now: number; max: number }>();
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://target");
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    switch (url.pathname) {
      case "/ok":
        return json(
          response,
          200,
          { status: "ok", user: { id: 42, name: "Ada" }, tags: ["a", "b"] },
          { "x-request-id": "req-1" },
        );
      case "/fail":
        return json(response, 500, { error: "boom" });
      case "/text":
        response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        return response.end("hello plain world");
      case "/slow": {
        const ms = Number(url.searchParams.get("ms") ?? "200");
        const tag = url.searchParams.get("tag") ?? "";
        const counter = slowInFlight.get(tag) ?? { now: 0, max: 0 };
        slowInFlight.set(tag, counter);
        counter.now += 1;
        counter.max = Math.max(counter.max, counter.now);
        await new Promise((resolve) => setTimeout(resolve, ms));
        counter.now -= 1;
        return json(response, 200, { slept: ms });
      }
      case "/hang":
        return; // never answers; the client's deadline or cancellation must end it
      case "/flaky": {
        // Fails the first `failTimes` calls of each key, then passes.
        const key = url.searchParams.get("key") ?? "default";
        const failTimes = Number(url.searchParams.get("failTimes") ?? "1");
        const seen = (flakyCounts.get(key) ?? 0) + 1;
        flakyCounts.set(key, seen);
        return seen <= failTimes
          ? json(response, 503, { attempt: seen })
          : json(response, 200, { attempt: seen });
      }
      case "/login": {
        const body = JSON.parse((await readBody(request)) || "{}") as {
          user?: string;
          password?: string;
        };
        if (body.password !== "hunter2-secret-password")
          return json(response, 401, { error: "bad password" });
        return json(
          response,
          200,
          { token: `tok-${body.user ?? "anon"}`, expiresIn: 3600 },
          { "set-cookie": "session=sess-abc; HttpOnly; Path=/", "x-token-id": "tid-7" },
        );
      }
      case "/me": {
        const auth = request.headers.authorization ?? "";
        if (!auth.startsWith("Bearer tok-")) return json(response, 401, { error: "no token" });
        return json(response, 200, {
          user: auth.slice("Bearer tok-".length),
          cookie: request.headers.cookie ?? null,
        });
      }
      case "/echo": {
        // Sends back everything it received: the secret-masking tests rely on the echo.
        const body = await readBody(request);
        return json(
          response,
          200,
          { method: request.method, url: request.url, headers: request.headers, body },
          {
            "x-echo-auth": request.headers.authorization ?? "",
          },
        );
      }
      case "/big": {
        const bytes = Number(url.searchParams.get("bytes") ?? "1000");
        response.writeHead(200, { "content-type": "text/plain" });
        return response.end("x".repeat(bytes));
      }
      case "/html/form":
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return response.end(FORM_PAGE);
      case "/html/done":
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return response.end(donePage(url.searchParams));
      case "/bench":
        response.writeHead(200, { "content-type": "application/json", "content-length": "11" });
        return response.end('{"ok":true}');
      default:
        return json(response, 404, { error: "not found" });
    }
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    hits,
    maxSlowInFlight: (tag) => slowInFlight.get(tag)?.max ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
