"use client";
// The operator overview's charts, loaded on their own (next/dynamic) so recharts stays out of
// the page's first load; the server component above passes plain numbers.
import dynamic from "next/dynamic";
import { Skeleton } from "@plinth/ui/skeleton";

const loading = () => <Skeleton className="h-60 w-full" />;

export const MrrChart = dynamic(() => import("./charts.tsx").then((m) => m.MrrChart), {
  ssr: false,
  loading,
});
export const SignupsChart = dynamic(() => import("./charts.tsx").then((m) => m.SignupsChart), {
  ssr: false,
  loading,
});
export const PlansChart = dynamic(() => import("./charts.tsx").then((m) => m.PlansChart), {
  ssr: false,
  loading,
});
