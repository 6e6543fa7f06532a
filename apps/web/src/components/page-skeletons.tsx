// The skeletons of the app's own pages (modules export theirs: ProjectsLoading, …), shown by
// PageOrSkeleton while a sidebar link's page loads (navigation-skeleton.tsx).
import { CardSkeleton, PageSkeleton, StatsSkeleton, TableSkeleton } from "@plinth/ui/skeletons";

/** A page of one table (audit log, runs, the console's lists). */
export function TablePageSkeleton({ label, rows }: { label: string; rows?: number }) {
  return (
    <PageSkeleton label={label}>
      <TableSkeleton {...(rows ? { rows } : {})} />
    </PageSkeleton>
  );
}

export function BillingSkeleton() {
  return (
    <PageSkeleton label="Loading billing">
      <CardSkeleton height="h-24" />
      <CardSkeleton height="h-60" />
      <CardSkeleton height="h-48" />
    </PageSkeleton>
  );
}

/** The operator console's overview (figures and charts) and hosting (figures, chart, table). */
export function ConsoleSkeleton({ label, table = false }: { label: string; table?: boolean }) {
  return (
    <PageSkeleton label={label}>
      <StatsSkeleton />
      <CardSkeleton height="h-60" />
      {table ? <TableSkeleton rows={6} /> : null}
    </PageSkeleton>
  );
}
