// Who holds a custom domain, and the scheduled checks (hosting.checkDomains), on real PostgreSQL
// with the local DNS server and the Cloudflare-shaped API server (as domains.test.ts): a
// hostname verified by one organization is refused to every other (409, nothing written, the
// holder unnamed); two verifications racing leave one winner (the partial unique index decides
// when both pass the first check); a pending domain is verified by the cron; claims past their
// window expire once; a verified domain whose TXT record is gone lapses on the third daily miss
// (not before), its record deleted, the admins emailed and the audit written once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { systemAudit } from "@plinth/core/audit";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import {
  startCloudflareServer,
  type CloudflareTestServer,
} from "@plinth/dns/testing/cloudflare-server";
import { startDnsServer, type DnsTestServer } from "@plinth/dns/testing/dns-server";
import { TRPCError } from "@plinth/trpc/testing";
import { LAPSE_AFTER_MISSES, PENDING_WINDOW_DAYS, checkDomains } from "../src/domain-checks.ts";
import { checkDomain, domainView } from "../src/domains.ts";
import { worker } from "../src/worker.ts";
import {
  addMember,
  callerFor,
  createOrganization,
  createUser,
  setPlan,
  silentLogger,
  workerServices,
} from "./kit.ts";

const ZONE = "plinth-hosted.localhost";
const DAY = 24 * 3_600_000;

let db: TestDatabase;
let dnsServer: DnsTestServer;
let cloudflare: CloudflareTestServer;
const saved = { ...process.env };
const quiet = { warn: () => undefined };

beforeAll(async () => {
  db = await createTestDatabase();
  dnsServer = await startDnsServer();
  cloudflare = await startCloudflareServer({ zoneName: ZONE });
  process.env.DNS_RESOLVERS = dnsServer.address;
  process.env.DNS_LOOKUP_TIMEOUT_MS = "500";
  process.env.DNS_PROVIDER = "cloudflare";
  process.env.CLOUDFLARE_API_TOKEN = cloudflare.token;
  process.env.CLOUDFLARE_ZONE_ID = cloudflare.zoneId;
  process.env.CLOUDFLARE_API_URL = cloudflare.baseURL;
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([dnsServer.close(), cloudflare.close()]);
  await db.drop();
});
beforeEach(() => {
  cloudflare.records.clear();
  cloudflare.requests.length = 0;
});

async function orgWithWorkspace(tag: string) {
  const owner = await createUser(db, `owner-${tag}@verification.test`);
  const org = await createOrganization(db, owner, `Holder ${tag}`);
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
      outputs: { host: `app-${tag}.hosting.test`, port: 5432 },
      readyAt: new Date(),
    },
  });
  const caller = callerFor(db, owner);
  const ids = { organizationId: org.id, workspaceId: workspace.id };
  const add = async (hostname: string) => {
    const added = await caller.domain.add({ ...ids, hostname });
    const { verificationToken } = await db.system.hostingDomain.findUniqueOrThrow({
      where: { id: added.id },
    });
    return { ...added, token: `plinth-verification=${verificationToken}` };
  };
  const verify = (domainId: string) => caller.domain.verify({ ...ids, domainId });
  return { owner, org, workspace, caller, ids, add, verify };
}

function publish(name: string, values: string[]) {
  dnsServer.zone.set(
    `_plinth-challenge.${name}`,
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

const audits = (organizationId: string, action: string) =>
  db.system.auditLog.findMany({ where: { organizationId, action }, select: { changes: true } });

describe("one verified holder per hostname", () => {
  it("another organization's add and verify are refused with a 409 that writes nothing and names no one", async () => {
    const a = await orgWithWorkspace("holder");
    const b = await orgWithWorkspace("squatter");
    // B claimed it first: a pending claim does not block A, the one who can publish the record.
    const early = await b.add("shop.owned.test");
    const mine = await a.add("shop.owned.test");
    // Both tokens published (B even got its own in): ownership still goes to the first verifier.
    publish("shop.owned.test", [mine.token, early.token]);
    expect((await a.verify(mine.id)).domain.status).toBe("VERIFIED");
    const records = cloudflare.records.size;

    const before = await db.system.hostingDomain.findUniqueOrThrow({ where: { id: early.id } });
    const verifying = await refusal(b.verify(early.id));
    expect(verifying.code).toBe("CONFLICT");
    expect(verifying.message).toBe(
      "This domain is already verified by another workspace: it can be added again once released",
    );
    expect(await db.system.hostingDomain.findUniqueOrThrow({ where: { id: early.id } })).toEqual(
      before,
    );
    expect(cloudflare.records.size).toBe(records);

    await b.caller.domain.remove({ ...b.ids, domainId: early.id });
    const adding = await refusal(b.add("SHOP.owned.test."));
    expect(adding.code).toBe("CONFLICT");
    expect(adding.message).toBe(verifying.message);
    for (const error of [verifying, adding]) {
      const shown = JSON.stringify({ message: error.message, cause: { ...error.cause } });
      for (const secret of [a.org.id, a.org.name, a.workspace.id, a.workspace.name, mine.id]) {
        expect(shown).not.toContain(secret);
      }
    }
    expect(
      await db.system.hostingDomain.count({
        where: { organizationId: b.org.id, hostname: "shop.owned.test" },
      }),
    ).toBe(0);
    expect(await audits(b.org.id, "domain.added")).toHaveLength(1); // the early claim only

    // Released (removed by A): B may add and verify it.
    await a.caller.domain.remove({ ...a.ids, domainId: mine.id });
    const again = await b.add("shop.owned.test");
    publish("shop.owned.test", [again.token]);
    expect((await b.verify(again.id)).domain.status).toBe("VERIFIED");
  });

  it("two organizations verifying at once: exactly one wins, the other gets the 409 and no record", async () => {
    const a = await orgWithWorkspace("race-a");
    const b = await orgWithWorkspace("race-b");
    const da = await a.add("race.owned.test");
    const dbb = await b.add("race.owned.test");
    publish("race.owned.test", [da.token, dbb.token]);

    const results = await Promise.allSettled([a.verify(da.id), b.verify(dbb.id)]);
    const won = results.filter((result) => result.status === "fulfilled");
    const lost = results.filter((result) => result.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0]!.reason as TRPCError).code).toBe("CONFLICT");
    const verified = await db.system.hostingDomain.findMany({
      where: { hostname: "race.owned.test", status: "VERIFIED" },
      select: { id: true },
    });
    expect(verified).toHaveLength(1);
    expect([...cloudflare.records.values()].map((record) => record.name)).toEqual([
      `d-${verified[0]!.id}.${ZONE}`,
    ]);
  });

  it("when both pass the first check, the unique index decides: the loser's record is deleted, its row untouched", async () => {
    const a = await orgWithWorkspace("index-a");
    const b = await orgWithWorkspace("index-b");
    const da = await a.add("index.owned.test");
    const dbb = await b.add("index.owned.test");
    publish("index.owned.test", [da.token, dbb.token]);
    await a.verify(da.id);
    expect(cloudflare.records.size).toBe(1);

    // B's check as if A's verification had landed between B's first check and its write.
    const row = await db.system.hostingDomain.findUniqueOrThrow({
      where: { id: dbb.id },
      select: { ...domainView, organizationId: true },
    });
    const result = await checkDomain(
      {
        transaction: (fn) => db.system.$transaction(fn),
        audit: systemAudit("test: the race's losing side"),
        logger: quiet,
        heldElsewhere: () => Promise.resolve(false),
      },
      { workspace: { id: b.workspace.id, outputs: b.workspace.outputs }, domain: row },
    );
    expect(result).toEqual({ outcome: "held", saved: null });
    expect(cloudflare.records.size).toBe(1);
    expect(cloudflare.requests.filter((r) => r.method === "DELETE")).toHaveLength(1);
    expect(
      await db.system.hostingDomain.findUniqueOrThrow({
        where: { id: dbb.id },
        select: { ...domainView, organizationId: true },
      }),
    ).toEqual(row);
    expect(await audits(b.org.id, "domain.verified")).toHaveLength(0);
  });
});

describe("hosting.checkDomains", () => {
  it("verifies a pending domain once its record is published, without anyone pressing Verify", async () => {
    const c = await orgWithWorkspace("cron");
    await db.system.webhookEndpoint.create({
      data: {
        organizationId: c.org.id,
        url: "https://hooks.example.com/d",
        eventTypes: ["domain.verified"],
      },
    });
    const domain = await c.add("cron.auto.test");
    const t0 = new Date();
    await checkDomains(db.system, { now: t0, appUrl: "http://app.test", logger: quiet });
    const missing = await db.system.hostingDomain.findUniqueOrThrow({ where: { id: domain.id } });
    expect(missing).toMatchObject({
      status: "PENDING",
      lastError: "No TXT record at _plinth-challenge.cron.auto.test",
      lastCheckedAt: t0,
    });

    // Published; a run within the interval does not look again, the next one verifies.
    publish("cron.auto.test", [domain.token]);
    const queries = dnsServer.queries.length;
    await checkDomains(db.system, { now: t0, appUrl: "http://app.test", logger: quiet });
    expect(dnsServer.queries.slice(queries)).not.toContain("_plinth-challenge.cron.auto.test");
    const outcome = await checkDomains(db.system, {
      now: new Date(t0.getTime() + 11 * 60_000),
      appUrl: "http://app.test",
      logger: quiet,
    });
    expect(outcome.verified).toBeGreaterThanOrEqual(1);
    expect(
      await db.system.hostingDomain.findUniqueOrThrow({ where: { id: domain.id } }),
    ).toMatchObject({
      status: "VERIFIED",
      lastError: null,
      dnsRecordName: `d-${domain.id}.${ZONE}`,
    });
    expect(cloudflare.records.size).toBe(1);
    const verified = await audits(c.org.id, "domain.verified");
    expect(verified).toHaveLength(1);
    expect(verified[0]!.changes).toMatchObject({ status: { from: "PENDING", to: "VERIFIED" } });
    expect(
      await db.system.webhookEvent.count({
        where: { organizationId: c.org.id, type: "domain.verified" },
      }),
    ).toBe(1);
    expect(await audits(c.org.id, "domain.verification_failed")).toHaveLength(0);
  });

  it("claims past the window expire once; a claim on a hostname held elsewhere is not looked up", async () => {
    const holder = await orgWithWorkspace("held-a");
    const other = await orgWithWorkspace("held-b");
    const endpoint = await db.system.webhookEndpoint.create({
      data: {
        organizationId: other.org.id,
        url: "https://hooks.example.com/expired",
        eventTypes: ["domain.expired"],
      },
    });
    const mine = await holder.add("held.auto.test");
    const claim = await other.add("held.auto.test");
    publish("held.auto.test", [mine.token, claim.token]);
    await holder.verify(mine.id);

    const queries = dnsServer.queries.length;
    const now = new Date();
    await checkDomains(db.system, { now, appUrl: "http://app.test", logger: quiet });
    expect(
      await db.system.hostingDomain.findUniqueOrThrow({ where: { id: claim.id } }),
    ).toMatchObject({
      status: "PENDING",
      lastError: "This domain is verified by another workspace",
    });
    expect(dnsServer.queries.slice(queries)).not.toContain("_plinth-challenge.held.auto.test");

    await db.system.hostingDomain.update({
      where: { id: claim.id },
      data: { createdAt: new Date(now.getTime() - (PENDING_WINDOW_DAYS * DAY + 60_000)) },
    });
    for (const run of [1, 2]) {
      await checkDomains(db.system, {
        now: new Date(now.getTime() + run * 60_000),
        appUrl: "http://app.test",
        logger: quiet,
      });
    }
    const expired = await db.system.hostingDomain.findUniqueOrThrow({ where: { id: claim.id } });
    expect(expired.status).toBe("EXPIRED");
    expect(expired.lastError).toContain(`Not verified within ${PENDING_WINDOW_DAYS} days`);
    expect(await audits(other.org.id, "domain.expired")).toHaveLength(1);
    // The organization's webhook: one domain.expired event, one delivery to its endpoint.
    const events = await db.system.webhookEvent.findMany({
      where: { organizationId: other.org.id, type: "domain.expired" },
      select: { id: true, data: true },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({
      domainId: claim.id,
      workspaceId: other.workspace.id,
      hostname: "held.auto.test",
      cause: "unverified",
    });
    expect(
      await db.system.webhookDelivery.count({
        where: { eventId: events[0]!.id, endpointId: endpoint.id },
      }),
    ).toBe(1);
    // Verify still works on an expired claim (here: refused, the hostname is held).
    expect((await refusal(other.verify(claim.id))).code).toBe("CONFLICT");
  });

  it("a verified domain whose record is gone lapses on the third daily miss, not before: record deleted, admins emailed, audited once", async () => {
    const d = await orgWithWorkspace("lapse");
    await db.system.webhookEndpoint.create({
      data: {
        organizationId: d.org.id,
        url: "https://hooks.example.com/lapse",
        eventTypes: ["domain.expired"],
      },
    });
    const admin = await createUser(db, "admin-lapse@verification.test");
    await addMember(db, d.org.id, admin, "ADMIN");
    const domain = await d.add("lapse.auto.test");
    const kept = await d.add("kept.auto.test");
    publish("lapse.auto.test", [domain.token]);
    publish("kept.auto.test", [kept.token]);
    await d.verify(domain.id);
    await d.verify(kept.id);
    expect(cloudflare.records.size).toBe(2);

    dnsServer.zone.delete("_plinth-challenge.lapse.auto.test");
    const t0 = Date.now();
    const run = (days: number) =>
      checkDomains(db.system, {
        now: new Date(t0 + days * DAY),
        appUrl: "http://app.test",
        logger: quiet,
      });
    const stored = () => db.system.hostingDomain.findUniqueOrThrow({ where: { id: domain.id } });

    await run(1);
    await run(1); // the same day again: not counted twice
    expect(await stored()).toMatchObject({ status: "VERIFIED", missedChecks: 1 });
    // Pressing Verify meanwhile says what is missing but does not end the grace period.
    expect(await d.verify(domain.id)).toMatchObject({
      outcome: "missing",
      domain: { status: "VERIFIED" },
    });
    // kept.auto.test's record is there: confirmed, never counted.
    expect(
      await db.system.hostingDomain.findUniqueOrThrow({ where: { id: kept.id } }),
    ).toMatchObject({ status: "VERIFIED", missedChecks: 0 });

    await run(2);
    expect(await stored()).toMatchObject({
      status: "VERIFIED",
      missedChecks: LAPSE_AFTER_MISSES - 1,
      lastError: "No TXT record at _plinth-challenge.lapse.auto.test",
    });
    expect(cloudflare.records.size).toBe(2);
    expect(await audits(d.org.id, "domain.verification_lapsed")).toHaveLength(0);

    const outcome = await run(3);
    expect(outcome.lapsed).toBe(1);
    expect(await stored()).toMatchObject({
      status: "EXPIRED",
      missedChecks: LAPSE_AFTER_MISSES,
      verifiedAt: null,
      dnsRecordName: null,
      lastError: `No TXT record at _plinth-challenge.lapse.auto.test on ${LAPSE_AFTER_MISSES} daily checks in a row: verification lapsed`,
    });
    expect([...cloudflare.records.values()].map((record) => record.name)).toEqual([
      `d-${kept.id}.${ZONE}`,
    ]);

    await run(4);
    await run(5);
    const lapsed = await audits(d.org.id, "domain.verification_lapsed");
    expect(lapsed).toHaveLength(1);
    // One domain.expired webhook event (cause: lapsed), however many runs noticed.
    const events = await db.system.webhookEvent.findMany({
      where: { organizationId: d.org.id, type: "domain.expired" },
      select: { data: true, _count: { select: { deliveries: true } } },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({
      domainId: domain.id,
      hostname: "lapse.auto.test",
      cause: "lapsed",
    });
    expect(events[0]!._count.deliveries).toBe(1);
    expect(lapsed[0]!.changes).toMatchObject({
      status: { from: "VERIFIED", to: "EXPIRED" },
      record: { from: `CNAME d-${domain.id}.${ZONE}` },
    });
    const emails = await db.system.email.findMany({
      where: { template: "domain-lapsed" },
      select: { to: true, subject: true, text: true },
    });
    expect(emails.map((email) => email.to).sort()).toEqual([
      "admin-lapse@verification.test",
      "owner-lapse@verification.test",
    ]);
    expect(emails[0]!.subject).toBe("Custom domain lapse.auto.test is no longer verified");
    expect(emails[0]!.text).toContain(`/workspaces/${d.workspace.id}`);
    expect(emails[0]!.text).not.toContain(domain.token);

    // The hostname is free again for someone who can publish its record.
    const next = await orgWithWorkspace("after-lapse");
    const claim = await next.add("lapse.auto.test");
    publish("lapse.auto.test", [claim.token]);
    expect((await next.verify(claim.id)).domain.status).toBe("VERIFIED");
  });

  it("the worker's hosting.checkDomains handler validates its payload and runs the checks at the cron's time", async () => {
    const w = await orgWithWorkspace("worker");
    const domain = await w.add("worker.auto.test");
    publish("worker.auto.test", [domain.token]);
    const job = worker.jobs.find((entry) => entry.definition.name === "hosting.checkDomains");
    if (!job) throw new Error("hosting.checkDomains is not registered");
    expect(() => job.prepare({ _cron: { ts: 42 } })).toThrow();
    await job.prepare({ _cron: { ts: new Date(Date.now() + 60_000).toISOString() } })({
      prisma: db.system,
      log: silentLogger,
      job: {
        id: "1",
        name: "hosting.checkDomains",
        attempt: 1,
        maxAttempts: 3,
        isFinalAttempt: false,
      },
      signal: new AbortController().signal,
      appUrl: "http://localhost:3000",
      ...workerServices,
    });
    expect(
      await db.system.hostingDomain.findUniqueOrThrow({ where: { id: domain.id } }),
    ).toMatchObject({ status: "VERIFIED" });
  });
});
