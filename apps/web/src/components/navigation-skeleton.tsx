"use client";
// Page skeletons on client navigation, not on the first load.
//
// A dashboard page's first HTML carries its data: the routes have no loading.tsx, because a
// route-level Suspense boundary puts the page's content — its largest paint — behind React's
// 300 ms reveal throttle (docs/benchmarks.md, "Where the LCP goes"), and the data are a few
// milliseconds of the server's answer anyway. Moving between pages is where a skeleton helps:
// a sidebar link navigates inside a transition, and while that transition is pending the main
// area shows the target page's skeleton instead of the page being left. The skeleton goes away
// in the same commit that shows the new page (useOptimistic reverts when the transition ends).
import { useRouter } from "next/navigation";
import { createContext, use, useOptimistic, useTransition, type ReactNode } from "react";

interface SkeletonNavigation {
  /** The href being navigated to, while its page is on the way. */
  pendingHref: string | null;
  /** Navigates to `href`, showing its skeleton until the page has rendered. */
  navigate(href: string): void;
}

const SkeletonNavigationContext = createContext<SkeletonNavigation | null>(null);

/** Around a shell: its links navigate through it, its main area reads the pending href. */
export function SkeletonNavigationProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [pendingHref, setPendingHref] = useOptimistic<string | null>(null);
  const [, startTransition] = useTransition();
  const navigate = (href: string) =>
    // router.push's update joins this transition, so the optimistic href stays until the new
    // page commits — however long its server render takes.
    startTransition(() => {
      setPendingHref(href);
      router.push(href);
    });
  return (
    <SkeletonNavigationContext value={{ pendingHref, navigate }}>
      {children}
    </SkeletonNavigationContext>
  );
}

/** The shell's navigation, or null outside a provider (the link then navigates as usual). */
export function useSkeletonNavigation(): SkeletonNavigation | null {
  return use(SkeletonNavigationContext);
}

/**
 * The main area: the page, or — while a link's navigation is pending — the skeleton of the
 * page it goes to (`skeletons` by href; `fallback` for an href without its own). The page stays
 * mounted, hidden, so going nowhere (a refused navigation) shows it again as it was.
 */
export function PageOrSkeleton({
  skeletons,
  fallback,
  children,
}: {
  skeletons: Readonly<Record<string, ReactNode>>;
  fallback: ReactNode;
  children: ReactNode;
}) {
  const pendingHref = useSkeletonNavigation()?.pendingHref ?? null;
  const skeleton = pendingHref === null ? null : (skeletons[pendingHref] ?? fallback);
  return (
    <>
      <div hidden={skeleton !== null}>{children}</div>
      {skeleton}
    </>
  );
}
