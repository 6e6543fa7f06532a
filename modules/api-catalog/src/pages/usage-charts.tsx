"use client";
// The usage page's charts, loaded on their own so recharts stays out of the first load.
import dynamic from "next/dynamic";
import { Skeleton } from "@plinth/ui/skeleton";
import { pageLoaded } from "@plinth/ui/lib/after-load";

const loading = () => <Skeleton className="h-60 w-full" />;
// recharts starts loading at the page's load event (its skeleton until then).
const charts = () => pageLoaded().then(() => import("./charts.tsx"));

export const CallsChart = dynamic(() => charts().then((m) => m.CallsChart), {
  ssr: false,
  loading,
});
export const CostChart = dynamic(() => charts().then((m) => m.CostChart), {
  ssr: false,
  loading,
});
