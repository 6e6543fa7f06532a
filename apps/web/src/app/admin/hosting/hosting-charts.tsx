"use client";
// The hosting dashboard's charts, loaded on their own (next/dynamic) so recharts stays out of
// the page's first load; the server component passes plain numbers.
import dynamic from "next/dynamic";
import { Skeleton } from "@plinth/ui/skeleton";

const loading = () => <Skeleton className="h-60 w-full" />;

export const RunOutcomesChart = dynamic(
  () => import("./charts.tsx").then((m) => m.RunOutcomesChart),
  { ssr: false, loading },
);
export const RunDurationChart = dynamic(
  () => import("./charts.tsx").then((m) => m.RunDurationChart),
  { ssr: false, loading },
);
