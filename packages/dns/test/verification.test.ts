// Domain verification against a local DNS server (test/dns-server.ts: dns2, UDP, a random
// port): the Resolver is pointed at it the way DNS_RESOLVERS points it in production.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDomainVerifier,
  createVerificationToken,
  domainVerifierFromEnv,
  parseDnsEnv,
  verificationRecord,
} from "../src/index.ts";
import { startDnsServer, type DnsTestServer } from "./dns-server.ts";

const TOKEN = createVerificationToken();
let server: DnsTestServer;
let address: string;
beforeAll(async () => {
  server = await startDnsServer([
    ["_plinth-challenge.good.test", [["v=spf1 -all"], [`plinth-verification=${TOKEN}`]]],
    ["_plinth-challenge.chunked.test", [["plinth-verification=", TOKEN]]],
    ["_plinth-challenge.wrong.test", [["plinth-verification=someone-elses"]]],
    ["_plinth-challenge.empty.test", []],
    ["_plinth-challenge.broken.test", { rcode: 2 }],
    ["_plinth-challenge.slow.test", "silent"],
  ]);
  address = server.address;
});
afterAll(() => server.close());

describe("domain verification", () => {
  it("the record to publish", () => {
    expect(verificationRecord("Shop.Acme.TEST.", "abc")).toEqual({
      type: "TXT",
      name: "_plinth-challenge.shop.acme.test",
      content: "plinth-verification=abc",
    });
    expect(TOKEN).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(createVerificationToken()).not.toBe(TOKEN);
    expect(() => verificationRecord("not a domain", "abc")).toThrow();
    expect(() => verificationRecord("localhost", "abc")).toThrow();
  });

  it("verified, missing, mismatch and lookup errors", async () => {
    const verifier = createDomainVerifier({ servers: [address], timeoutMs: 300, tries: 1 });
    expect(await verifier.verify("good.test", TOKEN)).toMatchObject({ status: "verified" });
    expect(await verifier.verify("chunked.test", TOKEN)).toMatchObject({ status: "verified" });
    expect(await verifier.verify("wrong.test", TOKEN)).toEqual({
      status: "mismatch",
      record: verificationRecord("wrong.test", TOKEN),
      found: ["plinth-verification=someone-elses"],
    });
    expect(await verifier.verify("good.test", "another-token")).toMatchObject({
      status: "mismatch",
      found: ["v=spf1 -all", `plinth-verification=${TOKEN}`],
    });
    expect(await verifier.verify("absent.test", TOKEN)).toMatchObject({ status: "missing" });
    expect(await verifier.verify("empty.test", TOKEN)).toMatchObject({ status: "missing" });
    expect(await verifier.verify("broken.test", TOKEN)).toMatchObject({
      status: "lookup_error",
      code: "ESERVFAIL",
    });
    expect(await verifier.verify("slow.test", TOKEN)).toMatchObject({
      status: "lookup_error",
      code: "ETIMEOUT",
    });
    expect(server.queries).toContain("_plinth-challenge.good.test");
  });

  it("DNS_RESOLVERS configures the verifier; bad values are refused", async () => {
    const env = parseDnsEnv({ DNS_RESOLVERS: address, DNS_LOOKUP_TIMEOUT_MS: "500" });
    expect(env.DNS_RESOLVERS).toEqual([address]);
    expect(await domainVerifierFromEnv(env).verify("good.test", TOKEN)).toMatchObject({
      status: "verified",
    });
    expect(parseDnsEnv({ DNS_RESOLVERS: "1.1.1.1, [::1]:5353 ,9.9.9.9" }).DNS_RESOLVERS).toEqual([
      "1.1.1.1",
      "[::1]:5353",
      "9.9.9.9",
    ]);
    expect(parseDnsEnv({}).DNS_RESOLVERS).toEqual([]);
    expect(() => parseDnsEnv({ DNS_RESOLVERS: "dns.google" })).toThrow(/DNS_RESOLVERS/);
    expect(() => parseDnsEnv({ DNS_RESOLVERS: "1.1.1.1:99999" })).toThrow(/DNS_RESOLVERS/);
  });
});
