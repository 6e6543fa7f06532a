import { CardSkeleton, PageSkeleton, TableSkeleton } from "@plinth/ui/skeletons";

export default function Loading() {
  return (
    <PageSkeleton label="Loading practice">
      <CardSkeleton height="h-10" />
      <TableSkeleton />
    </PageSkeleton>
  );
}
