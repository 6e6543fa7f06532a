// The operator console: platform admins only. Anyone else gets the same 404 as for a page
// that does not exist (the console's existence is not advertised).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { NavLink } from "~/components/nav-link.tsx";
import { getSessionUser } from "~/server/session.ts";

export const metadata: Metadata = {
  title: { template: "%s · Operator console", default: "Operator console" },
};

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?callbackUrl=/admin");
  if (user.platformRole !== "SUPER_ADMIN") notFound();
  return (
    <div className="app-shell">
      <header className="app-header">
        <div className="app-header__left">
          <Link href="/" className="brand">
            Plinth
          </Link>
          <span className="muted">Operator console</span>
          <nav className="app-nav" aria-label="Operator console">
            <NavLink href="/admin">Overview</NavLink>
            <NavLink href="/admin/organizations">Organizations</NavLink>
            <NavLink href="/admin/users">Users</NavLink>
            <NavLink href="/admin/jobs">Jobs</NavLink>
          </nav>
        </div>
        <div className="app-header__right">
          <span className="muted">{user.email}</span>
        </div>
      </header>
      <main className="app-main">{children}</main>
    </div>
  );
}
