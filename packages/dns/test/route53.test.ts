// The Route 53 adapter with the official SDK against a local server shaped like its XML API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DnsProviderError,
  createRoute53Provider,
  dnsProviderFromEnv,
  parseDnsEnv,
  type DnsProvider,
} from "../src/index.ts";
import { startRoute53Server, type Route53TestServer } from "./route53-server.ts";

let server: Route53TestServer;
let dns: DnsProvider;
beforeAll(async () => {
  server = await startRoute53Server({ zoneName: "plinth-hosted.test" });
  dns = createRoute53Provider({
    hostedZoneId: server.hostedZoneId,
    credentials: server.credentials,
    endpoint: server.endpoint,
    maxAttempts: 1,
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.sets.clear();
  server.requests.length = 0;
  server.maxItems = 300;
});

const batches = () => server.requests.filter((r) => r.method === "POST").map((r) => r.actions);

async function failure(promise: Promise<unknown>): Promise<DnsProviderError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DnsProviderError);
  return error as DnsProviderError;
}

describe("Route 53", () => {
  it("upserts are idempotent: created, unchanged, updated", async () => {
    const a = { type: "A", name: "ws-1.plinth-hosted.test", content: "203.0.113.10" } as const;
    expect(await dns.upsertRecord(a)).toEqual({
      outcome: "created",
      record: {
        id: "A ws-1.plinth-hosted.test",
        type: "A",
        name: "ws-1.plinth-hosted.test",
        content: "203.0.113.10",
        ttl: 300,
      },
    });
    expect((await dns.upsertRecord(a)).outcome).toBe("unchanged");
    expect(batches()).toEqual([["UPSERT"]]);
    expect((await dns.upsertRecord({ ...a, content: "203.0.113.11" })).outcome).toBe("updated");
    expect(server.sets.get("ws-1.plinth-hosted.test. A")).toEqual({
      name: "ws-1.plinth-hosted.test.",
      type: "A",
      ttl: 300,
      values: ["203.0.113.11"],
    });
    expect(server.requests[0]?.query).toMatchObject({ name: "ws-1.plinth-hosted.test", type: "A" });
    expect(server.requests[0]?.path).toBe(`/2013-04-01/hostedzone/${server.hostedZoneId}/rrset`);
  });

  it("TXT values travel quoted; CNAME and wildcard names; lists follow pages; deletes", async () => {
    await dns.upsertRecord({
      type: "TXT",
      name: "_plinth-challenge.shop.plinth-hosted.test",
      content: 'plinth-verification=a"b',
    });
    expect(server.sets.get("_plinth-challenge.shop.plinth-hosted.test. TXT")?.values).toEqual([
      '"plinth-verification=a\\"b"',
    ]);
    await dns.upsertRecord({
      type: "CNAME",
      name: "shop.plinth-hosted.test",
      content: "ws-1.plinth-hosted.test",
    });
    await dns.upsertRecord({ type: "A", name: "*.apps.plinth-hosted.test", content: "192.0.2.1" });
    for (let i = 0; i < 3; i++) {
      await dns.upsertRecord({
        type: "A",
        name: `n${i}.plinth-hosted.test`,
        content: `192.0.2.${10 + i}`,
      });
    }
    server.maxItems = 2;
    const all = await dns.listRecords();
    expect(all.map((r) => `${r.type} ${r.name} ${r.content}`).sort()).toEqual([
      "A *.apps.plinth-hosted.test 192.0.2.1",
      "A n0.plinth-hosted.test 192.0.2.10",
      "A n1.plinth-hosted.test 192.0.2.11",
      "A n2.plinth-hosted.test 192.0.2.12",
      "CNAME shop.plinth-hosted.test ws-1.plinth-hosted.test",
      'TXT _plinth-challenge.shop.plinth-hosted.test plinth-verification=a"b',
    ]);
    expect(
      server.requests.filter((r) => r.method === "GET" && r.query.name).length,
    ).toBeGreaterThan(1);
    expect(await dns.listRecords({ name: "n1.plinth-hosted.test" })).toMatchObject([
      { type: "A", content: "192.0.2.11" },
    ]);
    expect(
      (
        await dns.upsertRecord({
          type: "TXT",
          name: "_plinth-challenge.shop.plinth-hosted.test",
          content: 'plinth-verification=a"b',
        })
      ).outcome,
    ).toBe("unchanged");
    expect(await dns.deleteRecord({ type: "CNAME", name: "shop.plinth-hosted.test" })).toEqual({
      deleted: 1,
    });
    expect(await dns.deleteRecord({ type: "CNAME", name: "shop.plinth-hosted.test" })).toEqual({
      deleted: 0,
    });
    expect(server.sets.has("shop.plinth-hosted.test. CNAME")).toBe(false);
    expect(batches().at(-1)).toEqual(["DELETE"]);
  });

  it("maps Route 53's errors to typed errors", async () => {
    await dns.upsertRecord({ type: "A", name: "x.plinth-hosted.test", content: "192.0.2.1" });
    const conflict = await failure(
      dns.upsertRecord({
        type: "CNAME",
        name: "x.plinth-hosted.test",
        content: "y.plinth-hosted.test",
      }),
    );
    expect(conflict).toMatchObject({ code: "conflict", status: 400, transient: false });
    expect(conflict.message).toContain("InvalidChangeBatch");

    server.failNext(400, "Throttling", "Rate exceeded");
    expect(await failure(dns.listRecords())).toMatchObject({
      code: "rate_limited",
      transient: true,
    });
    server.failNext(
      400,
      "PriorRequestNotComplete",
      "The request was rejected because Route 53 was still processing a prior request.",
    );
    expect(
      await failure(
        dns.upsertRecord({ type: "A", name: "p.plinth-hosted.test", content: "192.0.2.5" }),
      ),
    ).toMatchObject({ code: "rate_limited", transient: true });
    server.failNext(500, "InternalFailure", "We encountered an internal error.");
    expect(await failure(dns.listRecords())).toMatchObject({
      code: "unavailable",
      transient: true,
    });

    const otherZone = createRoute53Provider({
      hostedZoneId: "ZNOSUCHZONE",
      credentials: server.credentials,
      endpoint: server.endpoint,
      maxAttempts: 1,
    });
    expect(await failure(otherZone.listRecords())).toMatchObject({
      code: "not_found",
      status: 404,
    });

    const stranger = createRoute53Provider({
      hostedZoneId: server.hostedZoneId,
      credentials: { accessKeyId: "AKIAWRONG", secretAccessKey: "wrong-secret" },
      endpoint: server.endpoint,
      maxAttempts: 1,
    });
    const unauthorized = await failure(stranger.listRecords());
    expect(unauthorized).toMatchObject({ code: "unauthorized", status: 403 });
    expect(unauthorized.message).not.toContain("wrong-secret");

    const before = server.requests.length;
    expect(
      await failure(dns.upsertRecord({ type: "TXT", name: "t.plinth-hosted.test", content: "" })),
    ).toMatchObject({ code: "invalid" });
    expect(server.requests.length).toBe(before);

    const unreachable = createRoute53Provider({
      hostedZoneId: server.hostedZoneId,
      credentials: server.credentials,
      endpoint: "http://127.0.0.1:9",
      maxAttempts: 1,
    });
    expect(await failure(unreachable.listRecords())).toMatchObject({
      code: "unavailable",
      transient: true,
    });
  });

  it("DNS_PROVIDER=route53 builds the adapter from its keys", async () => {
    const selected = dnsProviderFromEnv(
      parseDnsEnv({
        DNS_PROVIDER: "route53",
        ROUTE53_HOSTED_ZONE_ID: server.hostedZoneId,
        ROUTE53_ACCESS_KEY_ID: server.credentials.accessKeyId,
        ROUTE53_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
        ROUTE53_ENDPOINT: server.endpoint,
      }),
    );
    if (!selected.configured) throw new Error(selected.reason);
    expect(selected.provider.name).toBe("route53");
    await selected.provider.upsertRecord({
      type: "A",
      name: "env.plinth-hosted.test",
      content: "192.0.2.9",
    });
    expect(server.sets.has("env.plinth-hosted.test. A")).toBe(true);
  });
});
