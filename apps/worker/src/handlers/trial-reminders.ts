// Trial reminders, exactly once per organization and event: the OrganizationNotification row
// (unique organizationId + kind + eventKey) and the owners' emails are written in one
// transaction. A second run (or a concurrent one, which waits on the unique index) inserts no
// notification and so sends nothing.
import { sendEmail, trialEnded, trialEndingSoon } from "@plinth/email";
import { type jobs } from "@plinth/jobs";
import { type JobHandler } from "./types.ts";

const DAY_MS = 86_400_000;
/** Remind this long before the trial ends. */
export const TRIAL_REMINDER_WINDOW_MS = 3 * DAY_MS;
/** Trials that ended longer ago than this get no "trial ended" email (e.g. on first deploy). */
export const TRIAL_ENDED_LOOKBACK_MS = 14 * DAY_MS;

export const trialRemindersHandler: JobHandler<typeof jobs.trialReminders> = async (
  _payload,
  ctx,
) => {
  const now = new Date();
  const organizations = await ctx.prisma.organization.findMany({
    where: {
      trialEndsAt: {
        gte: new Date(now.getTime() - TRIAL_ENDED_LOOKBACK_MS),
        lte: new Date(now.getTime() + TRIAL_REMINDER_WINDOW_MS),
      },
      OR: [
        { subscription: { is: null } },
        {
          subscription: { is: { status: "TRIALING", planKey: ctx.product.catalog.trialPlan.key } },
        },
      ],
    },
    select: {
      id: true,
      name: true,
      slug: true,
      trialEndsAt: true,
      memberships: {
        where: { role: "OWNER", user: { status: "ACTIVE", deletedAt: null } },
        select: { user: { select: { email: true } } },
      },
    },
  });

  let sent = 0;
  for (const organization of organizations) {
    const trialEndsAt = organization.trialEndsAt;
    if (!trialEndsAt) continue;
    const kind = trialEndsAt.getTime() <= now.getTime() ? "trial-ended" : "trial-ending";
    const eventKey = trialEndsAt.toISOString().slice(0, 10);
    const template = kind === "trial-ended" ? trialEnded : trialEndingSoon;
    const rendered = template({
      organizationName: organization.name,
      trialEndsAt,
      billingUrl: new URL(
        `/o/${encodeURIComponent(organization.slug)}/billing`,
        ctx.appUrl,
      ).toString(),
    });
    const emails = await ctx.prisma.$transaction(async (tx) => {
      const inserted = await tx.organizationNotification.createMany({
        data: [{ organizationId: organization.id, kind, eventKey }],
        skipDuplicates: true,
      });
      if (inserted.count === 0) return 0;
      for (const { user } of organization.memberships) {
        await sendEmail(tx, { to: user.email, ...rendered });
      }
      return organization.memberships.length;
    });
    if (emails > 0)
      ctx.log.info(
        {
          organizationId: organization.id,
          kind,
          eventKey,
          emails,
        },
        "trial reminder sent",
      );
    sent += emails;
  }
  ctx.log.info({ organizations: organizations.length, emails: sent }, "trial reminders checked");
};
