"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { navItemClasses } from "@plinth/ui/app-shell";

export interface NavItem {
  href: string;
  label: string;
  /** A rendered icon (<FolderKanban aria-hidden />): elements cross to the client, components not. */
  icon: ReactNode;
  /** Active only on this exact path (e.g. /admin, which prefixes the other console pages). */
  exact?: boolean;
}

export function NavLinks({ items, label }: { items: NavItem[]; label: string }) {
  const pathname = usePathname() ?? "";
  return (
    <nav aria-label={label} className="grid gap-1">
      {items.map((item) => {
        const active = item.exact ? pathname === item.href : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            className={navItemClasses(active)}
            aria-current={active ? "page" : undefined}
          >
            {item.icon}
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
