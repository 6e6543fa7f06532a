// The client IP over real HTTP against the built app (apps/web/server.ts), started by run.ts
// with TRUSTED_PROXIES=127.0.0.2 and listening on 127.0.0.1:
//  (a) a direct client (127.0.0.1) sending X-Forwarded-For, X-Real-IP, Forwarded and the
//      internal header: the sign-up throttle key and the audit IP are still 127.0.0.1;
//  (b) through the trusted proxy (connecting from 127.0.0.2): the right-most X-Forwarded-For
//      hop that the proxy appended, not what the client prepended;
//  (c) the dev mailbox: 200 for the direct loopback client whatever headers it forges; 404
//      when the trusted proxy forwards a non-loopback client.
import assert from "node:assert/strict";
import { createDatabase, systemClient } from "@plinth/db";
import { rawRequest } from "./http.ts";

export const TRUSTED_PROXY = "127.0.0.2";
const INTERNAL_HEADER = "x-plinth-client-ip";

export async function runClientIp(baseUrl: string, options: { databaseUrl: string }) {
  const origin = new URL(baseUrl);
  // The server listens on 127.0.0.1; Host and Origin stay the app's (AUTH_URL).
  const server = `http://127.0.0.1:${origin.port}`;
  const base = { host: origin.host, origin: origin.origin, "sec-fetch-site": "same-origin" };
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const db = createDatabase(options.databaseUrl, { poolMax: 2 });
  const system = systemClient(db, "e2e: fixtures and checks");

  async function signUp(email: string, headers: Record<string, string>, localAddress?: string) {
    const response = await rawRequest(`${server}/api/trpc/account.signUp`, {
      method: "POST",
      headers: { ...base, "content-type": "application/json", ...headers },
      body: JSON.stringify({
        json: { name: "Ip Probe", email, password: "a long enough password" },
      }),
      ...(localAddress ? { localAddress } : {}),
    });
    assert.equal(response.status, 200, `sign-up answered ${response.status}: ${response.body}`);
    const user = await system.user.findUniqueOrThrow({
      where: { email },
      include: { memberships: true },
    });
    const audit = await system.auditLog.findFirstOrThrow({
      where: {
        organizationId: user.memberships[0]!.organizationId,
        action: "organization.created",
      },
    });
    return audit.ipAddress;
  }
  const bucket = (ip: string) =>
    system.rateLimitBucket.findUnique({ where: { key: `signup:ip:${ip}` } });

  try {
    // (a) direct, with every header a client could forge.
    const forged = {
      "x-forwarded-for": "203.0.113.66",
      "x-real-ip": "203.0.113.67",
      forwarded: "for=203.0.113.68",
      [INTERNAL_HEADER]: "203.0.113.69",
    };
    assert.equal(await signUp(`ip-direct-${stamp}@example.com`, forged), "127.0.0.1");
    assert.ok(await bucket("127.0.0.1"), "the sign-up throttle counted 127.0.0.1");
    for (const ip of ["203.0.113.66", "203.0.113.67", "203.0.113.68", "203.0.113.69"])
      assert.equal(await bucket(ip), null, `no throttle bucket for the forged ${ip}`);

    // (b) through the trusted proxy: the client forged 198.51.100.10, the proxy appended the
    // address it saw (203.0.113.70).
    const viaProxy = await signUp(
      `ip-proxied-${stamp}@example.com`,
      { "x-forwarded-for": "198.51.100.10, 203.0.113.70", [INTERNAL_HEADER]: "198.51.100.11" },
      TRUSTED_PROXY,
    );
    assert.equal(viaProxy, "203.0.113.70");
    assert.ok(await bucket("203.0.113.70"), "the sign-up throttle counted the proxied client");
    assert.equal(await bucket("198.51.100.10"), null);
    assert.equal(await bucket("198.51.100.11"), null);

    // (c) the dev mailbox (served by this test build: DEV_MAILBOX=1) to loopback clients only.
    const mailbox = (headers: Record<string, string>, localAddress?: string) =>
      rawRequest(`${server}/dev/mailbox`, {
        headers: { host: origin.host, ...headers },
        ...(localAddress ? { localAddress } : {}),
      }).then((response) => response.status);
    assert.equal(await mailbox(forged), 200, "a loopback client, whatever it claims");
    assert.equal(
      await mailbox({ "x-forwarded-for": "203.0.113.80" }, TRUSTED_PROXY),
      404,
      "a remote client forwarded by the trusted proxy",
    );
    assert.equal(
      await mailbox(
        { "x-forwarded-for": "203.0.113.80", [INTERNAL_HEADER]: "127.0.0.1" },
        TRUSTED_PROXY,
      ),
      404,
      "a remote client forwarded by the trusted proxy, forging the internal header",
    );
    assert.equal(
      await mailbox({ "x-forwarded-for": "127.0.0.1" }, TRUSTED_PROXY),
      200,
      "a loopback client forwarded by the trusted proxy",
    );
  } finally {
    await db.disconnect();
  }
}
