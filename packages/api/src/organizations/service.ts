// Organizations (tenants): creation with an owner and a trial, slugs.
import { randomUUID } from "node:crypto";
import { TRIAL_DAYS } from "@plinth/billing";
import { tenantTransaction, type PrismaClient, type TransactionClient } from "@plinth/db";
import { recordAudit, snapshot } from "../audit.ts";
import type { Context } from "../trpc.ts";

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
}

/**
 * Creates an organization, its OWNER membership and a trial subscription. Runs under RLS as
 * the new tenant (the id is chosen first so the policy admits the rows).
 */
export async function createOrganizationWithOwner(
  prisma: PrismaClient,
  ctx: Pick<Context, "user" | "ipAddress" | "requestId">,
  input: NewOrganization,
) {
  const id = randomUUID();
  return tenantTransaction(prisma, { organizationId: id, userId: input.ownerId }, async (tx) => {
    const slug = await availableSlug(tx, slugify(input.name));
    const trialEndsAt = new Date(input.now.getTime() + TRIAL_DAYS * 86_400_000);
    const organization = await tx.organization.create({
      data: { id, name: input.name, slug, trialEndsAt },
    });
    await tx.membership.create({
      data: { organizationId: id, userId: input.ownerId, role: "OWNER" },
    });
    await tx.subscription.create({
      data: {
        organizationId: id,
        planKey: "trial",
        status: "TRIALING",
        provider: "LOCAL",
        trialEndsAt,
      },
    });
    await recordAudit(tx, ctx, {
      organizationId: id,
      action: "organization.created",
      targetType: "organization",
      targetId: id,
      changes: snapshot({ name: organization.name, slug }, "to"),
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
