// A local authoritative DNS server for tests (dns2, UDP on a random loopback port): TXT
// records by name, an rcode to answer with (2 SERVFAIL, 3 NXDOMAIN), or "silent" (no answer:
// the resolver times out). Unknown names get NXDOMAIN. Point a Resolver (or DNS_RESOLVERS)
// at `address`.
import dns2, { type DnsServer } from "dns2";

const { Packet } = dns2;

export type DnsTestAnswer = string[][] | { rcode: number } | "silent";

export interface DnsTestServer {
  /** `127.0.0.1:port`, as DNS_RESOLVERS takes it. */
  address: string;
  /** name (lower case, no trailing dot) → TXT records (each its character-strings). */
  zone: Map<string, DnsTestAnswer>;
  queries: string[];
  close(): Promise<void>;
}

export async function startDnsServer(
  records: Iterable<[string, DnsTestAnswer]> = [],
): Promise<DnsTestServer> {
  const zone = new Map(records);
  const queries: string[] = [];
  const server: DnsServer = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const name = request.questions[0]?.name.toLowerCase() ?? "";
      queries.push(name);
      const entry = zone.get(name);
      if (entry === "silent") return;
      if (entry === undefined) response.header.rcode = 3;
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
  return {
    address: `127.0.0.1:${addresses.udp?.port ?? 0}`,
    zone,
    queries,
    close: () => server.close(),
  };
}
