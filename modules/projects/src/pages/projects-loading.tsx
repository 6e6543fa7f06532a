import { CardSkeleton, PageSkeleton, TableSkeleton } from "@plinth/ui/skeletons";

export function ProjectsLoading() {
  return (
    <PageSkeleton label="Loading projects">
      <CardSkeleton height="h-10" />
      <TableSkeleton />
    </PageSkeleton>
  );
}
