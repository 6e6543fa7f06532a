"use client";
// The hosting dashboard's charts, loaded on their own (next/dynamic) so recharts stays out of
// the page's first load; the server component passes plain numbers.
import dynamic from "next/dynamic";
import { Skeleton } from "@plinth/ui/skeleton";
import { pageLoaded } from "@plinth/ui/lib/after-load";

const loading = () => <Skeleton className="h-60 w-full" />;
// recharts starts loading at the page's load event (its skeleton until then).
const charts = () => pageLoaded().then(() => import("./charts.tsx"));

export const RunOutcomesChart = dynamic(() => charts().then((m) => m.RunOutcomesChart), {
  ssr: false,
  loading,
});
export const RunDurationChart = dynamic(() => charts().then((m) => m.RunDurationChart), {
  ssr: false,
  loading,
});
