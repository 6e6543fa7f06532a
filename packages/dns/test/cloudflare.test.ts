// The Cloudflare adapter with the official SDK against a local server shaped like API v4.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DnsProviderError,
  createCloudflareProvider,
  dnsProviderFromEnv,
  parseDnsEnv,
  type DnsProvider,
} from "../src/index.ts";
import { startCloudflareServer, type CloudflareTestServer } from "./cloudflare-server.ts";

let server: CloudflareTestServer;
let dns: DnsProvider;
beforeAll(async () => {
  server = await startCloudflareServer({ zoneName: "plinth-hosted.test" });
  dns = createCloudflareProvider({
    apiToken: server.token,
    zoneId: server.zoneId,
    baseURL: server.baseURL,
    maxRetries: 0,
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.records.clear();
  server.requests.length = 0;
  server.maxPerPage = 100;
});

const writes = () => server.requests.filter((request) => request.method !== "GET");

async function failure(promise: Promise<unknown>): Promise<DnsProviderError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DnsProviderError);
  return error as DnsProviderError;
}

describe("Cloudflare", () => {
  it("upserts are idempotent: created, unchanged, updated", async () => {
    const a = { type: "A", name: "WS-1.plinth-hosted.test", content: "203.0.113.10" } as const;
    const created = await dns.upsertRecord(a);
    expect(created).toMatchObject({
      outcome: "created",
      record: { type: "A", name: "ws-1.plinth-hosted.test", content: "203.0.113.10", ttl: 300 },
    });
    expect(await dns.upsertRecord(a)).toEqual({ ...created, outcome: "unchanged" });
    expect(writes().map((request) => request.method)).toEqual(["POST"]);
    const updated = await dns.upsertRecord({ ...a, content: "203.0.113.11", ttl: 600 });
    expect(updated).toMatchObject({
      outcome: "updated",
      record: { id: created.record.id, ttl: 600 },
    });
    expect(writes().map((request) => request.method)).toEqual(["POST", "PUT"]);
    expect([...server.records.values()].map((r) => [r.name, r.type, r.content, r.ttl])).toEqual([
      ["ws-1.plinth-hosted.test", "A", "203.0.113.11", 600],
    ]);
    expect(server.requests[0]?.query).toMatchObject({
      type: "A",
      "name.exact": "ws-1.plinth-hosted.test",
    });
  });

  it("TXT and CNAME records, listed across pages, deleted", async () => {
    await dns.upsertRecord({
      type: "TXT",
      name: "_plinth-challenge.shop.plinth-hosted.test",
      content: "plinth-verification=abc",
    });
    await dns.upsertRecord({
      type: "CNAME",
      name: "shop.plinth-hosted.test",
      content: "ws-1.plinth-hosted.test",
    });
    for (let i = 0; i < 3; i++) {
      await dns.upsertRecord({
        type: "A",
        name: `n${i}.plinth-hosted.test`,
        content: `192.0.2.${i}`,
      });
    }
    server.maxPerPage = 2;
    const all = await dns.listRecords();
    expect(all).toHaveLength(5);
    const pages = server.requests.filter((r) => r.method === "GET").map((r) => r.query.page ?? "1");
    expect(pages).toEqual(expect.arrayContaining(["2", "3"]));
    expect(await dns.listRecords({ type: "TXT" })).toMatchObject([
      { name: "_plinth-challenge.shop.plinth-hosted.test", content: "plinth-verification=abc" },
    ]);
    expect(await dns.deleteRecord({ type: "CNAME", name: "shop.plinth-hosted.test" })).toEqual({
      deleted: 1,
    });
    expect(await dns.deleteRecord({ type: "CNAME", name: "shop.plinth-hosted.test" })).toEqual({
      deleted: 0,
    });
    expect(await dns.listRecords({ name: "shop.plinth-hosted.test" })).toEqual([]);
  });

  it("an upsert leaves exactly one record where a crash left duplicates", async () => {
    await dns.upsertRecord({ type: "TXT", name: "t.plinth-hosted.test", content: "one" });
    const [first] = server.records.values();
    if (!first) throw new Error("no record");
    server.records.set("dup", { ...first, id: "dup", content: "two" });
    const result = await dns.upsertRecord({
      type: "TXT",
      name: "t.plinth-hosted.test",
      content: "one",
    });
    expect(result.outcome).toBe("unchanged");
    expect([...server.records.values()].map((r) => r.content)).toEqual(["one"]);
  });

  it("maps Cloudflare's errors to typed errors", async () => {
    await dns.upsertRecord({ type: "A", name: "x.plinth-hosted.test", content: "192.0.2.1" });
    const conflict = await failure(
      dns.upsertRecord({
        type: "CNAME",
        name: "x.plinth-hosted.test",
        content: "y.plinth-hosted.test",
      }),
    );
    expect(conflict).toMatchObject({ code: "conflict", status: 400, transient: false });
    expect(conflict.message).toContain("81053");

    const outside = await failure(
      dns.upsertRecord({ type: "A", name: "elsewhere.example", content: "192.0.2.1" }),
    );
    expect(outside.code).toBe("invalid");

    server.failNext(429, 971, "Please wait and consider throttling your request speed");
    expect(await failure(dns.listRecords())).toMatchObject({
      code: "rate_limited",
      transient: true,
    });
    server.failNext(500, 10001, "Internal error");
    expect(await failure(dns.listRecords())).toMatchObject({
      code: "unavailable",
      transient: true,
    });

    const stranger = createCloudflareProvider({
      apiToken: "wrong-token",
      zoneId: server.zoneId,
      baseURL: server.baseURL,
      maxRetries: 0,
    });
    const unauthorized = await failure(stranger.listRecords());
    expect(unauthorized).toMatchObject({ code: "unauthorized", status: 401 });
    expect(unauthorized.message).not.toContain("wrong-token");

    const otherZone = createCloudflareProvider({
      apiToken: server.token,
      zoneId: "0".repeat(32),
      baseURL: server.baseURL,
      maxRetries: 0,
    });
    expect(await failure(otherZone.listRecords())).toMatchObject({
      code: "not_found",
      status: 404,
    });

    const before = server.requests.length;
    expect(
      await failure(
        dns.upsertRecord({ type: "A", name: "ok.plinth-hosted.test", content: "not-an-ip" }),
      ),
    ).toMatchObject({ code: "invalid" });
    expect(
      await failure(dns.upsertRecord({ type: "A", name: "bad name", content: "192.0.2.1" })),
    ).toMatchObject({ code: "invalid" });
    expect(server.requests.length).toBe(before);

    const unreachable = createCloudflareProvider({
      apiToken: server.token,
      zoneId: server.zoneId,
      baseURL: "http://127.0.0.1:9/client/v4",
      maxRetries: 0,
    });
    expect(await failure(unreachable.listRecords())).toMatchObject({
      code: "unavailable",
      transient: true,
    });
  });

  it("DNS_PROVIDER selects the provider; none is not configured; missing keys are refused", async () => {
    const selected = dnsProviderFromEnv(
      parseDnsEnv({
        DNS_PROVIDER: "cloudflare",
        CLOUDFLARE_API_TOKEN: server.token,
        CLOUDFLARE_ZONE_ID: server.zoneId,
        CLOUDFLARE_API_URL: server.baseURL,
      }),
    );
    if (!selected.configured) throw new Error(selected.reason);
    expect(selected.provider.name).toBe("cloudflare");
    await selected.provider.upsertRecord({
      type: "A",
      name: "env.plinth-hosted.test",
      content: "192.0.2.9",
    });
    expect(server.records.size).toBe(1);

    expect(dnsProviderFromEnv(parseDnsEnv({}))).toEqual({
      configured: false,
      reason: "DNS automation is not configured (DNS_PROVIDER=none)",
    });
    expect(() => parseDnsEnv({ DNS_PROVIDER: "cloudflare", CLOUDFLARE_ZONE_ID: "z" })).toThrow(
      /CLOUDFLARE_API_TOKEN/,
    );
    expect(() => parseDnsEnv({ DNS_PROVIDER: "route53" })).toThrow(/ROUTE53_HOSTED_ZONE_ID/);
    expect(() =>
      parseDnsEnv({
        DNS_PROVIDER: "route53",
        ROUTE53_HOSTED_ZONE_ID: "Z1",
        ROUTE53_ACCESS_KEY_ID: "A",
      }),
    ).toThrow(/ROUTE53_SECRET_ACCESS_KEY/);
    expect(() => parseDnsEnv({ DNS_PROVIDER: "gandi" })).toThrow(/DNS_PROVIDER/);
  });
});
