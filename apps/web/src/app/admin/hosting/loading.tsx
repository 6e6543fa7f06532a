import { CardSkeleton, PageSkeleton, StatsSkeleton, TableSkeleton } from "@plinth/ui/skeletons";

export default function Loading() {
  return (
    <PageSkeleton label="Loading hosting">
      <StatsSkeleton />
      <CardSkeleton height="h-60" />
      <TableSkeleton rows={6} />
    </PageSkeleton>
  );
}
