import { PageSkeleton, TableSkeleton } from "@plinth/ui/skeletons";

export function MembersLoading() {
  return (
    <PageSkeleton label="Loading members">
      <TableSkeleton />
    </PageSkeleton>
  );
}
