// Fixtures for this module's tests: the sales-training product (plinth.config.ts) with the core
// routers and this module's own, called in-process or over HTTP through the handler the web
// app's /api/trpc route uses (status codes, error shaping).
import superjson from "superjson";
import type { TestDatabase } from "@plinth/db/testing";
import { createProductRuntime } from "@plinth/platform";
import { createAppRouter, createContext } from "@plinth/trpc";
import { handleTrpcRequest } from "@plinth/trpc/http";
import { createTestKit, LOCAL_BILLING, silentLogger } from "@plinth/trpc/testing";
import type { SessionUser } from "@plinth/core/scope";
import presets from "../../../plinth.config.ts";
import { routers } from "../src/trpc.ts";

export const product = createProductRuntime(presets["sales-training"]);
export const appRouter = createAppRouter(product, { "demo-booking": routers });
export const { callerFor } = createTestKit(product, appRouter);
export { createUser } from "@plinth/trpc/testing";

/** One tRPC call over HTTP from `ip`, as the browser sends it; the status and decoded body. */
export async function httpCall(
  db: TestDatabase,
  input: {
    path: string;
    type: "query" | "mutation";
    body: unknown;
    ip: string;
    user?: SessionUser;
  },
) {
  const serialized = JSON.stringify(superjson.serialize(input.body));
  const url = `http://app.test/api/trpc/${input.path}`;
  const request =
    input.type === "query"
      ? new Request(`${url}?input=${encodeURIComponent(serialized)}`)
      : new Request(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: serialized,
        });
  const response = await handleTrpcRequest({
    endpoint: "/api/trpc",
    router: appRouter,
    request,
    requestId: "test-request",
    logger: silentLogger,
    createContext: () =>
      createContext({
        database: db,
        product,
        user: input.user ?? null,
        requestId: "test-request",
        ipAddress: input.ip,
        logger: silentLogger,
        billing: LOCAL_BILLING,
      }),
  });
  const text = await response.text();
  const json = JSON.parse(text) as {
    result?: { data: never };
    error?: {
      json: {
        data: {
          code: string;
          appError: { code: string } | null;
          fieldErrors: Record<string, string[]> | null;
        };
      };
    };
  };
  return { status: response.status, text, json };
}
