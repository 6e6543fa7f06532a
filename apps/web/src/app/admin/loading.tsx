import { CardSkeleton, PageSkeleton, StatsSkeleton } from "@plinth/ui/skeletons";

export default function Loading() {
  return (
    <PageSkeleton label="Loading the operator console">
      <StatsSkeleton />
      <CardSkeleton height="h-60" />
    </PageSkeleton>
  );
}
