// The app's frame: a sidebar from 768 px up, a sticky top bar, full-width banners under it and
// the page. Below 768 px the sidebar's content moves into a sheet opened from the top bar (the
// app passes the same content to both). Layout only: what goes in each slot is the app's.
import type { ReactNode } from "react";
import { cn } from "../lib/utils.ts";

export function AppShell({
  sidebar,
  topbar,
  banners,
  children,
}: {
  /** Omitted: no sidebar at any width (e.g. the account page). */
  sidebar?: ReactNode;
  topbar: ReactNode;
  banners?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-svh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background px-3 py-2 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:ring-[3px] focus:ring-ring/50"
      >
        Skip to content
      </a>
      {sidebar ? (
        <div className="hidden w-64 shrink-0 border-r border-sidebar-border bg-sidebar text-sidebar-foreground md:block">
          <div className="sticky top-0 flex h-svh flex-col overflow-y-auto">{sidebar}</div>
        </div>
      ) : null}
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-40 flex h-14 shrink-0 items-center gap-2 border-b bg-background/95 px-3 backdrop-blur supports-[backdrop-filter]:bg-background/80 md:px-6">
          {topbar}
        </header>
        {banners}
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 outline-none md:px-8 md:py-8"
        >
          {children}
        </main>
      </div>
    </div>
  );
}

/** The sidebar's inner layout: brand on top, sections, a footer at the bottom. */
export function SidebarContent({
  header,
  children,
  footer,
}: {
  header?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="flex h-full flex-col gap-4 p-3">
      {header ? <div className="grid gap-3">{header}</div> : null}
      <div className="grid flex-1 content-start gap-1">{children}</div>
      {footer ? (
        <div className="grid gap-2 border-t border-sidebar-border pt-3">{footer}</div>
      ) : null}
    </div>
  );
}

/** Classes of a navigation link in the sidebar (the app's link component applies them). */
export function navItemClasses(active: boolean): string {
  return cn(
    "flex h-9 items-center gap-2.5 rounded-md px-2.5 text-sm font-medium outline-none transition-colors focus-visible:ring-[3px] focus-visible:ring-ring/50 [&_svg]:size-4 [&_svg]:shrink-0",
    active
      ? "bg-sidebar-accent text-sidebar-accent-foreground"
      : "text-sidebar-foreground/80 hover:bg-sidebar-accent hover:text-sidebar-accent-foreground",
  );
}

/** The product's name and mark. */
export function Brand({ className }: { className?: string }) {
  return (
    <span
      className={cn("flex items-center gap-2 text-base font-semibold tracking-tight", className)}
    >
      <span
        aria-hidden="true"
        className="grid size-7 place-items-center rounded-md bg-primary text-sm font-bold text-primary-foreground"
      >
        P
      </span>
      Plinth
    </span>
  );
}
