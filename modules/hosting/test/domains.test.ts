// Custom domains of workspaces on real PostgreSQL, against local servers: a DNS server (dns2,
// UDP) that the verifier's Resolver is pointed at through DNS_RESOLVERS, and servers shaped like
// Cloudflare's API v4 and Route 53's XML API that the real SDKs talk to (packages/dns/test).
// Verified (the record created in Plinth's zone, the webhook event, the audit trail), missing and
// wrong TXT records (FAILED with a clean lastError, a 200 answer), a provider failure (typed,
// not a 500), removal deleting the record, one hostname per organization, roles and
// another tenant's ids refused.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import {
  startCloudflareServer,
  type CloudflareTestServer,
} from "@plinth/dns/testing/cloudflare-server";
import { startDnsServer, type DnsTestServer } from "@plinth/dns/testing/dns-server";
import { startRoute53Server, type Route53TestServer } from "@plinth/dns/testing/route53-server";
import { TRPCError } from "@plinth/trpc/testing";
import {
  addMember,
  callerFor,
  createOrganization,
  createUser,
  localProvider,
  runHosting,
  setPlan,
} from "./kit.ts";

const ZONE = "plinth-hosted.localhost"; // HOSTING_DOMAIN_ZONE's default

let db: TestDatabase;
let dnsServer: DnsTestServer;
let cloudflare: CloudflareTestServer;
let route53: Route53TestServer;
const saved = { ...process.env };

function useCloudflare() {
  process.env.DNS_PROVIDER = "cloudflare";
  process.env.CLOUDFLARE_API_TOKEN = cloudflare.token;
  process.env.CLOUDFLARE_ZONE_ID = cloudflare.zoneId;
  process.env.CLOUDFLARE_API_URL = cloudflare.baseURL;
}
function useRoute53() {
  process.env.DNS_PROVIDER = "route53";
  process.env.ROUTE53_HOSTED_ZONE_ID = route53.hostedZoneId;
  process.env.ROUTE53_ACCESS_KEY_ID = route53.credentials.accessKeyId;
  process.env.ROUTE53_SECRET_ACCESS_KEY = route53.credentials.secretAccessKey;
  process.env.ROUTE53_ENDPOINT = route53.endpoint;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dnsServer = await startDnsServer();
  cloudflare = await startCloudflareServer({ zoneName: ZONE });
  route53 = await startRoute53Server({ zoneName: ZONE });
  process.env.DNS_RESOLVERS = dnsServer.address;
  process.env.DNS_LOOKUP_TIMEOUT_MS = "500";
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([dnsServer.close(), cloudflare.close(), route53.close()]);
  await db.drop();
});
beforeEach(() => {
  useCloudflare();
  cloudflare.records.clear();
  cloudflare.requests.length = 0;
  route53.sets.clear();
  route53.requests.length = 0;
});

async function orgWithWorkspace(tag: string, host = `app-${tag}.hosting.test`) {
  const owner = await createUser(db, `owner-${tag}@domains.test`);
  const org = await createOrganization(db, owner, `Domains ${tag}`);
  await setPlan(db, org.id, "enterprise");
  const workspace = await db.system.hostingWorkspace.create({
    data: {
      organizationId: org.id,
      name: `ws-${tag}`,
      app: "bahmni",
      version: "1.0.0",
      size: "small",
      region: "eu-central",
      state: "READY",
      outputs: { host, port: 5432, database: `ws_${tag}`, user: `ws_${tag}` },
      readyAt: new Date(),
    },
  });
  return { owner, org, workspace, caller: callerFor(db, owner) };
}

function publish(name: string, values: string[]) {
  dnsServer.zone.set(
    name,
    values.map((value) => [value]),
  );
}

async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("custom domains", () => {
  it("added (the TXT record to publish) → missing → wrong → verified (CNAME on Cloudflare) → removed", async () => {
    const { org, workspace, caller } = await orgWithWorkspace("cf");
    const organizationId = org.id;
    const workspaceId = workspace.id;
    const endpoint = await db.system.webhookEndpoint.create({
      data: { organizationId, url: "https://hooks.example.com/d", eventTypes: ["domain.verified"] },
    });

    const added = await caller.domain.add({
      organizationId,
      workspaceId,
      hostname: "Shop.Acme.TEST.",
    });
    const token = (await db.system.hostingDomain.findUniqueOrThrow({ where: { id: added.id } }))
      .verificationToken;
    expect(added).toMatchObject({
      workspaceId,
      hostname: "shop.acme.test",
      status: "PENDING",
      lastCheckedAt: null,
      lastError: null,
      verifiedAt: null,
      record: null,
      verification: {
        type: "TXT",
        name: "_plinth-challenge.shop.acme.test",
        value: `plinth-verification=${token}`,
      },
      target: { type: "CNAME", name: "shop.acme.test", value: `d-${added.id}.${ZONE}` },
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await caller.domain.list({ organizationId, workspaceId })).toEqual([added]);

    // Nothing published yet.
    const missing = await caller.domain.verify({ organizationId, workspaceId, domainId: added.id });
    expect(missing.outcome).toBe("missing");
    expect(missing.domain).toMatchObject({
      status: "FAILED",
      lastError: "No TXT record at _plinth-challenge.shop.acme.test",
      verifiedAt: null,
      record: null,
    });
    expect(missing.domain.lastCheckedAt).toBeInstanceOf(Date);
    expect(dnsServer.queries).toContain("_plinth-challenge.shop.acme.test");

    // Someone else's token.
    publish("_plinth-challenge.shop.acme.test", ["plinth-verification=not-yours"]);
    const wrong = await caller.domain.verify({ organizationId, workspaceId, domainId: added.id });
    expect(wrong.outcome).toBe("mismatch");
    expect(wrong.domain.status).toBe("FAILED");
    expect(wrong.domain.lastError).toContain("do not include plinth-verification=");
    expect(cloudflare.records.size).toBe(0);

    // Published: verified, and the record exists on the Cloudflare server.
    publish("_plinth-challenge.shop.acme.test", ["v=spf1 -all", `plinth-verification=${token}`]);
    const verified = await caller.domain.verify({
      organizationId,
      workspaceId,
      domainId: added.id,
    });
    expect(verified.outcome).toBe("verified");
    expect(verified.domain).toMatchObject({
      status: "VERIFIED",
      lastError: null,
      record: { provider: "cloudflare", type: "CNAME", name: `d-${added.id}.${ZONE}` },
    });
    expect(verified.domain.verifiedAt).toBeInstanceOf(Date);
    expect([...cloudflare.records.values()]).toEqual([
      expect.objectContaining({
        type: "CNAME",
        name: `d-${added.id}.${ZONE}`,
        content: "app-cf.hosting.test",
      }),
    ]);
    const stored = await db.system.hostingDomain.findUniqueOrThrow({ where: { id: added.id } });
    expect(stored.providerRecordId).toBe([...cloudflare.records.keys()][0]);

    // Again: unchanged (no write), still one record, no second event.
    const writes = () => cloudflare.requests.filter((r) => r.method !== "GET").length;
    const before = writes();
    const again = await caller.domain.verify({ organizationId, workspaceId, domainId: added.id });
    expect(again.outcome).toBe("verified");
    expect(writes()).toBe(before);
    expect(cloudflare.records.size).toBe(1);
    const events = await db.system.webhookEvent.findMany({
      where: { organizationId, type: "domain.verified" },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({
      domainId: added.id,
      workspaceId,
      hostname: "shop.acme.test",
      target: `d-${added.id}.${ZONE}`,
    });
    expect(await db.system.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);

    // The workspace's host became an IP address: the CNAME is replaced by an A record.
    await db.system.hostingWorkspace.update({
      where: { id: workspaceId },
      data: { outputs: { host: "203.0.113.20", port: 5432 } },
    });
    const moved = await caller.domain.verify({ organizationId, workspaceId, domainId: added.id });
    expect(moved.domain.record).toMatchObject({ type: "A" });
    expect([...cloudflare.records.values()]).toEqual([
      expect.objectContaining({
        type: "A",
        name: `d-${added.id}.${ZONE}`,
        content: "203.0.113.20",
      }),
    ]);

    // Removed: the record is gone from the server, the row from the table.
    expect(await caller.domain.remove({ organizationId, workspaceId, domainId: added.id })).toEqual(
      {
        id: added.id,
        hostname: "shop.acme.test",
        recordDeleted: true,
      },
    );
    expect(cloudflare.records.size).toBe(0);
    expect(await db.system.hostingDomain.count({ where: { id: added.id } })).toBe(0);
    expect(await caller.domain.list({ organizationId, workspaceId })).toEqual([]);

    const audit = await db.system.auditLog.findMany({
      where: { organizationId, action: { startsWith: "domain." } },
      orderBy: { createdAt: "asc" },
      select: { action: true, targetId: true, changes: true },
    });
    expect(audit.map((entry) => entry.action)).toEqual([
      "domain.added",
      "domain.verification_failed",
      "domain.verified",
      "domain.removed",
    ]);
    expect(audit.every((entry) => entry.targetId === workspaceId)).toBe(true);
    expect(audit[2]!.changes).toMatchObject({
      status: { from: "FAILED", to: "VERIFIED" },
      record: { to: `CNAME d-${added.id}.${ZONE}` },
    });
  });

  it("Route 53: an A record for a workspace whose host is an IP address, deleted on removal", async () => {
    useRoute53();
    const { org, workspace, caller } = await orgWithWorkspace("r53", "203.0.113.7");
    const organizationId = org.id;
    const workspaceId = workspace.id;
    const added = await caller.domain.add({
      organizationId,
      workspaceId,
      hostname: "erp.beta.test",
    });
    const token = (await db.system.hostingDomain.findUniqueOrThrow({ where: { id: added.id } }))
      .verificationToken;
    publish("_plinth-challenge.erp.beta.test", [`plinth-verification=${token}`]);
    const verified = await caller.domain.verify({
      organizationId,
      workspaceId,
      domainId: added.id,
    });
    expect(verified).toMatchObject({
      outcome: "verified",
      domain: { status: "VERIFIED", record: { provider: "route53", type: "A" } },
    });
    expect(route53.sets.get(`d-${added.id}.${ZONE}. A`)).toEqual({
      name: `d-${added.id}.${ZONE}.`,
      type: "A",
      ttl: 300,
      values: ["203.0.113.7"],
    });
    const batches = route53.requests.filter((r) => r.method === "POST").map((r) => r.actions);
    expect(batches).toEqual([["UPSERT"]]);

    await caller.domain.remove({ organizationId, workspaceId, domainId: added.id });
    expect(route53.sets.size).toBe(0);
    expect(route53.requests.filter((r) => r.method === "POST").map((r) => r.actions)).toEqual([
      ["UPSERT"],
      ["DELETE"],
    ]);
  });

  it("a provider failure is a typed outcome (dns_error, FAILED), never a 500; DNS_PROVIDER=none verifies without a record", async () => {
    const { org, workspace, caller } = await orgWithWorkspace("fail");
    const organizationId = org.id;
    const workspaceId = workspace.id;
    const added = await caller.domain.add({
      organizationId,
      workspaceId,
      hostname: "fail.gamma.test",
    });
    const token = (await db.system.hostingDomain.findUniqueOrThrow({ where: { id: added.id } }))
      .verificationToken;
    publish("_plinth-challenge.fail.gamma.test", [`plinth-verification=${token}`]);

    cloudflare.failNext(403, 10000, "Authentication error", 1);
    const failed = await caller.domain.verify({ organizationId, workspaceId, domainId: added.id });
    expect(failed.outcome).toBe("dns_error");
    expect(failed.domain).toMatchObject({
      status: "FAILED",
      lastError: "The DNS record could not be created (forbidden); try again later",
      verifiedAt: null,
      record: null,
    });
    expect(JSON.stringify(failed)).not.toContain(cloudflare.token);

    // A lookup that fails (SERVFAIL) is not "wrong token": try again later.
    dnsServer.zone.set("_plinth-challenge.fail.gamma.test", { rcode: 2 });
    const lookup = await caller.domain.verify({ organizationId, workspaceId, domainId: added.id });
    expect(lookup.outcome).toBe("lookup_error");
    expect(lookup.domain.lastError).toContain("ESERVFAIL");

    publish("_plinth-challenge.fail.gamma.test", [`plinth-verification=${token}`]);
    process.env.DNS_PROVIDER = "none";
    const plain = await caller.domain.verify({ organizationId, workspaceId, domainId: added.id });
    expect(plain).toMatchObject({
      outcome: "verified",
      domain: { status: "VERIFIED", record: null },
    });
    expect(cloudflare.records.size).toBe(0);
    expect(
      await caller.domain.remove({ organizationId, workspaceId, domainId: added.id }),
    ).toMatchObject({ recordDeleted: false });
  });

  it("refusals: bad names, one hostname per organization, destroyed workspaces, members, other tenants", async () => {
    const a = await orgWithWorkspace("ta");
    const b = await orgWithWorkspace("tb");
    const added = await a.caller.domain.add({
      organizationId: a.org.id,
      workspaceId: a.workspace.id,
      hostname: "taken.delta.test",
    });

    expect(
      (
        await refusal(
          a.caller.domain.add({
            organizationId: a.org.id,
            workspaceId: a.workspace.id,
            hostname: "localhost",
          }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
    const own = await refusal(
      a.caller.domain.add({
        organizationId: a.org.id,
        workspaceId: a.workspace.id,
        hostname: `x.${ZONE}`,
      }),
    );
    expect(own.code).toBe("BAD_REQUEST");

    // A pending claim blocks nobody: B may claim A's unverified domain too (each proves it with
    // its own token; domains-verification.test.ts), but A cannot add it twice.
    await expect(
      b.caller.domain.add({
        organizationId: b.org.id,
        workspaceId: b.workspace.id,
        hostname: "TAKEN.delta.test",
      }),
    ).resolves.toMatchObject({ hostname: "taken.delta.test", status: "PENDING" });
    const twice = await refusal(
      a.caller.domain.add({
        organizationId: a.org.id,
        workspaceId: a.workspace.id,
        hostname: "taken.delta.test",
      }),
    );
    expect(twice.code).toBe("CONFLICT");

    // B's caller with A's ids, and with its own organization but A's workspace or domain.
    const foreign = [
      () => b.caller.domain.list({ organizationId: a.org.id, workspaceId: a.workspace.id }),
      () => b.caller.domain.list({ organizationId: b.org.id, workspaceId: a.workspace.id }),
      () =>
        b.caller.domain.add({
          organizationId: b.org.id,
          workspaceId: a.workspace.id,
          hostname: "sneaky.delta.test",
        }),
      () =>
        b.caller.domain.verify({
          organizationId: b.org.id,
          workspaceId: b.workspace.id,
          domainId: added.id,
        }),
      () =>
        b.caller.domain.verify({
          organizationId: b.org.id,
          workspaceId: a.workspace.id,
          domainId: added.id,
        }),
      () =>
        b.caller.domain.remove({
          organizationId: b.org.id,
          workspaceId: b.workspace.id,
          domainId: added.id,
        }),
      () =>
        b.caller.domain.remove({
          organizationId: a.org.id,
          workspaceId: a.workspace.id,
          domainId: added.id,
        }),
    ];
    for (const attempt of foreign) expect((await refusal(attempt())).code).toBe("NOT_FOUND");
    expect(await db.system.hostingDomain.findUnique({ where: { id: added.id } })).toMatchObject({
      organizationId: a.org.id,
      status: "PENDING",
    });

    // Members read; only admins and owners change domains.
    const member = await createUser(db, "member@domains.test");
    await addMember(db, a.org.id, member, "MEMBER");
    const asMember = callerFor(db, member);
    expect(
      await asMember.domain.list({ organizationId: a.org.id, workspaceId: a.workspace.id }),
    ).toHaveLength(1);
    const forbidden = await refusal(
      asMember.domain.remove({
        organizationId: a.org.id,
        workspaceId: a.workspace.id,
        domainId: added.id,
      }),
    );
    expect(forbidden.code).toBe("FORBIDDEN");
    const admin = await createUser(db, "admin@domains.test");
    await addMember(db, a.org.id, admin, "ADMIN");
    await callerFor(db, admin).domain.add({
      organizationId: a.org.id,
      workspaceId: a.workspace.id,
      hostname: "admin.delta.test",
    });

    // A destroyed workspace gets no domain and verifies none.
    await db.system.hostingWorkspace.update({
      where: { id: a.workspace.id },
      data: { state: "DESTROYED", destroyedAt: new Date() },
    });
    const destroyed = await refusal(
      a.caller.domain.add({
        organizationId: a.org.id,
        workspaceId: a.workspace.id,
        hostname: "late.delta.test",
      }),
    );
    expect(destroyed.code).toBe("PRECONDITION_FAILED");
    expect(
      (
        await refusal(
          a.caller.domain.verify({
            organizationId: a.org.id,
            workspaceId: a.workspace.id,
            domainId: added.id,
          }),
        )
      ).code,
    ).toBe("PRECONDITION_FAILED");
  });

  it("destroying the workspace deletes its domains' records and frees their hostnames", async () => {
    const { org, workspace, caller } = await orgWithWorkspace("gone", "203.0.113.9");
    const organizationId = org.id;
    const workspaceId = workspace.id;
    const added = await caller.domain.add({
      organizationId,
      workspaceId,
      hostname: "gone.eps.test",
    });
    const token = (await db.system.hostingDomain.findUniqueOrThrow({ where: { id: added.id } }))
      .verificationToken;
    publish("_plinth-challenge.gone.eps.test", [`plinth-verification=${token}`]);
    expect(
      await caller.domain.verify({ organizationId, workspaceId, domainId: added.id }),
    ).toMatchObject({ outcome: "verified", domain: { record: { type: "A" } } });
    expect(cloudflare.records.size).toBe(1);

    // The local provider has nothing to drop for this hand-made workspace: destroy converges.
    const destroyed = await caller.workspace.destroy({ organizationId, workspaceId });
    await runHosting(db, { runId: destroyed.runId, organizationId }, localProvider(db));
    expect(await caller.workspace.get({ organizationId, workspaceId })).toMatchObject({
      state: "DESTROYED",
    });
    expect(cloudflare.records.size).toBe(0);
    expect(await db.system.hostingDomain.count({ where: { workspaceId } })).toBe(0);
    // The hostname is free again for another workspace.
    const next = await orgWithWorkspace("next");
    await expect(
      next.caller.domain.add({
        organizationId: next.org.id,
        workspaceId: next.workspace.id,
        hostname: "gone.eps.test",
      }),
    ).resolves.toMatchObject({ hostname: "gone.eps.test", status: "PENDING" });
  });
});
