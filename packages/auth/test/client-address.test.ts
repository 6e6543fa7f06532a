// The client address over real HTTP: a node:http server doing what apps/web/server.ts does
// (stampClientAddress, then the app reads CLIENT_IP_HEADER), listening on IPv4 and IPv6, with
// clients connecting from chosen local addresses. The whole chain through Next is checked
// by the browser-test run (test/e2e/client-ip.ts).
import { once } from "node:events";
import { createServer, request, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientAddress,
  compileTrustedProxies,
  stampClientAddress,
  type TrustedProxies,
} from "../src/client-address.ts";
import {
  CLIENT_IP_HEADER,
  clientIp,
  isLoopback,
  markClientIpHeaderSet,
} from "../src/request-info.ts";

let trusted: TrustedProxies = compileTrustedProxies(undefined);
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    stampClientAddress(req, trusted);
    res.end(JSON.stringify({ stamped: req.headers[CLIENT_IP_HEADER] ?? null }));
  });
  server.listen(0, "::"); // dual-stack: IPv4 peers arrive as ::ffff:a.b.c.d
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The address the server decided for a request from `from` carrying `headers`. */
async function stampedFor(
  from: "127.0.0.1" | "127.0.0.2" | "::1",
  headers: Record<string, string> = {},
): Promise<string | null> {
  const host = from === "::1" ? "::1" : "127.0.0.1";
  return new Promise((resolve, reject) => {
    const req = request({ host, port, localAddress: from, path: "/", headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve((JSON.parse(body) as { stamped: string | null }).stamped));
    });
    req.on("error", reject);
    req.end();
  });
}

const forged = {
  "x-forwarded-for": "203.0.113.66",
  "x-real-ip": "203.0.113.67",
  forwarded: "for=203.0.113.68",
  [CLIENT_IP_HEADER]: "203.0.113.69",
};

describe("the client address (TRUSTED_PROXIES unset)", () => {
  it("is the socket's peer, whatever the client sends", async () => {
    trusted = compileTrustedProxies(undefined);
    expect(await stampedFor("127.0.0.1", forged)).toBe("127.0.0.1");
    expect(await stampedFor("127.0.0.2", forged)).toBe("127.0.0.2");
    expect(await stampedFor("::1", forged)).toBe("::1");
  });

  it("drops a client-sent internal header even when it comes twice", async () => {
    trusted = compileTrustedProxies(undefined);
    const socket = connect({ host: "127.0.0.1", port, localAddress: "127.0.0.2" });
    await once(socket, "connect");
    socket.write(
      `GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${CLIENT_IP_HEADER}: 6.6.6.6\r\n` +
        `${CLIENT_IP_HEADER.toUpperCase()}: 7.7.7.7\r\n\r\n`,
    );
    let raw = "";
    socket.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    await once(socket, "close");
    expect(raw).toContain('{"stamped":"127.0.0.2"}');
  });
});

describe("the client address behind trusted proxies", () => {
  it("is the right-most X-Forwarded-For hop that is not a trusted proxy (IPv4)", async () => {
    trusted = compileTrustedProxies("127.0.0.2");
    // Through the proxy: what the client prepended does not count.
    expect(await stampedFor("127.0.0.2", { "x-forwarded-for": "198.51.100.1, 203.0.113.9" })).toBe(
      "203.0.113.9",
    );
    // Not through the proxy: the header is ignored.
    expect(await stampedFor("127.0.0.1", { "x-forwarded-for": "198.51.100.1, 203.0.113.9" })).toBe(
      "127.0.0.1",
    );
    // The proxy sent none: the proxy is the client.
    expect(await stampedFor("127.0.0.2")).toBe("127.0.0.2");
  });

  it("skips every trusted hop, IPv4 and IPv6 CIDRs alike", async () => {
    trusted = compileTrustedProxies(" 127.0.0.0/8 , ::1/128, 2001:db8::/32,10.0.0.0/8 ");
    expect(
      await stampedFor("::1", {
        "x-forwarded-for": "192.0.2.77, 2001:db8:0:0::5, 10.1.2.3, 2001:db8::9",
      }),
    ).toBe("192.0.2.77");
    expect(await stampedFor("127.0.0.1", { "x-forwarded-for": "2001:DB9::1, 10.0.0.1" })).toBe(
      "2001:db9::1",
    );
    // Every hop trusted: the furthest one is all we know.
    expect(await stampedFor("127.0.0.1", { "x-forwarded-for": "10.9.9.9, 127.0.0.3" })).toBe(
      "10.9.9.9",
    );
  });

  it("falls back to the last trusted hop when a trusted proxy passes on something else", async () => {
    trusted = compileTrustedProxies("loopback");
    expect(await stampedFor("127.0.0.1", { "x-forwarded-for": "not-an-ip" })).toBe("127.0.0.1");
    // The garbage is the right-most untrusted hop: nothing left of it counts.
    expect(await stampedFor("::1", { "x-forwarded-for": "127.0.0.9, <script>" })).toBe("::1");
  });

  it("refuses a malformed TRUSTED_PROXIES at start-up", () => {
    for (const bad of ["10.0.0.0/33", "bogus", "10.0.0.1, nope", "::1/129", "10.0.0.0/0"]) {
      expect(() => compileTrustedProxies(bad), bad).toThrow(TypeError);
    }
    expect(compileTrustedProxies("")("127.0.0.1", 0)).toBe(false);
  });

  it("has no address without a socket peer", () => {
    const detached = { socket: {}, headers: {} } as unknown as Parameters<typeof clientAddress>[0];
    expect(clientAddress(detached, compileTrustedProxies(undefined))).toBeNull();
  });
});

describe("clientIp (what pages and route handlers read)", () => {
  it("is null until the server marked the process, then the stamped address", () => {
    const headers = new Headers({ [CLIENT_IP_HEADER]: "203.0.113.5" });
    expect(clientIp(headers)).toBeNull(); // a plain `next start`: the header may be the client's
    markClientIpHeaderSet();
    expect(clientIp(headers)).toBe("203.0.113.5");
    expect(clientIp(new Headers({ [CLIENT_IP_HEADER]: "not an ip" }))).toBeNull();
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.5" }))).toBeNull();
  });

  it("tells loopback clients apart", () => {
    for (const ip of ["127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1"])
      expect(isLoopback(ip), ip).toBe(true);
    for (const ip of ["192.0.2.2", "fd00::2", "10.0.0.1", "::ffff:10.0.0.1", "", "localhost", null])
      expect(isLoopback(ip), String(ip)).toBe(false);
  });
});
