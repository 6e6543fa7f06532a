import { CardSkeleton, PageSkeleton } from "@plinth/ui/skeletons";

export default function Loading() {
  return (
    <PageSkeleton label="Loading billing">
      <CardSkeleton height="h-24" />
      <CardSkeleton height="h-60" />
      <CardSkeleton height="h-48" />
    </PageSkeleton>
  );
}
