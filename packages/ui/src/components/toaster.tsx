"use client";
// Toasts (sonner): <Toaster /> once in the root layout, `toast.success(…)` / `toast.error(…)`
// anywhere in client code. sonner itself loads after the page's load event, when idle (or with
// the first toast), so it is not part of any page's first-load JavaScript; toasts raised before it is
// there show once it is (sonner replays them).
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import { afterLoadWhenIdle } from "../lib/after-load.ts";

const loadSonner = () => import("sonner");
const SonnerToaster = lazy(() => import("./sonner-toaster.tsx"));

type Options = { description?: ReactNode; duration?: number };
const show =
  (kind: "success" | "error" | "info" | "message") => (message: ReactNode, options?: Options) => {
    window.dispatchEvent(new Event("plinth-toast"));
    void loadSonner().then(({ toast }) =>
      kind === "message" ? toast(message, options) : toast[kind](message, options),
    );
  };

export const toast = {
  success: show("success"),
  error: show("error"),
  info: show("info"),
  message: show("message"),
};

export function Toaster() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    const mount = () => setMounted(true);
    window.addEventListener("plinth-toast", mount, { once: true });
    const cancel = afterLoadWhenIdle(mount);
    return () => {
      window.removeEventListener("plinth-toast", mount);
      cancel();
    };
  }, []);
  return mounted ? (
    <Suspense fallback={null}>
      <SonnerToaster />
    </Suspense>
  ) : null;
}
