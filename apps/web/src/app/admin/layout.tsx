// The operator console: platform admins only. Anyone else gets the same 404 as for a page
// that does not exist (the console's existence is not advertised).
import {
  Building2,
  CalendarCheck,
  LayoutDashboard,
  ListChecks,
  Plug,
  Server,
  Users,
} from "lucide-react";
import { activeProduct } from "@plinth/product";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell, Brand, SidebarContent } from "@plinth/ui/app-shell";
import { Badge } from "@plinth/ui/badge";
import { PageSkeleton } from "@plinth/ui/skeletons";
import { Breadcrumbs } from "~/components/breadcrumbs.tsx";
import { CommandMenu } from "~/components/command-menu.tsx";
import { PageOrSkeleton, SkeletonNavigationProvider } from "~/components/navigation-skeleton.tsx";
import { ConsoleSkeleton, TablePageSkeleton } from "~/components/page-skeletons.tsx";
import { MobileNav } from "~/components/mobile-nav.tsx";
import { NavLinks, type NavItem } from "~/components/nav-link.tsx";
import { Topbar } from "~/components/topbar.tsx";
import { getSessionUser } from "~/server/session.ts";

export const metadata: Metadata = {
  title: { template: "%s · Operator console", default: "Operator console" },
};

const ITEMS: NavItem[] = [
  { href: "/admin", label: "Overview", icon: <LayoutDashboard aria-hidden="true" />, exact: true },
  { href: "/admin/organizations", label: "Organizations", icon: <Building2 aria-hidden="true" /> },
  { href: "/admin/users", label: "Users", icon: <Users aria-hidden="true" /> },
  { href: "/admin/jobs", label: "Jobs", icon: <ListChecks aria-hidden="true" /> },
  ...(activeProduct().isEnabled("api-catalog")
    ? [{ href: "/admin/apis", label: "APIs", icon: <Plug aria-hidden="true" /> }]
    : []),
  ...(activeProduct().isEnabled("hosting")
    ? [{ href: "/admin/hosting", label: "Hosting", icon: <Server aria-hidden="true" /> }]
    : []),
  ...(activeProduct().isEnabled("demo-booking")
    ? [
        {
          href: "/admin/demo-bookings",
          label: "Demo bookings",
          icon: <CalendarCheck aria-hidden="true" />,
        },
      ]
    : []),
];

/** What the main area shows while a sidebar link's console page loads (PageOrSkeleton). */
const SKELETONS: Record<string, ReactNode> = {
  "/admin": <ConsoleSkeleton label="Loading the operator console" />,
  "/admin/organizations": <TablePageSkeleton label="Loading organizations" rows={8} />,
  "/admin/users": <TablePageSkeleton label="Loading users" rows={8} />,
  "/admin/jobs": <TablePageSkeleton label="Loading jobs" rows={8} />,
  "/admin/hosting": <ConsoleSkeleton label="Loading hosting" table />,
  "/admin/demo-bookings": <TablePageSkeleton label="Loading demo bookings" rows={8} />,
};

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?callbackUrl=/admin");
  if (user.platformRole !== "SUPER_ADMIN") notFound();
  const sidebar = (
    <SidebarContent
      header={
        <div className="flex items-center justify-between gap-2">
          <Link
            href="/"
            className="rounded-md px-1 outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
            <Brand />
          </Link>
          <Badge variant="outline">Operator</Badge>
        </div>
      }
    >
      <NavLinks items={ITEMS} label="Operator console" />
    </SidebarContent>
  );
  return (
    <SkeletonNavigationProvider>
      <AppShell
        sidebar={sidebar}
        topbar={
          <Topbar
            mobileNav={<MobileNav title="Operator console">{sidebar}</MobileNav>}
            breadcrumbs={
              <Breadcrumbs
                root={{ label: "Operator console", href: "/admin" }}
                base="/admin"
                pages={{
                  organizations: "Organizations",
                  users: "Users",
                  jobs: "Jobs",
                  apis: "APIs",
                  hosting: "Hosting",
                }}
              />
            }
            search={
              <CommandMenu
                pages={[
                  ...ITEMS.map((i) => ({ label: i.label, href: i.href })),
                  { label: "Your account", href: "/account" },
                ]}
              />
            }
            user={user}
          />
        }
      >
        <PageOrSkeleton skeletons={SKELETONS} fallback={<PageSkeleton />}>
          {children}
        </PageOrSkeleton>
      </AppShell>
    </SkeletonNavigationProvider>
  );
}
