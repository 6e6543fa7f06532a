import { activeProduct } from "@plinth/product";
import { appRouter } from "@plinth/product/trpc";
import { createContext } from "@plinth/trpc";
import { handleTrpcRequest } from "@plinth/trpc/http";
import {
  appOrigins,
  bearerToken,
  checkRequestOrigin,
  clientIp,
  currentSessionToken,
} from "@plinth/auth";
import { env } from "~/env.ts";
import { authenticateApiKey } from "~/server/api-keys.ts";
import { db } from "~/server/db.ts";
import { organizationContexts } from "~/server/organization-contexts.ts";
import { recordTrpcRequest } from "~/server/metrics.ts";
import { getSessionUser } from "~/server/session.ts";
import { requestIdFrom } from "~/server/trpc.ts";

export const dynamic = "force-dynamic";

// No CORS: this route sends no Access-Control-* headers and has no OPTIONS handler, so a
// browser on another origin can neither read its answers nor send it non-simple requests.
function refuse(status: number, message: string, requestId: string, started: number): Response {
  recordTrpcRequest({ calls: [], status, durationSeconds: (performance.now() - started) / 1000 });
  return Response.json(
    { error: { message, code: status === 401 ? "UNAUTHORIZED" : "FORBIDDEN" } },
    { status, headers: { "x-request-id": requestId, "cache-control": "no-store" } },
  );
}

async function handler(request: Request) {
  const started = performance.now();
  const requestId = requestIdFrom(request.headers);
  // Mutations only from the app's own pages (or API-key clients): see @plinth/auth/origin.
  const verdict = checkRequestOrigin({
    method: request.method,
    headers: request.headers,
    allowedOrigins: [...appOrigins(), env().APP_URL],
  });
  if (!verdict.ok) return refuse(403, `Forbidden: ${verdict.reason}`, requestId, started);

  let user = null;
  let apiKey = null;
  if (verdict.kind === "api-key") {
    // The key acts for its organization; procedures without an apiScope refuse it.
    apiKey = await authenticateApiKey(bearerToken(request.headers) ?? "");
    if (!apiKey) return refuse(401, "Invalid API key", requestId, started);
  } else {
    user = await getSessionUser();
  }
  const sessionToken = verdict.kind === "api-key" ? null : await currentSessionToken();
  // Batch cap, body parsing and error shaping: @plinth/trpc/http (docs/security.md).
  return handleTrpcRequest({
    router: appRouter(),
    endpoint: "/api/trpc",
    request,
    requestId,
    maxBatchSize: env().TRPC_MAX_BATCH_SIZE,
    // Calls by procedure/status and latency for GET /metrics (src/server/metrics.ts).
    onCalls: recordTrpcRequest,
    createContext: () =>
      createContext({
        database: db(),
        product: activeProduct(),
        user,
        apiKey,
        requestId,
        ipAddress: clientIp(request.headers),
        userAgent: request.headers.get("user-agent"),
        sessionToken,
        organizationContexts: organizationContexts(),
      }),
  });
}

export { handler as GET, handler as POST };
