// The first read of every organization-scoped request: is this user a member, with which
// role, and what is the organization's subscription state. One statement (the
// app_membership_context() definer function, see its migration) instead of a transaction
// with three queries: this sits on the hot path of every tenant request.
import { z } from "zod";
import type { PrismaClient } from "./generated/prisma/client.ts";

const timestamp = z.date().nullable();

const rowSchema = z.object({
  role: z.enum(["OWNER", "ADMIN", "MEMBER"]),
  organization_id: z.string(),
  organization_name: z.string(),
  organization_slug: z.string(),
  organization_trial_ends_at: timestamp,
  organization_created_at: z.date(),
  plan_key: z.string().nullable(),
  status: z
    .enum([
      "TRIALING",
      "ACTIVE",
      "PAST_DUE",
      "CANCELED",
      "UNPAID",
      "INCOMPLETE",
      "INCOMPLETE_EXPIRED",
      "PAUSED",
    ])
    .nullable(),
  trial_ends_at: timestamp,
  past_due_since: timestamp,
  current_period_start: timestamp,
  current_period_end: timestamp,
  cancel_at_period_end: z.boolean().nullable(),
});

export interface MembershipContext {
  role: "OWNER" | "ADMIN" | "MEMBER";
  organization: {
    id: string;
    name: string;
    slug: string;
    trialEndsAt: Date | null;
    createdAt: Date;
  };
  subscription: {
    planKey: string;
    status: NonNullable<z.infer<typeof rowSchema>["status"]>;
    trialEndsAt: Date | null;
    pastDueSince: Date | null;
    currentPeriodStart: Date | null;
    currentPeriodEnd: Date | null;
    cancelAtPeriodEnd: boolean;
  } | null;
}

/** The user's membership in the organization with its subscription state, or null. */
export async function findMembershipContext(
  prisma: PrismaClient,
  organizationId: string,
  userId: string,
): Promise<MembershipContext | null> {
  const rows = await prisma.$queryRaw<
    unknown[]
  >`SELECT * FROM app_membership_context(${organizationId}, ${userId})`;
  if (rows.length === 0) return null;
  const row = rowSchema.parse(rows[0]);
  return {
    role: row.role,
    organization: {
      id: row.organization_id,
      name: row.organization_name,
      slug: row.organization_slug,
      trialEndsAt: row.organization_trial_ends_at,
      createdAt: row.organization_created_at,
    },
    subscription:
      row.plan_key !== null && row.status !== null
        ? {
            planKey: row.plan_key,
            status: row.status,
            trialEndsAt: row.trial_ends_at,
            pastDueSince: row.past_due_since,
            currentPeriodStart: row.current_period_start,
            currentPeriodEnd: row.current_period_end,
            cancelAtPeriodEnd: row.cancel_at_period_end ?? false,
          }
        : null,
  };
}
