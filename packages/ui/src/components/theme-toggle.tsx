"use client";
// Light / dark / system, persisted in a cookie (../lib/theme.ts): a menu of three choices,
// deferred (./deferred-menu.tsx) — it is on every page, sign-in included.
import { Moon, Sun } from "lucide-react";
import { type ComponentProps, useEffect, useState } from "react";
import { currentTheme, setTheme, type Theme } from "../lib/theme.ts";
import { Button } from "./button.tsx";
import { deferredMenu } from "./deferred-menu.tsx";

export const THEME_LABELS: Record<Theme, string> = {
  system: "System",
  light: "Light",
  dark: "Dark",
};

export function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setState] = useState<Theme>("system");
  useEffect(() => {
    const read = () => setState(currentTheme());
    read();
    window.addEventListener("plinth-theme", read);
    return () => window.removeEventListener("plinth-theme", read);
  }, []);
  return [theme, setTheme];
}

export function ThemeTrigger({
  theme,
  ...props
}: { theme: Theme } & ComponentProps<typeof Button>) {
  return (
    <Button variant="ghost" size="icon" aria-label={`Theme: ${THEME_LABELS[theme]}`} {...props}>
      <Sun className="dark:hidden" aria-hidden="true" />
      <Moon className="hidden dark:block" aria-hidden="true" />
    </Button>
  );
}

const ThemeMenu = deferredMenu<{ theme: Theme; onChoose: (theme: Theme) => void }>(
  () => import("./theme-menu.tsx"),
  ({ theme, trigger }) => <ThemeTrigger theme={theme} {...trigger} />,
);

export function ThemeToggle() {
  const [theme, choose] = useTheme();
  return <ThemeMenu theme={theme} onChoose={choose} />;
}
