// hosting.checkDomains (cron, every 10 minutes; system client — it reads across tenants by
// design): custom domains are checked without anyone pressing Verify (./domains.ts).
//
// - PENDING / FAILED domains younger than PENDING_WINDOW_DAYS are checked (each at most every
//   PENDING_INTERVAL_MINUTES) through checkDomain, as Verify does — found: VERIFIED, its record
//   created, audited, `domain.verified` emitted; not found: the status stays, lastError says what
//   was seen. Older ones become EXPIRED (audited and the `domain.expired` webhook event emitted, once): no more automatic checks, Verify still
//   works. A claim whose hostname another workspace holds verified is not looked up: lastError
//   says it is held (not by whom), and it expires like any other.
// - VERIFIED domains are checked daily (VERIFIED_INTERVAL_HOURS, a little under a day so the
//   10-minute cron does not drift). Found: missedChecks back to 0. Not found (missing or another
//   token): missedChecks + 1; at LAPSE_AFTER_MISSES the record in Plinth's zone is deleted
//   through DNS_PROVIDER and the domain is EXPIRED, with one email per owner and admin and an
//   audit entry (alertDomainLapsed, claimed by a conditional update: once). A lookup that fails
//   (SERVFAIL, timeout) is our side's or the resolver's trouble: not a miss.
//
// Bounded: BATCH_SIZE domains of each kind per run, the oldest checks first, CONCURRENCY lookups
// at a time, each limited by DNS_LOOKUP_TIMEOUT_MS. Idempotent: every write is conditional on
// what was read (status, missedChecks), and a domain checked at `now` is not due again at `now`.
import { recordAudit, systemAudit } from "@plinth/core/audit";
import type { Logger } from "@plinth/core/logger";
import type { Prisma, PrismaClient } from "@plinth/db";
import {
  DnsProviderError,
  dnsProviderFromEnv,
  domainVerifierFromEnv,
  parseDnsEnv,
  verificationRecord,
} from "@plinth/dns";
import { alertDomainLapsed, emitDomainExpired } from "./alerts.ts";
import { checkDomain, domainView, type CheckContext, type HeldElsewhere } from "./domains.ts";

export const PENDING_WINDOW_DAYS = 7;
export const PENDING_INTERVAL_MINUTES = 10;
export const VERIFIED_INTERVAL_HOURS = 23;
export const LAPSE_AFTER_MISSES = 3;
const BATCH_SIZE = 50;
const CONCURRENCY = 5;

const HOUR = 3_600_000;
const HELD = "This domain is verified by another workspace";

export interface CheckDomainsOptions {
  now: Date;
  /** Base URL of the web app (links in the lapse email). */
  appUrl: string;
  logger: Pick<Logger, "warn">;
  batchSize?: number;
}

export interface CheckDomainsOutcome {
  /** Pending domains the check verified. */
  verified: number;
  /** Pending domains still without their record. */
  pending: number;
  expired: number;
  /** Verified domains whose record was found again. */
  confirmed: number;
  /** Verified domains whose record was not found (not yet lapsed). */
  missed: number;
  lapsed: number;
  /** Domains whose check threw (logged; the next run tries again). */
  errors: number;
}

const live = {
  state: { notIn: ["DESTROYING", "DESTROYED"] },
} satisfies Prisma.HostingWorkspaceWhereInput;
const candidate = {
  ...domainView,
  organizationId: true,
  missedChecks: true,
  workspace: { select: { id: true, name: true, outputs: true } },
} as const satisfies Prisma.HostingDomainSelect;

/** Runs `fn` over `items`, `CONCURRENCY` at a time; a throw is counted and logged, not fatal. */
async function each<T>(
  items: T[],
  logger: Pick<Logger, "warn">,
  fn: (item: T) => Promise<void>,
): Promise<number> {
  let errors = 0;
  for (let i = 0; i < items.length; i += CONCURRENCY) {
    const results = await Promise.allSettled(items.slice(i, i + CONCURRENCY).map(fn));
    for (const result of results) {
      if (result.status === "rejected") {
        errors += 1;
        logger.warn({ err: result.reason as unknown }, "custom domain check failed");
      }
    }
  }
  return errors;
}

export async function checkDomains(
  prisma: PrismaClient,
  options: CheckDomainsOptions,
): Promise<CheckDomainsOutcome> {
  const { now, logger } = options;
  const take = options.batchSize ?? BATCH_SIZE;
  const outcome: CheckDomainsOutcome = {
    verified: 0,
    pending: 0,
    expired: 0,
    confirmed: 0,
    missed: 0,
    lapsed: 0,
    errors: 0,
  };
  const windowStart = new Date(now.getTime() - PENDING_WINDOW_DAYS * 24 * HOUR);
  const audit = systemAudit("scheduled custom domain check");
  const heldElsewhere: HeldElsewhere = async (hostname, domainId) =>
    (await prisma.hostingDomain.findFirst({
      where: { hostname, status: "VERIFIED", ...(domainId ? { id: { not: domainId } } : {}) },
      select: { id: true },
    })) !== null;

  // Past the window: EXPIRED, once (the update is conditional on the status read).
  const stale = await prisma.hostingDomain.findMany({
    where: { status: { in: ["PENDING", "FAILED"] }, createdAt: { lte: windowStart } },
    orderBy: { createdAt: "asc" },
    take,
    select: { id: true, organizationId: true, workspaceId: true, hostname: true, status: true },
  });
  const expiredError = `Not verified within ${PENDING_WINDOW_DAYS} days of being added: automatic checks stopped; publish the TXT record and press Verify`;
  outcome.errors += await each(stale, logger, async (domain) => {
    const done = await prisma.$transaction(async (tx) => {
      const updated = await tx.hostingDomain.updateMany({
        where: { id: domain.id, status: domain.status },
        data: { status: "EXPIRED", lastError: expiredError, lastCheckedAt: now },
      });
      if (updated.count === 0) return false;
      await emitDomainExpired(tx, {
        organizationId: domain.organizationId,
        domainId: domain.id,
        workspaceId: domain.workspaceId,
        hostname: domain.hostname,
        cause: "unverified",
        reason: expiredError,
      });
      await recordAudit(tx, audit, {
        organizationId: domain.organizationId,
        action: "domain.expired",
        targetType: "workspace",
        targetId: domain.workspaceId,
        changes: {
          domainId: { to: domain.id },
          hostname: { to: domain.hostname },
          status: { from: domain.status, to: "EXPIRED" },
        },
      });
      return true;
    });
    if (done) outcome.expired += 1;
  });

  // Pending claims: the same check as Verify, by the system.
  const ctx: CheckContext = {
    transaction: (fn) => prisma.$transaction(fn),
    audit,
    logger,
    heldElsewhere,
    failureKeepsStatus: true,
    now,
  };
  const pending = await prisma.hostingDomain.findMany({
    where: {
      status: { in: ["PENDING", "FAILED"] },
      createdAt: { gt: windowStart },
      OR: [
        { lastCheckedAt: null },
        { lastCheckedAt: { lte: new Date(now.getTime() - PENDING_INTERVAL_MINUTES * 60_000) } },
      ],
      workspace: live,
    },
    orderBy: { lastCheckedAt: { sort: "asc", nulls: "first" } },
    take,
    select: candidate,
  });
  outcome.errors += await each(pending, logger, async (domain) => {
    const result = await checkDomain(ctx, { workspace: domain.workspace, domain });
    if (result.outcome === "held") {
      // Nothing was written by checkDomain: say why, and check again later like any claim.
      await prisma.hostingDomain.updateMany({
        where: { id: domain.id, status: domain.status },
        data: { lastCheckedAt: now, lastError: HELD },
      });
      outcome.pending += 1;
    } else if (result.saved?.status === "VERIFIED") outcome.verified += 1;
    else if (result.saved) outcome.pending += 1;
  });

  // Verified domains, daily; and those due to lapse whose record could not be deleted yet.
  const verified = await prisma.hostingDomain.findMany({
    where: {
      status: "VERIFIED",
      OR: [
        { lastCheckedAt: null },
        { lastCheckedAt: { lte: new Date(now.getTime() - VERIFIED_INTERVAL_HOURS * HOUR) } },
        { missedChecks: { gte: LAPSE_AFTER_MISSES } },
      ],
      workspace: live,
    },
    orderBy: { lastCheckedAt: { sort: "asc", nulls: "first" } },
    take,
    select: candidate,
  });
  const env = parseDnsEnv();
  const verifier = domainVerifierFromEnv(env);
  outcome.errors += await each(verified, logger, async (domain) => {
    const result = await verifier.verify(domain.hostname, domain.verificationToken);
    // Conditional on what was read: a concurrent run (or Verify) changed it → leave it.
    const unchanged = {
      id: domain.id,
      status: "VERIFIED",
      missedChecks: domain.missedChecks,
    } as const;
    if (result.status === "verified" || result.status === "lookup_error") {
      await prisma.hostingDomain.updateMany({
        where: unchanged,
        data:
          result.status === "verified"
            ? { lastCheckedAt: now, lastError: null, missedChecks: 0 }
            : {
                lastCheckedAt: now,
                lastError: `The DNS lookup of ${result.record.name} failed (${result.code}); not counted as missing`,
              },
      });
      if (result.status === "verified") outcome.confirmed += 1;
      return;
    }
    const misses = domain.missedChecks + 1;
    const record = verificationRecord(domain.hostname, domain.verificationToken);
    const lastError =
      result.status === "missing"
        ? `No TXT record at ${record.name}`
        : `The TXT records at ${record.name} do not include ${record.content}`;
    const counted = await prisma.hostingDomain.updateMany({
      where: unchanged,
      data: { lastCheckedAt: now, lastError, missedChecks: misses },
    });
    if (counted.count === 0) return;
    if (misses < LAPSE_AFTER_MISSES) {
      outcome.missed += 1;
      return;
    }
    // Lapsed: the record in Plinth's zone goes first; a provider failure keeps the domain
    // VERIFIED (missedChecks ≥ the limit), and the next run tries again.
    let deletedRecord: string | null = null;
    if (domain.dnsProvider && domain.dnsRecordType && domain.dnsRecordName) {
      const dns = dnsProviderFromEnv(env);
      if (dns.configured && dns.provider.name === domain.dnsProvider) {
        try {
          await dns.provider.deleteRecord({
            type: domain.dnsRecordType === "A" ? "A" : "CNAME",
            name: domain.dnsRecordName,
          });
        } catch (error) {
          if (!(error instanceof DnsProviderError)) throw error;
          logger.warn(
            { err: error, domainId: domain.id, code: error.code },
            "custom domain: lapsed, but its DNS record was not deleted; retried next run",
          );
          return;
        }
        deletedRecord = `${domain.dnsRecordType} ${domain.dnsRecordName}`;
      } else {
        logger.warn(
          { domainId: domain.id, provider: domain.dnsProvider },
          "custom domain: lapsed; its record's DNS provider is no longer configured; record left",
        );
      }
    }
    const organization = await prisma.organization.findUnique({
      where: { id: domain.organizationId },
      select: { slug: true },
    });
    const emailed = await alertDomainLapsed(prisma, {
      organizationId: domain.organizationId,
      domainId: domain.id,
      workspaceId: domain.workspaceId,
      workspaceName: domain.workspace.name,
      hostname: domain.hostname,
      reason: `${lastError} on ${misses} daily checks in a row: verification lapsed`,
      deletedRecord,
      url: `${options.appUrl}/o/${organization?.slug ?? "-"}/workspaces/${domain.workspaceId}`,
    });
    if (emailed !== null) outcome.lapsed += 1;
  });
  return outcome;
}
