import Link from "next/link";
import type { ReactNode } from "react";
import { hasRole } from "@plinth/core/roles";
import { activeProduct } from "@plinth/product";
import { Banner } from "@plinth/ui";
import { signOutAction } from "~/app/actions.ts";
import { OrganizationSwitcher } from "~/components/organization-switcher.tsx";
import { NavLink } from "~/components/nav-link.tsx";
import { requireOrganization } from "~/server/organization.ts";

function daysUntil(date: Date): number {
  return Math.max(0, Math.ceil((date.getTime() - Date.now()) / 86_400_000));
}

export default async function OrganizationLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { user, organizations, organization } = await requireOrganization(slug);
  const base = `/o/${organization.slug}`;
  // The enabled modules' entries (core's included), in their declared order.
  const nav = activeProduct().nav.filter(
    (entry) => !entry.minRole || hasRole(organization.role, entry.minRole),
  );

  return (
    <div className="app-shell">
      <header className="app-header">
        <div className="app-header__left">
          <Link href="/" className="brand">
            Plinth
          </Link>
          <OrganizationSwitcher
            current={organization.slug}
            organizations={organizations.map((o) => ({ slug: o.slug, name: o.name }))}
          />
          <nav className="app-nav" aria-label="Organization">
            {nav.map((entry) => (
              <NavLink key={entry.segment} href={`${base}/${entry.segment}`}>
                {entry.label}
              </NavLink>
            ))}
          </nav>
        </div>
        <div className="app-header__right">
          {user.platformRole === "SUPER_ADMIN" ? (
            <Link href="/admin" className="ui-button ui-button--secondary ui-button--sm">
              Operator console
            </Link>
          ) : null}
          <Link href="/account" className="muted" title={user.email}>
            {user.name ?? user.email}
          </Link>
          <form action={signOutAction}>
            <button type="submit" className="ui-button ui-button--secondary ui-button--sm">
              Sign out
            </button>
          </form>
        </div>
      </header>
      {user.emailVerified === null ? (
        <Banner
          tone="warning"
          title="Verify your email"
          action={<Link href="/account">Resend the link</Link>}
        >
          We sent a link to {user.email}. Until you verify it you cannot invite teammates or pay for
          a plan.
        </Banner>
      ) : null}
      {organization.access === "read_only" ? (
        <Banner
          tone="danger"
          title="Read-only"
          action={
            <Link href={`${base}/billing`} className="ui-button ui-button--primary ui-button--sm">
              Go to billing
            </Link>
          }
        >
          {organization.readOnlyReason === "TRIAL_EXPIRED"
            ? "Your trial has ended. Choose a plan to keep making changes."
            : organization.readOnlyReason === "PAYMENT_OVERDUE"
              ? "Payment is overdue. Update your payment method to keep making changes."
              : "Your subscription is not active. Choose a plan to keep making changes."}
        </Banner>
      ) : organization.status === "trialing" && organization.trialEndsAt ? (
        <Banner tone="info" title={`${organization.plan.name} plan`}>
          {daysUntil(organization.trialEndsAt)} days left in your trial.
        </Banner>
      ) : organization.status === "past_due_grace" && organization.graceEndsAt ? (
        <Banner
          tone="warning"
          title="Payment overdue"
          action={
            <Link href={`${base}/billing`} className="ui-button ui-button--primary ui-button--sm">
              Update payment
            </Link>
          }
        >
          Update your payment method before {organization.graceEndsAt.toISOString().slice(0, 10)} to
          keep write access.
        </Banner>
      ) : null}
      <main className="app-main">{children}</main>
    </div>
  );
}
