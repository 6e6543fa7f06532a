"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ComponentProps, type ReactNode } from "react";
import { navItemClasses } from "@plinth/ui/app-shell";
import { useSkeletonNavigation } from "./navigation-skeleton.tsx";

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
  const navigation = useSkeletonNavigation();
  return (
    <nav aria-label={label} className="grid gap-1">
      {items.map((item) => {
        const active = item.exact ? pathname === item.href : pathname.startsWith(item.href);
        return (
          <IntentPrefetchLink
            key={item.href}
            href={item.href}
            className={navItemClasses(active)}
            aria-current={active ? "page" : undefined}
            // In a shell with page skeletons, the target's skeleton shows while its page loads.
            onNavigate={
              navigation && item.href !== pathname
                ? (event) => {
                    event.preventDefault();
                    navigation.navigate(item.href);
                  }
                : undefined
            }
          >
            {item.icon}
            {item.label}
          </IntentPrefetchLink>
        );
      })}
    </nav>
  );
}

/**
 * A link that prefetches when the user shows intent (hover, focus, touch), not when it scrolls
 * into view: every dashboard page shows the whole sidebar, and viewport prefetching rendered
 * each of its ~13 dynamic routes on the server on every page view (docs/benchmarks.md, "Where
 * the LCP goes"). Next's documented hover-prefetch pattern.
 */
function IntentPrefetchLink(props: ComponentProps<typeof Link>) {
  const [intent, setIntent] = useState(false);
  const show = () => setIntent(true);
  return (
    <Link
      {...props}
      prefetch={intent ? null : false}
      onMouseEnter={show}
      onFocus={show}
      onTouchStart={show}
    />
  );
}
