// The public gateway: /api/v1 on Hono. Every request runs the same pipeline —
//
//   request id → parse key (a mistyped key is refused without a database read) → verify
//   (cache) → the key's organization (cached read) → rate limit (the key's own limit or the
//   plan's rateLimits.api; per client IP without a valid key) → bind the organization (the
//   key actor's OrgScope) → API access in the plan → the route's API scope → Idempotency-Key
//   (POST) → quota (consumeQuota on hard-capped plans) → the module's handler (the same
//   services as tRPC) → meter (one usage event per answered request, batched writer)
//
// — and answers refusals as problem+json (./problem.ts). Unknown, revoked, expired and
// malformed keys all get the same 401. Routes come from @plinth/product/http (core's and the
// enabled modules'); each is registered with @hono/zod-openapi, so /api/v1/openapi.json is
// generated from the very schemas that validate requests.
import { getConnInfo } from "@hono/node-server/conninfo";
import { OpenAPIHono, createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Context, Next } from "hono";
import { HTTPException } from "hono/http-exception";
import { randomUUID } from "node:crypto";
import type { HttpRoute, HttpRoutes } from "@plinth/platform/http";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  idempotencyKeyHeader,
  requestFingerprint,
} from "./idempotency.ts";
import {
  API_PREFIX,
  MalformedBody,
  createGatewayPipeline,
  normalizeIp,
  type Answer,
  type GatewayPipeline,
  type GatewayPipelineDeps,
  type RequestState,
  type RouteInput,
} from "./pipeline.ts";
import {
  malformedProblem,
  problemResponse,
  routeNotFoundProblem,
  validationProblem,
} from "./problem.ts";

export { API_METER, API_PREFIX, type Metered } from "./pipeline.ts";

export interface GatewayDeps extends GatewayPipelineDeps {
  routes: HttpRoutes;
  /** Database reachability for GET /api/v1/health. */
  ping(): Promise<boolean>;
  /** Handlers after the pipeline, before the module routes (./extensions.ts). */
  mounts?: readonly GatewayMount[];
}

/** Adds handlers to the app (a module's gateway extension, the API reference). */
export type GatewayMount = (
  app: OpenAPIHono<GatewayEnv>,
  tools: { errorResponse(c: Context<GatewayEnv>, error: unknown): Response },
) => void;

export type GatewayEnv = Env;
type Env = {
  Variables: {
    /** This request in the pipeline (./pipeline.ts): id, route, metered, rate-limit headers. */
    state: RequestState;
  };
};

function clientIp(c: Context<Env>): string | null {
  try {
    return normalizeIp(getConnInfo(c).remote.address);
  } catch {
    return null; // not served by @hono/node-server (app.request in tests)
  }
}

/** A pipeline answer as a Fetch Response. */
export function answerResponse(answer: Answer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

export function createGatewayApp(
  deps: GatewayDeps,
  pipeline: GatewayPipeline = createGatewayPipeline(deps),
) {
  const { metrics } = deps;
  const app = new OpenAPIHono<Env>();

  function errorResponse(c: Context<Env>, error: unknown): Response {
    const state = stateOf(c);
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's own refusals (a body that is not JSON): what, not the library's text.
      return answerResponse(
        pipeline.refusal(
          state,
          malformedProblem(state.requestId, "The request body is not valid JSON"),
        ),
      );
    }
    return answerResponse(pipeline.errorAnswer(state, error));
  }

  /** The request's state; a request that missed the pipeline middleware (/metrics) gets one. */
  function stateOf(c: Context<Env>): RequestState {
    const state = c.get("state") as RequestState | undefined;
    if (state) return state;
    const fresh = pipeline.start(c.req.method, undefined, clientIp(c));
    c.set("state", fresh);
    return fresh;
  }

  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) => {
    const state = c.get("state") as RequestState | undefined;
    const requestId = state?.requestId ?? randomUUID();
    return problemResponse(routeNotFoundProblem(requestId), state?.rateLimitHeaders ?? {});
  });

  // ── The pipeline, up to the organization scope ──
  app.use(`${API_PREFIX}/*`, async (c: Context<Env>, next: Next) => {
    const state = pipeline.start(c.req.method, c.req.header("x-request-id"), clientIp(c));
    c.set("state", state);
    try {
      await pipeline.authenticate(
        state,
        c.req.path,
        c.req.header("authorization"),
        c.req.header("user-agent") ?? null,
      );
    } catch (error) {
      c.res = errorResponse(c, error);
      return finish(c, state);
    }
    await next();
    return finish(c, state);
  });

  /** Headers on every answer, metrics, and the usage event. */
  function finish(c: Context<Env>, state: RequestState) {
    const headers = c.res.headers;
    for (const [name, value] of Object.entries(pipeline.closingHeaders(state))) {
      headers.set(name, value);
    }
    const { status } = c.res;
    if (state.streamed) {
      void state.streamed.then((outcome) => pipeline.recordStreamed(state, status, outcome));
    } else pipeline.record(state, status);
    return c.res;
  }

  app.get(`${API_PREFIX}/health`, async (c) => {
    const database = await deps.ping().catch(() => false);
    return c.json(
      { status: database ? "ok" : "degraded", database: database ? "ok" : "unreachable" },
      database ? 200 : 503,
      { "cache-control": "no-store" },
    );
  });

  // Prometheus scrapes from the same host or through a sidecar: loopback clients only.
  app.get("/metrics", async (c) => {
    const ip = clientIp(c);
    if (ip !== "127.0.0.1" && ip !== "::1") return c.text("Not found", 404);
    return c.text(await metrics.registry.metrics(), 200, {
      "content-type": metrics.registry.contentType,
    });
  });

  for (const mount of deps.mounts ?? []) mount(app, { errorResponse });
  for (const route of deps.routes) register(route);

  function register(route: HttpRoute) {
    const template = `${API_PREFIX}${route.path}`;
    const request: NonNullable<RouteConfig["request"]> = {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body
        ? { body: { content: { "application/json": { schema: route.body } }, required: true } }
        : {}),
    };
    const config = createRoute({
      method: route.method.toLowerCase() as Lowercase<HttpRoute["method"]>,
      path: template,
      summary: route.summary,
      description: `Needs an API key with the \`${route.apiScope}\` scope.`,
      security: [{ apiKey: [] }],
      request,
      responses: {
        [route.successStatus]: {
          description: route.summary,
          content: { [route.contentType ?? "application/json"]: { schema: route.response } },
        },
      },
    });
    // Documented from the route's schemas; validated below with the same ones.
    app.openAPIRegistry.registerPath(config);
    app.on(route.method, honoPath(template), async (c) => {
      const state = stateOf(c);
      const metered = pipeline.authorizeRoute(state, route);
      const { scope } = metered;
      const input: RouteInput = { params: undefined, query: undefined, body: undefined };
      for (const [part, schema, read] of [
        ["params", route.params, () => Promise.resolve(c.req.param())],
        ["query", route.query, () => Promise.resolve(c.req.query())],
        ["body", route.body, () => readJson(c)],
      ] as const) {
        if (!schema) continue;
        const parsed = pipeline.parsePart(state, part, schema, await read());
        if (!parsed.ok) return answerResponse(parsed.answer);
        input[part] = parsed.value;
      }

      const idempotencyKey = route.method === "POST" ? c.req.header("idempotency-key") : undefined;
      if (idempotencyKey !== undefined) {
        const parsed = idempotencyKeyHeader.safeParse(idempotencyKey);
        if (!parsed.success) {
          const problem = validationProblem(parsed.error, state.requestId, "Idempotency-Key");
          return answerResponse(pipeline.refusal(state, problem));
        }
        const claimed = parsed.data;
        const fingerprint = requestFingerprint(route.method, c.req.path, await c.req.text());
        const claim = await claimIdempotencyKey(scope, claimed, fingerprint);
        if (claim.kind === "replay") {
          return new Response(JSON.stringify(claim.body), {
            status: claim.status,
            headers: {
              "content-type": claim.status < 400 ? "application/json" : "application/problem+json",
              "idempotent-replayed": "true",
            },
          });
        }
        const answer = await pipeline.runRoute(state, route, metered, input);
        const body: unknown = typeof answer.body === "string" ? JSON.parse(answer.body) : null;
        await completeIdempotencyKey(scope, claimed, { status: answer.status, body });
        return answerResponse(answer);
      }
      return answerResponse(await pipeline.runRoute(state, route, metered, input));
    });
  }

  /** "/api/v1/projects/{id}" → Hono's "/api/v1/projects/:id". */
  function honoPath(template: string): string {
    return template.replace(/\{(\w+)\}/g, ":$1");
  }

  /** The body as JSON; not JSON → a malformed-request problem. */
  async function readJson(c: Context<Env>): Promise<unknown> {
    const text = await c.req.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new MalformedBody();
    }
  }

  app.doc31(`${API_PREFIX}/openapi.json`, {
    openapi: "3.1.0",
    info: { title: `${deps.product.name} API`, version: "1" },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key: plk_live_… or plk_test_…",
  });

  return app;
}

export type GatewayApp = ReturnType<typeof createGatewayApp>;
