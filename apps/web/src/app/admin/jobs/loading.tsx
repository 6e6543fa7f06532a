import { PageSkeleton, TableSkeleton } from "@plinth/ui/skeletons";

export default function Loading() {
  return (
    <PageSkeleton label="Loading jobs">
      <TableSkeleton rows={8} />
    </PageSkeleton>
  );
}
