// Domain verification against a local DNS server (dns2, UDP on a random port): the Resolver
// is pointed at it the way DNS_RESOLVERS points it in production.
import dns2, { type DnsServer } from "dns2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDomainVerifier,
  createVerificationToken,
  domainVerifierFromEnv,
  parseDnsEnv,
  verificationRecord,
} from "../src/index.ts";

const { Packet } = dns2;
const TOKEN = createVerificationToken();
/** name → TXT records (each an array of character-strings), or an rcode to answer with. */
const zone = new Map<string, string[][] | { rcode: number } | "silent">([
  ["_plinth-challenge.good.test", [["v=spf1 -all"], [`plinth-verification=${TOKEN}`]]],
  ["_plinth-challenge.chunked.test", [["plinth-verification=", TOKEN]]],
  ["_plinth-challenge.wrong.test", [["plinth-verification=someone-elses"]]],
  ["_plinth-challenge.empty.test", []],
  ["_plinth-challenge.broken.test", { rcode: 2 }],
  ["_plinth-challenge.slow.test", "silent"],
]);
const queries: string[] = [];

let server: DnsServer;
let address: string;
beforeAll(async () => {
  server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      const name = question?.name.toLowerCase() ?? "";
      queries.push(name);
      const entry = zone.get(name);
      if (entry === "silent") return;
      if (entry === undefined) response.header.rcode = 3; // NXDOMAIN
      else if ("rcode" in entry) response.header.rcode = entry.rcode;
      else {
        for (const data of entry) {
          const answer = new Packet.Resource(name, Packet.TYPE.TXT, Packet.CLASS.IN, 60);
          answer.data = data;
          response.answers.push(answer);
        }
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  address = `127.0.0.1:${addresses.udp?.port ?? 0}`;
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
    expect(queries).toContain("_plinth-challenge.good.test");
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
