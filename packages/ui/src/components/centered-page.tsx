// A page with one card in the middle (sign-in, sign-up, invitations, checkout …): the brand
// and the theme toggle on top, the content centred below.
import type { ReactNode } from "react";
import { cn } from "../lib/utils.ts";
import { Brand } from "./app-shell.tsx";
import { ThemeToggle } from "./theme-toggle.tsx";

export function CenteredPage({
  children,
  width = "sm",
  actions,
  footer,
}: {
  children: ReactNode;
  width?: "sm" | "md" | "lg" | "xl";
  /** More controls next to the theme toggle (e.g. a back link). */
  actions?: ReactNode;
  /** Below the content (e.g. links to the terms and the privacy notice). */
  footer?: ReactNode;
}) {
  return (
    <div className="flex min-h-svh flex-col bg-muted/40 dark:bg-background">
      <header className="flex h-14 items-center justify-between px-4 md:px-6">
        <a
          href="/"
          className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <Brand />
        </a>
        <div className="flex items-center gap-1.5">
          {actions}
          <ThemeToggle />
        </div>
      </header>
      <main
        id="main"
        className="flex flex-1 justify-center px-4 pt-4 pb-16 sm:items-center sm:pt-0"
      >
        <div
          className={cn(
            "w-full",
            width === "sm" && "max-w-md",
            width === "md" && "max-w-xl",
            width === "lg" && "max-w-3xl",
            width === "xl" && "max-w-6xl",
          )}
        >
          {children}
        </div>
      </main>
      {footer ? (
        <footer className="px-4 pb-6 text-center text-sm text-muted-foreground md:px-6">
          {footer}
        </footer>
      ) : null}
    </div>
  );
}
