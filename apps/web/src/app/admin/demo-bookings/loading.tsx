import { PageSkeleton, TableSkeleton } from "@plinth/ui/skeletons";

export default function Loading() {
  return (
    <PageSkeleton label="Loading demo bookings">
      <TableSkeleton rows={8} />
    </PageSkeleton>
  );
}
