// Organizations (tenants): creation with an owner and a trial, reading, renaming, deleting.
import { randomUUID } from "node:crypto";
import { changedFields, recordAudit, snapshot, type AuditSource } from "@plinth/core/audit";
import { AppError } from "@plinth/core/errors";
import { tenantTransaction, type PrismaClient, type TransactionClient } from "@plinth/db";
import type { Catalog } from "@plinth/billing";
import { enqueue, jobs } from "@plinth/jobs";
import type { OrgScope, UserScope } from "../scope.ts";
import { eraseOrganization, organizationDeletionBlockers } from "./personal-data.ts";

export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return slug || "org";
}

export interface NewOrganization {
  name: string;
  ownerId: string;
  now: Date;
  /** The paid plan chosen at sign-up, to check out next (sign-up.ts); null/absent otherwise. */
  signUpPlanKey?: string | null;
}

/**
 * Creates an organization, its OWNER membership and a subscription on the catalog's trial
 * plan. Runs under RLS as the new tenant (the id is chosen first so the policy admits the
 * rows). `app` is the RLS-bound client (a scope's `db.app`, or a seed's).
 */
export async function createOrganizationWithOwner(
  app: PrismaClient,
  catalog: Catalog,
  source: AuditSource,
  input: NewOrganization,
) {
  const id = randomUUID();
  const trial = catalog.trialPlan;
  return tenantTransaction(app, { organizationId: id, userId: input.ownerId }, async (tx) => {
    const slug = await availableSlug(tx, slugify(input.name));
    const trialEndsAt = new Date(input.now.getTime() + trial.trialDays * 86_400_000);
    const organization = await tx.organization.create({
      data: { id, name: input.name, slug, trialEndsAt, signUpPlanKey: input.signUpPlanKey ?? null },
    });
    await tx.membership.create({
      data: { organizationId: id, userId: input.ownerId, role: "OWNER" },
    });
    await tx.subscription.create({
      data: {
        organizationId: id,
        planKey: trial.key,
        status: "TRIALING",
        provider: "LOCAL",
        trialEndsAt,
      },
    });
    await recordAudit(tx, source, {
      organizationId: id,
      action: "organization.created",
      targetType: "organization",
      targetId: id,
      changes: snapshot(
        {
          name: organization.name,
          slug,
          ...(organization.signUpPlanKey ? { signUpPlanKey: organization.signUpPlanKey } : {}),
        },
        "to",
      ),
    });
    return organization;
  });
}

/** `base`, or `base-2`, `base-3`… — slugs are global, so this reads through SQL, not RLS. */
async function availableSlug(tx: TransactionClient, base: string): Promise<string> {
  const taken = await tx.$queryRaw<{ slug: string }[]>`
    SELECT slug FROM organization_slugs_taken(${base})`;
  const used = new Set(taken.map((row) => row.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** What the API shows of an organization (never its Stripe ids). */
const organizationView = { id: true, name: true, slug: true } as const;

/** The signed-in user's organizations, for the switcher. */
export async function listMyOrganizations(scope: UserScope) {
  const memberships = await scope.db.client.membership.findMany({
    where: { userId: scope.actor.user.id },
    select: { role: true, organization: { select: organizationView } },
    orderBy: { createdAt: "asc" },
  });
  return memberships.map((m) => ({ ...m.organization, role: m.role }));
}

export async function createOrganization(scope: UserScope, input: { name: string }) {
  const organization = await createOrganizationWithOwner(
    scope.db.app,
    scope.product.catalog,
    scope,
    { name: input.name, ownerId: scope.actor.user.id, now: scope.clock.now() },
  );
  return { id: organization.id, name: organization.name, slug: organization.slug };
}

/** The organization with the caller's role and its plan state (banners, gating hints). */
export function organizationOverview<S extends OrgScope>(scope: S) {
  const { entitlements } = scope;
  return {
    id: scope.organization.id,
    name: scope.organization.name,
    slug: scope.organization.slug,
    role: scope.role as S["role"],
    plan: { key: entitlements.plan.key, name: entitlements.plan.name },
    status: entitlements.status,
    access: entitlements.access,
    readOnlyReason: entitlements.readOnlyReason,
    trialEndsAt: entitlements.trialEndsAt,
    graceEndsAt: entitlements.graceEndsAt,
    limits: entitlements.limits,
    features: entitlements.features,
  };
}

export function renameOrganization(scope: OrgScope, input: { name: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { name: true },
    });
    const updated = await tx.organization.update({
      where: { id: organizationId },
      data: { name: input.name },
      select: organizationView,
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "organization.updated",
      targetType: "organization",
      targetId: organizationId,
      changes: changedFields(before, { name: input.name }),
    });
    return updated;
  });
}

/** Razorpay subscriptions that bill nothing more (no need to cancel them). */
const RAZORPAY_ENDED = ["cancelled", "completed", "expired"];

/**
 * Schedules the deletion of the organization's customer at its billing provider, in the
 * caller's transaction (the one that erases the organization): the job commits with the
 * erasure, and carries the provider's ids because the rows are gone when it runs. A provider
 * outage is retried by the job instead of leaving the customer behind (docs/billing.md).
 * The local provider's record is the subscription row, which the erasure removes itself.
 */
export async function enqueueBillingCustomerDeletion(
  tx: TransactionClient,
  organizationId: string,
) {
  const org = await tx.organization.findUnique({
    where: { id: organizationId },
    select: {
      stripeCustomerId: true,
      razorpaySubscriptions: {
        where: { status: { notIn: RAZORPAY_ENDED } },
        select: { id: true },
        orderBy: { createdAt: "desc" },
        take: 100,
      },
    },
  });
  if (org?.stripeCustomerId) {
    await enqueue(tx, jobs.billingDeleteCustomer, {
      organizationId,
      provider: "stripe",
      customerId: org.stripeCustomerId,
      subscriptionIds: [],
    });
  }
  if (org && org.razorpaySubscriptions.length > 0) {
    await enqueue(tx, jobs.billingDeleteCustomer, {
      organizationId,
      provider: "razorpay",
      customerId: null,
      subscriptionIds: org.razorpaySubscriptions.map((row) => row.id),
    });
  }
}

export async function deleteOrganization(scope: OrgScope, input: { confirmSlug: string }) {
  const { organization } = scope;
  if (input.confirmSlug !== organization.slug) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "Type the organization's slug to confirm",
    });
  }
  // The organization's own log is deleted with it (cascade), so the fact is kept in the
  // platform log (organization_id NULL), which only the privileged path can write.
  await scope
    .asSystem("organization deletion: the platform log outlives the tenant")
    .$transaction(async (system) => {
      const blockers = await organizationDeletionBlockers(
        system,
        scope.product.modules,
        organization.id,
      );
      if (blockers.length > 0) {
        throw new AppError({
          code: "INVALID_STATE",
          detail: `This organization ${blockers.join("; ")}`,
        });
      }
      await enqueueBillingCustomerDeletion(system, organization.id);
      await eraseOrganization(system, scope.product.modules, organization.id);
      await recordAudit(system, scope, {
        organizationId: null,
        action: "organization.deleted",
        targetType: "organization",
        targetId: organization.id,
        changes: snapshot({ name: organization.name, slug: organization.slug }, "from"),
      });
    });
  return { id: organization.id };
}

export function listMembers(scope: OrgScope) {
  return scope.db.client.membership.findMany({
    select: {
      id: true,
      role: true,
      createdAt: true,
      user: { select: { id: true, name: true, email: true, image: true } },
    },
    orderBy: { createdAt: "asc" },
  });
}
