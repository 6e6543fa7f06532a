"use client";
// Code a page needs only on interaction (dialogs) is split off with next/dynamic; this fetches
// it once the page is idle, so the first click does not wait for the network.
import { useEffect } from "react";

export function usePreloadWhenIdle(...loaders: (() => Promise<unknown>)[]): void {
  useEffect(() => {
    const run = () => loaders.forEach((load) => void load().catch(() => {}));
    const onIdle = typeof window.requestIdleCallback === "function";
    const handle = onIdle
      ? window.requestIdleCallback(run, { timeout: 4000 })
      : window.setTimeout(run, 2000);
    return () => (onIdle ? window.cancelIdleCallback(handle) : window.clearTimeout(handle));
    // The loaders are module-level functions: once per mount is enough.
  }, []);
}
