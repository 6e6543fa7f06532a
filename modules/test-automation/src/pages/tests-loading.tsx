import { CardSkeleton, PageSkeleton, TableSkeleton } from "@plinth/ui/skeletons";

export function TestsLoading() {
  return (
    <PageSkeleton label="Loading tests">
      <CardSkeleton height="h-40" />
      <TableSkeleton />
    </PageSkeleton>
  );
}
