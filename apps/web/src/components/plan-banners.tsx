// The banners under the top bar, all from the one Banner component: verify your email, then
// the plan's state — read-only (trial over, payment overdue, inactive), trial ending, past due.
import Link from "next/link";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import type { RouterOutputs } from "@plinth/product/trpc";

type Organization = RouterOutputs["organization"]["get"];

function daysUntil(date: Date, now: Date): number {
  return Math.max(0, Math.ceil((date.getTime() - now.getTime()) / 86_400_000));
}

const READ_ONLY_TEXT = {
  TRIAL_EXPIRED: "Your trial has ended. Choose a plan to keep making changes.",
  PAYMENT_OVERDUE: "Payment is overdue. Update your payment method to keep making changes.",
  SUBSCRIPTION_INACTIVE: "Your subscription is not active. Choose a plan to keep making changes.",
} as const;

export function PlanBanners({
  organization,
  user,
  now = new Date(),
}: {
  organization: Organization;
  user: { email: string; emailVerified?: Date | null | undefined };
  now?: Date;
}) {
  const billing = `/o/${organization.slug}/billing`;
  const action = (label: string) => (
    <Button asChild size="sm">
      <Link href={billing}>{label}</Link>
    </Button>
  );
  return (
    <>
      {user.emailVerified === null ? (
        <Banner
          edge
          tone="warning"
          title="Verify your email"
          action={
            <Button asChild size="sm" variant="outline">
              <Link href="/account">Resend the link</Link>
            </Button>
          }
        >
          We sent a link to {user.email}. Until you verify it you cannot invite teammates or pay for
          a plan.
        </Banner>
      ) : null}
      {organization.access === "read_only" ? (
        <Banner edge tone="danger" title="Read-only" action={action("Go to billing")}>
          {READ_ONLY_TEXT[organization.readOnlyReason ?? "SUBSCRIPTION_INACTIVE"]}
        </Banner>
      ) : organization.status === "trialing" && organization.trialEndsAt ? (
        <Banner
          edge
          tone={daysUntil(organization.trialEndsAt, now) <= 3 ? "warning" : "info"}
          title={`${organization.plan.name} plan`}
          action={action("See plans")}
        >
          {daysUntil(organization.trialEndsAt, now)} days left in your trial.
        </Banner>
      ) : organization.status === "past_due_grace" && organization.graceEndsAt ? (
        <Banner edge tone="warning" title="Payment overdue" action={action("Update payment")}>
          Update your payment method before {organization.graceEndsAt.toISOString().slice(0, 10)} to
          keep write access.
        </Banner>
      ) : null}
    </>
  );
}
