// Gateway mounts beyond the module routes: each module's gateway extension (the API
// catalog's proxy) placed in the pipeline after the organization step, its paths merged into
// /api/v1/openapi.json, and the interactive API reference at /api/v1/docs (Swagger UI from
// the swagger-ui-dist package, served by the gateway itself: it works offline, no CDN).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  GatewayProblem,
  type GatewayAnswer,
  type GatewayCall,
  type GatewayExtension,
  type GatewayMatch,
} from "@plinth/platform/http";
import type { Context, Next } from "hono";
import type { GatewayEnv, GatewayMount } from "./app.ts";
import { requestFromFetch, responseToFetch } from "./extension-io.ts";
import { API_PREFIX, type Metered, type RequestState } from "./pipeline.ts";
import { problemResponse, type ProblemDetails } from "./problem.ts";

const PROBLEM_BASE = "https://plinth.dev/problems";

/** An extension's refusal (an upstream's failure, a bad path parameter) as problem+json. */
export function gatewayProblemDetails(error: GatewayProblem, requestId: string): ProblemDetails {
  return {
    type: `${PROBLEM_BASE}/${error.code.toLowerCase().replaceAll("_", "-")}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    instance: `urn:uuid:${requestId}`,
    requestId,
    code: error.code,
  };
}

/** Headers of a GatewayProblem's answer (its own, not the rate limit's: those come after). */
export function gatewayProblemHeaders(error: GatewayProblem): Record<string, string> {
  return error.retryAfterSeconds ? { "retry-after": String(error.retryAfterSeconds) } : {};
}

/** The call an extension gets: the request's organization scope and key. */
export function gatewayCall(state: RequestState, metered: Metered): GatewayCall {
  return {
    scope: metered.scope,
    apiKeyId: metered.key.id,
    apiKeyScopes: metered.key.scopes,
    requestId: state.requestId,
    ip: state.ip,
  };
}

/** Records what the extension answered in the request's metering. */
export function meterExtensionAnswer(metered: Metered, answer: GatewayAnswer) {
  metered.units = answer.units;
  metered.costMicroCents = answer.costMicroCents;
  metered.preCounted = answer.preCounted;
}

/** Marks the request as the extension's (its route template, its meter, no cost yet). */
export function claimForExtension(state: RequestState, metered: Metered, found: GatewayMatch) {
  state.route = found.route;
  metered.meter = found.meter;
  metered.costMicroCents = 0;
}

/** A module's extension in the pipeline: matched requests are answered (and metered) by it. */
export function extensionMount(extension: GatewayExtension): GatewayMount {
  return (app, deps) => {
    app.use(`${API_PREFIX}/*`, async (c: Context<GatewayEnv>, next: Next) => {
      const state = c.get("state");
      const metered = state.metered;
      const found = metered
        ? extension.match(c.req.method, c.req.path, metered.scope.organization.id)
        : null;
      if (!metered || !found) return next();
      claimForExtension(state, metered, found);
      try {
        const request = requestFromFetch(c.req.raw, c.req.path);
        const answer = await extension.handle(found, request, gatewayCall(state, metered));
        // Converted first: an answer cut while it is read here is a 502, never billed; one
        // streamed on is metered when it has ended (app.ts, finish).
        const { res, ended } = await responseToFetch(answer.response);
        c.res = res;
        meterExtensionAnswer(metered, answer);
        state.streamed = ended;
      } catch (error) {
        c.res =
          error instanceof GatewayProblem
            ? problemResponse(
                gatewayProblemDetails(error, state.requestId),
                gatewayProblemHeaders(error),
              )
            : deps.errorResponse(c, error);
      }
    });
  };
}

const PROBLEM_SCHEMA = {
  type: "object",
  required: ["type", "title", "status", "detail", "instance", "requestId"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    requestId: { type: "string" },
    code: { type: "string" },
  },
  additionalProperties: true,
};

/** Adds the extensions' paths (and the Problem schema they refer to) to the generated document. */
export function openApiMergeMount(extensions: readonly GatewayExtension[]): GatewayMount {
  return (app) => {
    app.use(`${API_PREFIX}/openapi.json`, async (c, next) => {
      await next();
      if (c.res.status !== 200) return;
      const document = (await c.res.json()) as {
        paths?: Record<string, unknown>;
        components?: { schemas?: Record<string, unknown> };
      };
      const paths: Record<string, unknown> = { ...document.paths };
      for (const extension of extensions) Object.assign(paths, extension.openapiPaths());
      document.paths = paths;
      document.components = {
        ...document.components,
        schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA },
      };
      c.res = new Response(JSON.stringify(document), {
        status: 200,
        headers: { "content-type": "application/json", "cache-control": "no-store" },
      });
    });
  };
}

const require = createRequire(import.meta.url);
const SWAGGER_DIR = path.dirname(require.resolve("swagger-ui-dist/package.json"));
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const DOCS_HTML = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.replace(/[<>&"]/g, "")} — API reference</title>
<link rel="stylesheet" href="${API_PREFIX}/docs/swagger-ui.css">
<link rel="icon" href="${API_PREFIX}/docs/favicon-32x32.png">
</head>
<body>
<div id="reference"></div>
<script src="${API_PREFIX}/docs/swagger-ui-bundle.js"></script>
<script src="${API_PREFIX}/docs/swagger-ui-standalone-preset.js"></script>
<script src="${API_PREFIX}/docs/init.js"></script>
</body>
</html>`;

const INIT_JS = `window.ui = SwaggerUIBundle({
  url: "${API_PREFIX}/openapi.json",
  dom_id: "#reference",
  deepLinking: true,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
});`;

/** GET /api/v1/docs: Swagger UI over /api/v1/openapi.json, every asset from this process. */
export function docsMount(title: string): GatewayMount {
  const cache = new Map<string, Buffer>();
  const security = {
    // Inline scripts refused: the page's one script is a file of ours.
    "content-security-policy":
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'",
    "x-content-type-options": "nosniff",
  };
  return (app) => {
    app.get(`${API_PREFIX}/docs`, (c) =>
      c.html(DOCS_HTML(title), 200, { ...security, "cache-control": "no-cache" }),
    );
    app.get(`${API_PREFIX}/docs/init.js`, (c) =>
      c.body(INIT_JS, 200, { "content-type": "text/javascript; charset=utf-8", ...security }),
    );
    app.get(`${API_PREFIX}/docs/:asset`, async (c) => {
      const name = c.req.param("asset");
      const type = ASSETS[name];
      if (!type) return c.notFound();
      let body = cache.get(name);
      if (!body) {
        body = await readFile(path.join(SWAGGER_DIR, name));
        cache.set(name, body);
      }
      return c.body(new Uint8Array(body), 200, {
        "content-type": type,
        "cache-control": "public, max-age=86400",
        ...security,
      });
    });
  };
}
