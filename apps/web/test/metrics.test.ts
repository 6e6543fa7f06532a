// The web app's /metrics: tRPC calls recorded by procedure and status through the same HTTP
// handler and hook the /api/trpc route uses (a batch with a success, a refusal and a path the
// router does not have), their latency histogram, and the endpoint's access rule — loopback
// clients only without METRICS_TOKEN, the bearer token when it is set, 404 for anyone else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { markClientIpHeaderSet, CLIENT_IP_HEADER } from "@plinth/auth/request-info";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { activeProduct } from "@plinth/product";
import { appRouter } from "@plinth/product/trpc";
import { createContext } from "@plinth/trpc";
import { handleTrpcRequest } from "@plinth/trpc/http";
import { silentLogger } from "@plinth/trpc/testing";
import { createWebMetrics, metricsResponse, recordTrpcRequest } from "../src/server/metrics.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  markClientIpHeaderSet(); // as apps/web/server.ts does: the client IP header is the socket's
});
afterAll(() => db.drop());

const metrics = createWebMetrics();

async function batch(paths: string[]) {
  const input = Object.fromEntries(
    paths.map((path, i) => [
      i,
      superjson.serialize(path.startsWith("account.") ? { token: "x".repeat(43) } : {}),
    ]),
  );
  const request = new Request(
    `http://app.test/api/trpc/${paths.join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`,
  );
  const requestId = "req-metrics";
  return handleTrpcRequest({
    router: appRouter(),
    endpoint: "/api/trpc",
    request,
    requestId,
    logger: silentLogger,
    onCalls: (report) => recordTrpcRequest(report, metrics),
    createContext: () =>
      createContext({
        database: db,
        product: activeProduct(),
        user: null,
        requestId,
        logger: silentLogger,
      }),
  });
}

const scrape = (headers: Record<string, string>, token?: string) =>
  metricsResponse(new Request("http://app.test/metrics", { headers }), { token, metrics });

describe("web /metrics", () => {
  it("counts tRPC calls by procedure and status, with a latency histogram", async () => {
    const answer = await batch(["account.checkResetToken", "project.list", "no.suchProcedure"]);
    expect(answer.status).toBe(207); // mixed outcomes in one batch
    await batch(["account.checkResetToken"]);
    const text = await (await scrape({ [CLIENT_IP_HEADER]: "127.0.0.1" })).text();
    expect(text).toContain(
      'web_trpc_calls_total{procedure="account.checkResetToken",status="200"} 2',
    );
    // No organizationId: refused by the input check (400) before anything runs.
    expect(text).toContain('web_trpc_calls_total{procedure="project.list",status="400"} 1');
    expect(text).toContain('web_trpc_calls_total{procedure="(unknown)",status="404"} 1');
    expect(text).not.toContain("no.suchProcedure");
    expect(text).toContain(
      'web_trpc_call_duration_seconds_count{procedure="account.checkResetToken"} 2',
    );
    expect(text).toMatch(
      /web_trpc_call_duration_seconds_bucket\{le="\+Inf",procedure="project\.list"\} 1/,
    );
    expect(text).toContain('web_trpc_requests_total{status="207"} 1');
    expect(text).toContain("process_cpu_seconds_total"); // prom-client's process metrics
  });

  it("answers loopback clients only when no token is configured", async () => {
    const local = await scrape({ [CLIENT_IP_HEADER]: "127.0.0.1" });
    expect(local.status).toBe(200);
    expect(local.headers.get("content-type")).toContain("text/plain");
    expect((await scrape({ [CLIENT_IP_HEADER]: "::1" })).status).toBe(200);
    expect((await scrape({ [CLIENT_IP_HEADER]: "203.0.113.9" })).status).toBe(404);
    expect((await scrape({})).status).toBe(404);
  });

  it("with METRICS_TOKEN, answers the bearer token only (from anywhere)", async () => {
    const token = "metrics-token-0123456789";
    const remote = { [CLIENT_IP_HEADER]: "203.0.113.9" };
    expect((await scrape({ ...remote, authorization: `Bearer ${token}` }, token)).status).toBe(200);
    expect(
      (await scrape({ ...remote, authorization: "Bearer wrong-token-0123456789" }, token)).status,
    ).toBe(404);
    expect((await scrape({ ...remote, authorization: `Bearer ${token}x` }, token)).status).toBe(
      404,
    );
    // Loopback is no longer enough once a token is configured.
    expect((await scrape({ [CLIENT_IP_HEADER]: "127.0.0.1" }, token)).status).toBe(404);
  });
});
