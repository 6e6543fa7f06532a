import { PageSkeleton, TableSkeleton } from "@plinth/ui/skeletons";

export default function Loading() {
  return (
    <PageSkeleton label="Loading runs">
      <TableSkeleton />
    </PageSkeleton>
  );
}
