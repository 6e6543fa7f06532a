"use client";
// The operator overview's charts, loaded on their own (next/dynamic) so recharts stays out of
// the page's first load; the server component above passes plain numbers.
import dynamic from "next/dynamic";
import { Skeleton } from "@plinth/ui/skeleton";
import { pageLoaded } from "@plinth/ui/lib/after-load";

const loading = () => <Skeleton className="h-60 w-full" />;
// recharts starts loading at the page's load event (its skeleton until then).
const charts = () => pageLoaded().then(() => import("./charts.tsx"));

export const MrrChart = dynamic(() => charts().then((m) => m.MrrChart), {
  ssr: false,
  loading,
});
export const SignupsChart = dynamic(() => charts().then((m) => m.SignupsChart), {
  ssr: false,
  loading,
});
export const PlansChart = dynamic(() => charts().then((m) => m.PlansChart), {
  ssr: false,
  loading,
});
