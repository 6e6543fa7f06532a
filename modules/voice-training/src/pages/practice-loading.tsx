import { CardSkeleton, PageSkeleton, TableSkeleton } from "@plinth/ui/skeletons";

export function PracticeLoading() {
  return (
    <PageSkeleton label="Loading practice">
      <CardSkeleton height="h-10" />
      <TableSkeleton />
    </PageSkeleton>
  );
}
