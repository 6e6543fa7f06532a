"use client";
// Light / dark / system, persisted in a cookie (../lib/theme.ts): a menu of three choices.
import { Monitor, Moon, Sun } from "lucide-react";
import { useEffect, useState } from "react";
import { currentTheme, setTheme, THEMES, type Theme } from "../lib/theme.ts";
import { Button } from "./button.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from "./dropdown-menu.tsx";

const LABELS: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };
const ICONS = { system: Monitor, light: Sun, dark: Moon };

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

export function ThemeToggle() {
  const [theme, choose] = useTheme();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Theme: ${LABELS[theme]}`}>
          <Sun className="dark:hidden" aria-hidden="true" />
          <Moon className="hidden dark:block" aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>Theme</DropdownMenuLabel>
        <DropdownMenuRadioGroup value={theme} onValueChange={(value) => choose(value as Theme)}>
          {THEMES.map((value) => {
            const Icon = ICONS[value];
            return (
              <DropdownMenuRadioItem key={value} value={value}>
                <Icon aria-hidden="true" /> {LABELS[value]}
              </DropdownMenuRadioItem>
            );
          })}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
