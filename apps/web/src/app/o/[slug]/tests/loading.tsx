import { CardSkeleton, PageSkeleton, TableSkeleton } from "@plinth/ui/skeletons";

export default function Loading() {
  return (
    <PageSkeleton label="Loading tests">
      <CardSkeleton height="h-40" />
      <TableSkeleton />
    </PageSkeleton>
  );
}
