"use client";
// Loaded on its own so recharts stays out of the page's first load.
import dynamic from "next/dynamic";
import { Skeleton } from "@plinth/ui/skeleton";
import { pageLoaded } from "@plinth/ui/lib/after-load";

// recharts starts loading at the page's load event (its skeleton until then).
const charts = () => pageLoaded().then(() => import("./charts.tsx"));

export const RevenueChart = dynamic(() => charts().then((m) => m.RevenueChart), {
  ssr: false,
  loading: () => <Skeleton className="h-60 w-full" />,
});
