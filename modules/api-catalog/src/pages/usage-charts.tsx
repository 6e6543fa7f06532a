"use client";
// The usage page's charts, loaded on their own so recharts stays out of the first load.
import dynamic from "next/dynamic";
import { Skeleton } from "@plinth/ui/skeleton";

const loading = () => <Skeleton className="h-60 w-full" />;

export const CallsChart = dynamic(() => import("./charts.tsx").then((m) => m.CallsChart), {
  ssr: false,
  loading,
});
export const CostChart = dynamic(() => import("./charts.tsx").then((m) => m.CostChart), {
  ssr: false,
  loading,
});
