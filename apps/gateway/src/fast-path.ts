// The fast path: the hot requests — authenticated (Bearer) GETs of module routes and of the
// modules' gateway extensions (catalog proxy endpoints) — served on bare node:http with the
// pipeline as plain functions (./pipeline.ts, the same ones the Hono app runs): verify →
// organization → rate limit → API access → route scope → query/params → quota → handler →
// one `writeHead(status, headers)` + `end(body)` → metrics and the usage event. No Fetch
// Request/Response, no Hono context, no undici Headers. An extension gets the
// IncomingMessage's own headers, and a streamed answer (a proxied upstream's body) is piped
// to the socket as it arrives (./extension-io.ts).
//
// Everything else goes to the Hono app unchanged: other methods (POST with Idempotency-Key,
// PATCH, DELETE), public paths (health, openapi.json, docs), requests without a Bearer
// header, paths the fast path would have to normalize (percent-escapes, dot segments, empty
// segments), routes with a body, and any authenticated GET that matches no route (Hono's
// 404, after its own rate limit). Sockets (upgrade) never reach a request listener.
import type {
  IncomingMessage,
  OutgoingHttpHeaders,
  RequestListener,
  ServerResponse,
} from "node:http";
import { getQueryParam } from "hono/utils/url";
import type { Logger } from "@plinth/core/logger";
import {
  GatewayProblem,
  type GatewayExtension,
  type GatewayMatch,
  type GatewayResponse,
  type HttpRoute,
} from "@plinth/platform/http";
import { pipeToClient } from "./extension-io.ts";
import {
  claimForExtension,
  gatewayCall,
  gatewayProblemDetails,
  gatewayProblemHeaders,
  meterExtensionAnswer,
} from "./extensions.ts";
import {
  API_PREFIX,
  bearerOf,
  isPublicPath,
  normalizeIp,
  problemAnswer,
  type Answer,
  type GatewayPipeline,
  type Metered,
  type RequestState,
  type RouteInput,
} from "./pipeline.ts";

export interface FastPathOptions {
  pipeline: GatewayPipeline;
  routes: readonly HttpRoute[];
  extensions: readonly GatewayExtension[];
  logger: Logger;
  /** Every request the fast path does not take: the Hono app's listener. */
  fallback: RequestListener;
}

/**
 * Paths taken as they are: /api/v1 then non-empty segments of unreserved and sub-delimiter
 * characters, none starting with a dot — nothing a URL parser would rewrite or decode, so the
 * path matched here is the path Hono would match.
 */
const PLAIN_PATH = /^\/api\/v1(?:\/[\w~!$&'()*+,;=:@-][\w.~!$&'()*+,;=:@-]*)+$/;

interface CompiledRoute {
  route: HttpRoute;
  pattern: RegExp;
  names: readonly string[];
}

/** "/projects/{id}" → /^\/api\/v1\/projects\/([^/]+)$/ with its parameter names. */
function compile(route: HttpRoute): CompiledRoute {
  const names: string[] = [];
  const source = `${API_PREFIX}${route.path}`
    .split(/(\{\w+\})/)
    .map((piece) => {
      const name = /^\{(\w+)\}$/.exec(piece)?.[1];
      if (name) {
        names.push(name);
        return "([^/]+)";
      }
      return piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { route, pattern: new RegExp(`^${source}$`), names };
}

export function createFastPath(options: FastPathOptions): RequestListener {
  const { pipeline, extensions, fallback, logger } = options;
  // Registration order, as Hono matches them.
  const getRoutes = options.routes.filter((route) => route.method === "GET").map(compile);

  function matchRoute(path: string) {
    for (const compiled of getRoutes) {
      const found = compiled.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      compiled.names.forEach((name, index) => (params[name] = found[index + 1] ?? ""));
      return { route: compiled.route, params };
    }
    return null;
  }

  async function serve(req: IncomingMessage, res: ServerResponse, path: string, bearer: string) {
    const url = req.url ?? path;
    const state = pipeline.start("GET", header(req, "x-request-id"), clientIp(req));
    let answer: Answer | GatewayResponse;
    try {
      const verified = await pipeline.verify(state, bearer);
      if (!verified) return write(res, state, await refusedKey(state));
      const target = matchTarget(path, verified.organizationId);
      if (!target) return fallback(req, res);
      const metered = await pipeline.admitKey(state, verified, header(req, "user-agent") ?? null);
      if (target.kind === "extension") {
        claimForExtension(state, metered, target.found);
        answer = await extensionAnswer(req, path, url, state, metered, target);
      } else {
        answer = await routeAnswer(url, state, target.route, target.params);
      }
    } catch (error) {
      answer = pipeline.errorAnswer(state, error);
    }
    write(res, state, answer);
  }

  /** An extension's request first (as Hono mounts them before the routes), then a GET route. */
  function matchTarget(path: string, organizationId: string) {
    for (const extension of extensions) {
      const found = extension.match("GET", path, organizationId);
      if (found) return { kind: "extension" as const, extension, found };
    }
    const routed = matchRoute(path);
    // A GET with a body schema is read by Hono (the fast path never reads a body).
    return routed && !routed.route.body ? { kind: "route" as const, ...routed } : null;
  }

  /** No valid key: the per-IP limit and the 401, answered. */
  async function refusedKey(state: RequestState): Promise<Answer> {
    try {
      return await pipeline.refuseKey(state);
    } catch (error) {
      return pipeline.errorAnswer(state, error);
    }
  }

  async function routeAnswer(
    url: string,
    state: RequestState,
    route: HttpRoute,
    params: Record<string, string>,
  ): Promise<Answer> {
    const metered = pipeline.authorizeRoute(state, route);
    const input: RouteInput = { params: undefined, query: undefined, body: undefined };
    if (route.params) {
      const parsed = pipeline.parsePart(state, "params", route.params, params);
      if (!parsed.ok) return parsed.answer;
      input.params = parsed.value;
    }
    if (route.query) {
      // Hono's own query parser (c.req.query()), so both paths read the same values.
      const parsed = pipeline.parsePart(
        state,
        "query",
        route.query,
        getQueryParam(`http://h${url}`),
      );
      if (!parsed.ok) return parsed.answer;
      input.query = parsed.value;
    }
    return pipeline.runRoute(state, route, metered, input);
  }

  async function extensionAnswer(
    req: IncomingMessage,
    path: string,
    url: string,
    state: RequestState,
    metered: Metered,
    { extension, found }: { extension: GatewayExtension; found: GatewayMatch },
  ): Promise<Answer | GatewayResponse> {
    try {
      const query = url.indexOf("?");
      const request = {
        method: "GET",
        path,
        query: query === -1 ? "" : url.slice(query + 1),
        headers: req.headers,
        body: null,
      };
      const answer = await extension.handle(found, request, gatewayCall(state, metered));
      meterExtensionAnswer(metered, answer);
      return answer.response;
    } catch (error) {
      if (error instanceof GatewayProblem) {
        return problemAnswer(
          gatewayProblemDetails(error, state.requestId),
          gatewayProblemHeaders(error),
        );
      }
      return pipeline.errorAnswer(state, error);
    }
  }

  /** The one write: status and every header at once, then the body (or its stream). */
  function write(res: ServerResponse, state: RequestState, answer: Answer | GatewayResponse) {
    const headers: OutgoingHttpHeaders = { ...answer.headers, ...pipeline.closingHeaders(state) };
    const { body } = answer;
    if (body === null || typeof body === "string" || body instanceof Uint8Array) {
      if (body !== null) headers["content-length"] = String(Buffer.byteLength(body));
      res.writeHead(answer.status, headers);
      res.end(body ?? undefined);
      pipeline.record(state, answer.status);
      return;
    }
    pipeToClient(res, answer.status, headers, body, (outcome) =>
      pipeline.recordStreamed(state, answer.status, outcome),
    );
  }

  return (req, res) => {
    const url = req.url ?? "";
    if (req.method !== "GET" || !url.startsWith(`${API_PREFIX}/`)) return fallback(req, res);
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    const bearer = bearerOf(header(req, "authorization"));
    if (!bearer || !PLAIN_PATH.test(path) || isPublicPath(path)) return fallback(req, res);
    serve(req, res, path, bearer).catch((error: unknown) => {
      // A failure of the fast path itself (not of a handler: those are answers).
      logger.error({ err: error, path }, "gateway fast path failed");
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("Internal error");
      } else res.destroy();
    });
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function clientIp(req: IncomingMessage): string | null {
  return normalizeIp(req.socket.remoteAddress);
}
