"use client";
// Code a page needs only on interaction (dialogs) is split off with next/dynamic; this fetches
// it after the page's load event, when idle, so the first click does not wait for the network.
import { useEffect } from "react";
import { afterLoadWhenIdle } from "@plinth/ui/lib/after-load";

export function usePreloadWhenIdle(...loaders: (() => Promise<unknown>)[]): void {
  useEffect(() => {
    const run = () => loaders.forEach((load) => void load().catch(() => {}));
    return afterLoadWhenIdle(run);
    // The loaders are module-level functions: once per mount is enough.
  }, []);
}
