"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

export function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const active = usePathname()?.startsWith(href) ?? false;
  return (
    <Link
      href={href}
      className={active ? "app-nav__link app-nav__link--active" : "app-nav__link"}
      aria-current={active ? "page" : undefined}
    >
      {children}
    </Link>
  );
}
