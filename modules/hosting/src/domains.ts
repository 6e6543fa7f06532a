// Custom domains of workspaces: (scope, input) functions over the organization's RLS-bound data
// access, like ./service.ts. A tenant adds `shop.acme.com` to a workspace and publishes two
// records at their DNS host: the TXT `_plinth-challenge.shop.acme.com` =
// `plinth-verification=<token>` (ownership, checked with node:dns through DNS_RESOLVERS:
// packages/dns's verifier) and the CNAME `shop.acme.com` → `d-<domain id>.<HOSTING_DOMAIN_ZONE>`
// (traffic). Verify looks the TXT record up; once found, the record `d-<id>.<zone>` is created
// in Plinth's zone through DNS_PROVIDER (Cloudflare or Route 53; none: nothing to create),
// pointing at the workspace's host (CNAME to a host name, A to an IP address). Remove deletes
// that record, then the row. Every change is audited; a verified domain emits the
// `domain.verified` webhook event.
//
// No transaction is held across a DNS lookup or a provider call: verify reads, looks up and
// calls the provider, then stores the outcome with a conditional update (the row may have been
// removed meanwhile: then the record just created is deleted again and the answer is 404).
//
// Ownership: several organizations may claim a hostname (PENDING/FAILED/EXPIRED rows), so the
// first to add it cannot block its real owner; VERIFIED it belongs to one workspace platform-wide
// (a partial unique index). Adding or verifying a hostname another workspace holds verified is a
// 409 that writes nothing and does not say who holds it; the check reads across tenants
// (scope.asSystem), and two verifications racing are decided by the index (the loser: the same
// 409, its just-created record deleted again). The other claims stay as they are: they cannot
// verify while the hostname is held, and the scheduled checks (./domain-checks.ts) expire them.
import { isIP } from "node:net";
import { recordAudit, type AuditSource } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import type { Logger } from "@plinth/core/logger";
import { actorUserId } from "@plinth/core/scope";
import { Prisma, type Transact, type TransactionClient } from "@plinth/db";
import {
  DnsProviderError,
  createVerificationToken,
  dnsProviderFromEnv,
  domainNameSchema,
  domainVerifierFromEnv,
  parseDnsEnv,
  verificationRecord,
  type DnsRecordType,
  type VerificationResult,
} from "@plinth/dns";
import { requireRole, type OrgScope } from "@plinth/platform";
import { emitWebhookEvent } from "@plinth/webhooks";
import { hostingEnv } from "./env.ts";
import { workspaceOutputsSchema } from "./stored.ts";

/** At most this many domains per workspace. */
export const MAX_DOMAINS_PER_WORKSPACE = 20;

/** What the API shows of a domain (its token is not a secret: the tenant publishes it). */
export const domainView = {
  id: true,
  workspaceId: true,
  hostname: true,
  verificationToken: true,
  status: true,
  lastCheckedAt: true,
  lastError: true,
  verifiedAt: true,
  dnsProvider: true,
  dnsRecordType: true,
  dnsRecordName: true,
  createdAt: true,
} as const satisfies Prisma.HostingDomainSelect;

export type DomainRow = Prisma.HostingDomainGetPayload<{ select: typeof domainView }>;

/** The record in Plinth's zone that a domain's CNAME points at. */
function targetName(domainId: string, zone = hostingEnv().HOSTING_DOMAIN_ZONE): string {
  return `d-${domainId}.${zone}`;
}

function present(row: DomainRow) {
  const { verificationToken, dnsProvider, dnsRecordType, dnsRecordName, ...rest } = row;
  const txt = verificationRecord(row.hostname, verificationToken);
  return {
    ...rest,
    /** Publish this TXT record to prove the domain is yours. */
    verification: { type: txt.type, name: txt.name, value: txt.content },
    /** Point the domain here (CNAME) for its traffic to reach the workspace. */
    target: { type: "CNAME" as const, name: row.hostname, value: targetName(row.id) },
    /** The record Plinth created in its zone once verified (null: none). */
    record:
      dnsProvider && dnsRecordType && dnsRecordName
        ? { provider: dnsProvider, type: dnsRecordType, name: dnsRecordName }
        : null,
  };
}

export type DomainAnswer = ReturnType<typeof present>;

/** Domains are admin+ for members (they route traffic); API keys need workspaces:write. */
function requireDomainWriter(scope: OrgScope) {
  if (scope.role !== null) requireRole(scope, "ADMIN");
}

function normalise(hostname: string): string {
  const parsed = domainNameSchema.safeParse(hostname);
  if (!parsed.success) {
    throw new AppError({ code: "INVALID_INPUT", field: "hostname", reason: "Not a domain name" });
  }
  const zone = hostingEnv().HOSTING_DOMAIN_ZONE;
  if (parsed.data === zone || parsed.data.endsWith(`.${zone}`)) {
    throw new AppError({
      code: "INVALID_INPUT",
      field: "hostname",
      reason: `Domains under ${zone} are Plinth's own`,
    });
  }
  return parsed.data;
}

async function findWorkspace(scope: OrgScope, workspaceId: string) {
  const workspace = await scope.db.client.hostingWorkspace.findFirst({
    where: { id: workspaceId, organizationId: scope.organization.id },
    select: { id: true, name: true, state: true, outputs: true },
  });
  if (!workspace) throw notFound("Workspace");
  return workspace;
}

async function findDomain(scope: OrgScope, input: { workspaceId: string; domainId: string }) {
  const domain = await scope.db.client.hostingDomain.findFirst({
    where: {
      id: input.domainId,
      workspaceId: input.workspaceId,
      organizationId: scope.organization.id,
    },
    select: domainView,
  });
  if (!domain) throw notFound("Domain");
  return domain;
}

function conflictOnHostname(error: unknown): never {
  if (isUniqueViolation(error)) throw new AppError({ code: "CONFLICT", field: "hostname" });
  throw error;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** The refusal when another workspace holds the hostname verified: whose it is stays unsaid. */
function hostnameHeld(): AppError {
  return new AppError(
    { code: "CONFLICT", field: "hostname" },
    "This domain is already verified by another workspace: it can be added again once released",
  );
}

/** Whether another domain row (any organization's) holds `hostname` VERIFIED. */
export type HeldElsewhere = (hostname: string, domainId: string | null) => Promise<boolean>;

function heldElsewhere(scope: OrgScope): HeldElsewhere {
  return async (hostname, domainId) => {
    const holder = await scope
      .asSystem("custom domains: whether any organization holds this hostname verified")
      .hostingDomain.findFirst({
        where: { hostname, status: "VERIFIED", ...(domainId ? { id: { not: domainId } } : {}) },
        select: { id: true },
      });
    return holder !== null;
  };
}

/** Adds a domain to a workspace (PENDING): the answer says which TXT record to publish. */
export async function addDomain(scope: OrgScope, input: { workspaceId: string; hostname: string }) {
  requireDomainWriter(scope);
  const hostname = normalise(input.hostname);
  const organizationId = scope.organization.id;
  if (await heldElsewhere(scope)(hostname, null)) throw hostnameHeld();
  return scope.db
    .transaction(async (tx) => {
      // The workspace's row lock serialises concurrent adds (the per-workspace cap).
      await tx.$queryRaw`SELECT id FROM hosting_workspaces WHERE id = ${input.workspaceId} AND organization_id = ${organizationId} FOR UPDATE`;
      const workspace = await tx.hostingWorkspace.findFirst({
        where: { id: input.workspaceId, organizationId },
        select: { id: true, state: true },
      });
      if (!workspace) throw notFound("Workspace");
      if (workspace.state === "DESTROYED" || workspace.state === "DESTROYING") {
        throw new AppError({
          code: "INVALID_STATE",
          detail: `A ${workspace.state.toLowerCase()} workspace cannot get a domain`,
        });
      }
      const count = await tx.hostingDomain.count({ where: { workspaceId: workspace.id } });
      if (count >= MAX_DOMAINS_PER_WORKSPACE) {
        throw new AppError({
          code: "INVALID_STATE",
          detail: `A workspace has at most ${MAX_DOMAINS_PER_WORKSPACE} domains`,
        });
      }
      const created = await tx.hostingDomain.create({
        data: {
          organizationId,
          workspaceId: workspace.id,
          hostname,
          verificationToken: createVerificationToken(),
          createdById: actorUserId(scope.actor),
        },
        select: domainView,
      });
      await recordAudit(tx, scope, {
        organizationId,
        action: "domain.added",
        targetType: "workspace",
        targetId: workspace.id,
        changes: { domainId: { to: created.id }, hostname: { to: hostname } },
      });
      return present(created);
    })
    .catch(conflictOnHostname);
}

/** A workspace's domains, oldest first. */
export async function listDomains(scope: OrgScope, input: { workspaceId: string }) {
  const workspace = await findWorkspace(scope, input.workspaceId);
  const rows = await scope.db.client.hostingDomain.findMany({
    where: { workspaceId: workspace.id, organizationId: scope.organization.id },
    orderBy: { createdAt: "asc" },
    take: MAX_DOMAINS_PER_WORKSPACE * 2,
    select: domainView,
  });
  return rows.map(present);
}

/** The record a verified domain's target gets: CNAME to the workspace's host name, A to its IP. */
function recordFor(
  workspace: { outputs: Prisma.JsonValue },
  name: string,
): { type: DnsRecordType; name: string; content: string } | null {
  const host = workspaceOutputsSchema.safeParse(workspace.outputs ?? {}).data?.host;
  if (typeof host !== "string") return null;
  if (isIP(host) === 4) return { type: "A", name, content: host };
  if (isIP(host) !== 0) return null;
  const parsed = domainNameSchema.safeParse(host);
  return parsed.success ? { type: "CNAME", name, content: parsed.data } : null;
}

/** What a failed check says, for the tenant (no token of ours, no provider credentials). */
function lookupError(result: Exclude<VerificationResult, { status: "verified" }>): string {
  switch (result.status) {
    case "missing":
      return `No TXT record at ${result.record.name}`;
    case "mismatch":
      return `The TXT records at ${result.record.name} do not include ${result.record.content}`;
    case "lookup_error":
      return `The DNS lookup of ${result.record.name} failed (${result.code}); try again later`;
  }
}

export type VerifyOutcome = "verified" | "missing" | "mismatch" | "lookup_error" | "dns_error";

/** Where a check runs: a member's request (RLS-scoped) or the scheduled checks (system client). */
export interface CheckContext {
  transaction: Transact;
  audit: AuditSource;
  logger: Pick<Logger, "warn">;
  heldElsewhere: HeldElsewhere;
  /** A scheduled check that fails leaves the status as it is (PENDING stays PENDING). */
  failureKeepsStatus?: boolean;
  /** The check's time (a cron run's own); default: now. */
  now?: Date;
}

/** The workspace and domain a check needs (domainView's fields and the workspace's outputs). */
export interface CheckTarget {
  workspace: { id: string; outputs: Prisma.JsonValue };
  domain: DomainRow & { organizationId: string };
}

/**
 * One TXT check of a domain, stored: when found, its record in Plinth's zone is created (or
 * kept) and it is VERIFIED; otherwise FAILED (a VERIFIED or EXPIRED domain keeps its status;
 * see failureKeepsStatus) with the reason in lastError. `held`: another workspace holds the
 * hostname verified — nothing was written. `saved` is null when the row was removed meanwhile.
 */
export async function checkDomain(
  ctx: CheckContext,
  { workspace, domain }: CheckTarget,
): Promise<{ outcome: VerifyOutcome | "held"; saved: DomainRow | null }> {
  const organizationId = domain.organizationId;
  if (await ctx.heldElsewhere(domain.hostname, domain.id)) return { outcome: "held", saved: null };
  const env = parseDnsEnv();
  const result = await domainVerifierFromEnv(env).verify(domain.hostname, domain.verificationToken);

  let outcome: VerifyOutcome = result.status;
  let lastError: string | null = result.status === "verified" ? null : lookupError(result);
  let created: {
    provider: string;
    type: DnsRecordType;
    name: string;
    id: string;
    deleteAfterLoss: boolean;
  } | null = null;
  const dns = dnsProviderFromEnv(env);
  if (result.status === "verified" && dns.configured) {
    const record = recordFor(workspace, targetName(domain.id));
    if (!record) {
      outcome = "dns_error";
      lastError = "The workspace has no public host to point the domain at yet";
    } else {
      try {
        // A record of the other type at the name (the workspace's host changed kind) goes
        // first: a CNAME cannot share its name with an A record.
        const other: DnsRecordType = record.type === "A" ? "CNAME" : "A";
        if (domain.dnsRecordType === other && domain.dnsProvider === dns.provider.name) {
          await dns.provider.deleteRecord({ type: other, name: record.name });
        }
        const saved = await dns.provider.upsertRecord(record);
        created = {
          provider: dns.provider.name,
          type: record.type,
          name: saved.record.name,
          id: saved.record.id,
          deleteAfterLoss: saved.outcome === "created",
        };
      } catch (error) {
        if (!(error instanceof DnsProviderError)) throw error;
        ctx.logger.warn(
          { err: error, domainId: domain.id, code: error.code },
          "custom domain: DNS record not created",
        );
        outcome = "dns_error";
        lastError = `The DNS record could not be created (${error.code}); try again later`;
      }
    }
  }
  // Do not leave the record we just created behind (the row went, or another workspace won).
  const dropCreated = async () => {
    if (!created?.deleteAfterLoss || !dns.configured) return;
    await dns.provider
      .deleteRecord({ type: created.type, name: created.name })
      .catch((error: unknown) =>
        ctx.logger.warn({ err: error, domainId: domain.id }, "custom domain: orphan record"),
      );
  };

  const now = ctx.now ?? new Date();
  const verified = outcome === "verified";
  // A verified domain loses verification only by the daily checks' grace period
  // (./domain-checks.ts), an expired one only leaves EXPIRED by verifying.
  const status = verified
    ? "VERIFIED"
    : ctx.failureKeepsStatus || domain.status === "EXPIRED" || domain.status === "VERIFIED"
      ? domain.status
      : "FAILED";
  let saved: DomainRow | null;
  try {
    saved = await ctx.transaction(async (tx) => {
      const updated = await tx.hostingDomain.updateMany({
        where: {
          id: domain.id,
          organizationId,
          verificationToken: domain.verificationToken,
        },
        data: {
          status,
          lastCheckedAt: now,
          lastError,
          ...(verified
            ? {
                missedChecks: 0,
                verifiedAt: domain.verifiedAt ?? now,
                dnsProvider: created?.provider ?? null,
                dnsRecordType: created?.type ?? null,
                dnsRecordName: created?.name ?? null,
                providerRecordId: created?.id ?? null,
              }
            : {}),
        },
      });
      if (updated.count === 0) return null;
      const becameVerified = verified && domain.status !== "VERIFIED";
      // Audited when the status changes (a repeated failed check is not a change).
      if (domain.status !== status) {
        await recordAudit(tx, ctx.audit, {
          organizationId,
          action: verified ? "domain.verified" : "domain.verification_failed",
          targetType: "workspace",
          targetId: workspace.id,
          changes: {
            domainId: { to: domain.id },
            hostname: { to: domain.hostname },
            status: { from: domain.status, to: status },
            ...(lastError ? { lastError: { to: lastError } } : {}),
            ...(created ? { record: { to: `${created.type} ${created.name}` } } : {}),
          },
        });
      }
      if (becameVerified) {
        await emitWebhookEvent(tx, {
          organizationId,
          type: "domain.verified",
          data: {
            domainId: domain.id,
            workspaceId: workspace.id,
            hostname: domain.hostname,
            target: targetName(domain.id),
          },
        });
      }
      return tx.hostingDomain.findUniqueOrThrow({ where: { id: domain.id }, select: domainView });
    });
  } catch (error) {
    // Only the one-verified-holder index can refuse this update: another workspace won a race.
    if (!verified || !isUniqueViolation(error)) throw error;
    await dropCreated();
    return { outcome: "held", saved: null };
  }
  if (!saved) await dropCreated();
  return { outcome, saved };
}

/**
 * Checks the domain's TXT record now (checkDomain). Answers 200 either way: `{ outcome, domain }`
 * (refusals — not found, destroyed workspace, the hostname verified elsewhere — are 4xx).
 */
export async function verifyDomain(
  scope: OrgScope,
  input: { workspaceId: string; domainId: string },
) {
  requireDomainWriter(scope);
  const workspace = await findWorkspace(scope, input.workspaceId);
  if (workspace.state === "DESTROYED" || workspace.state === "DESTROYING") {
    throw new AppError({
      code: "INVALID_STATE",
      detail: `The workspace is ${workspace.state.toLowerCase()}`,
    });
  }
  const domain = await findDomain(scope, input);
  const { outcome, saved } = await checkDomain(
    {
      transaction: scope.db.transaction,
      audit: scope,
      logger: scope.logger,
      heldElsewhere: heldElsewhere(scope),
    },
    { workspace, domain: { ...domain, organizationId: scope.organization.id } },
  );
  if (outcome === "held") throw hostnameHeld();
  if (!saved) throw notFound("Domain");
  return { outcome, domain: present(saved) };
}

/** Removes a domain: its record in Plinth's zone first (a provider failure keeps the row: 503). */
export async function removeDomain(
  scope: OrgScope,
  input: { workspaceId: string; domainId: string },
) {
  requireDomainWriter(scope);
  const organizationId = scope.organization.id;
  const domain = await findDomain(scope, input);
  let recordDeleted = false;
  if (domain.dnsRecordType && domain.dnsRecordName && domain.dnsProvider) {
    const dns = dnsProviderFromEnv(parseDnsEnv());
    if (dns.configured && dns.provider.name === domain.dnsProvider) {
      try {
        const { deleted } = await dns.provider.deleteRecord({
          type: domain.dnsRecordType === "A" ? "A" : "CNAME",
          name: domain.dnsRecordName,
        });
        recordDeleted = deleted > 0;
      } catch (error) {
        if (!(error instanceof DnsProviderError)) throw error;
        scope.logger.warn(
          { err: error, domainId: domain.id, code: error.code },
          "custom domain: DNS record not deleted",
        );
        throw new AppError({ code: "PROVIDER_UNAVAILABLE", provider: dns.provider.name });
      }
    } else {
      scope.logger.warn(
        { domainId: domain.id, provider: domain.dnsProvider },
        "custom domain: its record's DNS provider is no longer configured; record left",
      );
    }
  }
  await scope.db.transaction(async (tx: TransactionClient) => {
    const removed = await tx.hostingDomain.deleteMany({
      where: { id: domain.id, organizationId },
    });
    if (removed.count === 0) throw notFound("Domain");
    await recordAudit(tx, scope, {
      organizationId,
      action: "domain.removed",
      targetType: "workspace",
      targetId: domain.workspaceId,
      changes: {
        domainId: { from: domain.id },
        hostname: { from: domain.hostname },
        ...(domain.dnsRecordName
          ? { record: { from: `${domain.dnsRecordType ?? ""} ${domain.dnsRecordName}` } }
          : {}),
      },
    });
  });
  return { id: domain.id, hostname: domain.hostname, recordDeleted };
}

/**
 * A destroyed workspace's domains (the DESTROY run, system client): each one's record in
 * Plinth's zone is deleted, and the ids of the domains that hold no record any more are
 * answered (the run deletes those rows with the workspace's final state, which frees their
 * hostnames). A domain whose record could not be deleted keeps its row: removing it later
 * retries. `log` is the run's log.
 */
export async function releaseWorkspaceDomains(
  prisma: Pick<TransactionClient, "hostingDomain">,
  workspace: { organizationId: string; workspaceId: string },
  log: (line: string) => Promise<void>,
): Promise<string[]> {
  const rows = await prisma.hostingDomain.findMany({
    where: { organizationId: workspace.organizationId, workspaceId: workspace.workspaceId },
    select: {
      id: true,
      hostname: true,
      dnsProvider: true,
      dnsRecordType: true,
      dnsRecordName: true,
    },
  });
  if (rows.length === 0) return [];
  const dns = dnsProviderFromEnv(parseDnsEnv());
  const released: string[] = [];
  for (const row of rows) {
    if (row.dnsProvider && row.dnsRecordName && row.dnsRecordType) {
      if (!dns.configured || dns.provider.name !== row.dnsProvider) {
        await log(`domain ${row.hostname}: its record's provider is not configured; kept`);
        continue;
      }
      try {
        await dns.provider.deleteRecord({
          type: row.dnsRecordType === "A" ? "A" : "CNAME",
          name: row.dnsRecordName,
        });
      } catch (error) {
        if (!(error instanceof DnsProviderError)) throw error;
        await log(`domain ${row.hostname}: record not deleted (${error.code}); kept`);
        continue;
      }
    }
    released.push(row.id);
    await log(`domain ${row.hostname}: released`);
  }
  return released;
}
