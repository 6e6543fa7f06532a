"use client";
// Toasts (sonner): <Toaster /> once in the root layout, `toast.success(…)` / `toast.error(…)`
// anywhere in client code. Follows the page's light/dark class.
import { useEffect, useState, type CSSProperties } from "react";
import { Toaster as Sonner, toast } from "sonner";

export { toast };

function useDocumentTheme(): "light" | "dark" {
  const [theme, setTheme] = useState<"light" | "dark">("light");
  useEffect(() => {
    const root = document.documentElement;
    const read = () => setTheme(root.classList.contains("dark") ? "dark" : "light");
    read();
    const observer = new MutationObserver(read);
    observer.observe(root, { attributes: true, attributeFilter: ["class"] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

export function Toaster() {
  return (
    <Sonner
      theme={useDocumentTheme()}
      closeButton
      position="bottom-right"
      toastOptions={{ duration: 6000 }}
      style={
        {
          "--normal-bg": "var(--popover)",
          "--normal-text": "var(--popover-foreground)",
          "--normal-border": "var(--border)",
        } as CSSProperties
      }
    />
  );
}
