// Loading placeholders: the shape of the page that is coming (the shells show them while a
// sidebar link's page loads; see apps/web/src/components/navigation-skeleton.tsx).
import type { ReactNode } from "react";
import { cn } from "../lib/utils.ts";
import { Skeleton } from "./skeleton.tsx";

export function PageSkeleton({
  children,
  label = "Loading",
}: {
  children?: ReactNode;
  label?: string;
}) {
  return (
    <div className="grid gap-6" role="status" aria-live="polite">
      <span className="sr-only">{label}…</span>
      <div className="grid gap-2">
        <Skeleton className="h-7 w-48" />
        <Skeleton className="h-4 w-72 max-w-full" />
      </div>
      {children ?? <TableSkeleton />}
    </div>
  );
}

export function TableSkeleton({ rows = 5, className }: { rows?: number; className?: string }) {
  return (
    <div className={cn("grid gap-3 rounded-xl border p-4", className)}>
      <Skeleton className="h-4 w-1/3" />
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-8 w-full" />
      ))}
    </div>
  );
}

export function CardSkeleton({
  className,
  height = "h-40",
}: {
  className?: string;
  height?: string;
}) {
  return (
    <div className={cn("grid gap-3 rounded-xl border p-5", className)}>
      <Skeleton className="h-5 w-40" />
      <Skeleton className={cn("w-full", height)} />
    </div>
  );
}

export function StatsSkeleton({ count = 4 }: { count?: number }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {Array.from({ length: count }, (_, i) => (
        <Skeleton key={i} className="h-24 w-full rounded-xl" />
      ))}
    </div>
  );
}
