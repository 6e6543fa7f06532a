import { CardSkeleton, PageSkeleton } from "@plinth/ui/skeletons";

export default function Loading() {
  return (
    <div className="mx-auto max-w-3xl p-4 md:p-8">
      <PageSkeleton label="Loading your account">
        <CardSkeleton height="h-48" />
        <CardSkeleton height="h-24" />
      </PageSkeleton>
    </div>
  );
}
