"use client";
// sonner's toaster in the design system's colours, following the page's light/dark class.
// Loaded lazily by ./toaster.tsx (it is not needed until the first toast).
import { useEffect, useState, type CSSProperties } from "react";
import { Toaster as Sonner } from "sonner";

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

export default function SonnerToaster() {
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
