"use client";
// Loaded on its own so recharts stays out of the page's first load.
import dynamic from "next/dynamic";
import { Skeleton } from "@plinth/ui/skeleton";

export const RevenueChart = dynamic(() => import("./charts.tsx").then((m) => m.RevenueChart), {
  ssr: false,
  loading: () => <Skeleton className="h-60 w-full" />,
});
