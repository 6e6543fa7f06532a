import {
  Activity,
  CreditCard,
  FlaskConical,
  FolderKanban,
  Plug,
  LayoutGrid,
  Mic,
  ScrollText,
  Server,
  Settings,
  Sparkles,
  Users,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { hasRole } from "@plinth/core/roles";
import { activeProduct } from "@plinth/product";
import { AppShell, Brand, SidebarContent } from "@plinth/ui/app-shell";
import { Badge } from "@plinth/ui/badge";
import { PageSkeleton } from "@plinth/ui/skeletons";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { CommandMenu } from "~/components/command-menu.tsx";
import { MobileNav } from "~/components/mobile-nav.tsx";
import { PageOrSkeleton, SkeletonNavigationProvider } from "~/components/navigation-skeleton.tsx";
import { NavLinks, type NavItem } from "~/components/nav-link.tsx";
import { OrganizationSwitcher } from "~/components/organization-switcher.tsx";
import { LegalLinks } from "~/components/legal-links.tsx";
import { PlanBanners } from "~/components/plan-banners.tsx";
import { Topbar } from "~/components/topbar.tsx";
import { requireOrganization } from "~/server/organization.ts";
import { ORGANIZATION_PAGE_SKELETONS } from "./skeletons.tsx";

/** The icon names modules' nav entries use (an unknown name gets a neutral icon). */
const NAV_ICONS: Record<string, LucideIcon> = {
  activity: Activity,
  "credit-card": CreditCard,
  folder: FolderKanban,
  plug: Plug,
  mic: Mic,
  "flask-conical": FlaskConical,
  "scroll-text": ScrollText,
  server: Server,
  settings: Settings,
  sparkles: Sparkles,
  users: Users,
};

const STATUS_VARIANT = {
  trialing: "info",
  active: "success",
  past_due_grace: "warning",
  trial_expired: "destructive",
  restricted: "destructive",
  inactive: "destructive",
} as const;

export default async function OrganizationLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { user, organizations, organization } = await requireOrganization(slug);
  const isAdmin = organization.role === "OWNER" || organization.role === "ADMIN";
  const base = `/o/${organization.slug}`;
  const product = activeProduct();
  // The enabled modules' entries (core's included), in their declared order.
  const entries = product.nav.filter(
    (entry) => !entry.minRole || hasRole(organization.role, entry.minRole),
  );
  const items: NavItem[] = entries.map((entry) => {
    const Icon = NAV_ICONS[entry.icon] ?? LayoutGrid;
    return {
      href: `${base}/${entry.segment}`,
      label: entry.label,
      icon: <Icon aria-hidden="true" />,
    };
  });
  const skeletons = Object.fromEntries(
    entries.flatMap((entry) => {
      const skeleton = ORGANIZATION_PAGE_SKELETONS[entry.segment];
      return skeleton ? [[`${base}/${entry.segment}`, skeleton] as const] : [];
    }),
  );
  const home = items[0]?.href ?? base;
  const projectsHref = product.isEnabled("projects") ? `${base}/projects` : undefined;
  const switcherOptions = organizations.map((o) => ({ slug: o.slug, name: o.name }));
  const planBadge = (
    <Badge asChild variant={STATUS_VARIANT[organization.status]}>
      <Link href={`${base}/billing`} aria-label={`Plan: ${organization.plan.name}`}>
        {organization.plan.name}
      </Link>
    </Badge>
  );
  const sidebar = (
    <SidebarContent
      header={
        <>
          <Link
            href="/"
            className="rounded-md px-1 outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
            <Brand />
          </Link>
          <OrganizationSwitcher current={organization.slug} organizations={switcherOptions} />
        </>
      }
      footer={
        <>
          <div className="flex items-center justify-between gap-2 px-1 text-sm">
            <span className="text-muted-foreground">Plan</span>
            {planBadge}
          </div>
          <LegalLinks className="justify-start px-1 text-xs text-muted-foreground" />
        </>
      }
    >
      <NavLinks items={items} label="Organization" />
      {organization.plan.key === "trial" && isAdmin ? (
        <Link
          href={`${base}/billing`}
          className="mt-4 flex items-start gap-2 rounded-lg border border-primary/25 bg-primary/5 p-3 text-sm outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <Sparkles className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden="true" />
          <span>
            <span className="font-medium">Upgrade your plan</span>
            <span className="block text-muted-foreground">More projects, teammates and usage.</span>
          </span>
        </Link>
      ) : null}
    </SidebarContent>
  );

  return (
    <SkeletonNavigationProvider>
      <AppShell
        sidebar={sidebar}
        topbar={
          <Topbar
            mobileNav={<MobileNav title="Navigation">{sidebar}</MobileNav>}
            breadcrumbs={
              <Breadcrumbs
                root={{ label: organization.name, href: home }}
                base={base}
                pages={Object.fromEntries(
                  items.map((item) => [item.href.slice(base.length + 1), item.label]),
                )}
              />
            }
            search={
              <CommandMenu
                pages={[
                  ...items.map((item) => ({ label: item.label, href: item.href })),
                  { label: "Your account", href: "/account" },
                  ...(user.platformRole === "SUPER_ADMIN"
                    ? [{ label: "Operator console", href: "/admin" }]
                    : []),
                ]}
                organizations={switcherOptions}
                organizationId={organization.id}
                {...(projectsHref ? { projectsHref } : {})}
              />
            }
            extra={<span className="hidden sm:inline-flex">{planBadge}</span>}
            user={user}
          />
        }
        banners={<PlanBanners organization={organization} user={user} />}
      >
        <PageOrSkeleton skeletons={skeletons} fallback={<PageSkeleton />}>
          {children}
        </PageOrSkeleton>
      </AppShell>
    </SkeletonNavigationProvider>
  );
}
