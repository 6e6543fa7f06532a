"use client";
// The loaded part of ./theme-toggle.tsx.
import { Monitor, Moon, Sun } from "lucide-react";
import { THEMES, type Theme } from "../lib/theme.ts";
import type { DeferredMenuMount } from "./deferred-menu.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from "./dropdown-menu.tsx";
import { THEME_LABELS, ThemeTrigger } from "./theme-toggle.tsx";

const ICONS = { system: Monitor, light: Sun, dark: Moon };

function isTheme(value: string): value is Theme {
  return (THEMES as readonly string[]).includes(value);
}

export default function ThemeMenu({
  theme,
  onChoose,
  defaultOpen,
  autoFocus,
}: { theme: Theme; onChoose: (theme: Theme) => void } & DeferredMenuMount) {
  return (
    <DropdownMenu defaultOpen={defaultOpen}>
      <DropdownMenuTrigger asChild>
        <ThemeTrigger theme={theme} autoFocus={autoFocus} />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>Theme</DropdownMenuLabel>
        <DropdownMenuRadioGroup
          value={theme}
          onValueChange={(value) => (isTheme(value) ? onChoose(value) : undefined)}
        >
          {THEMES.map((value) => {
            const Icon = ICONS[value];
            return (
              <DropdownMenuRadioItem key={value} value={value}>
                <Icon aria-hidden="true" /> {THEME_LABELS[value]}
              </DropdownMenuRadioItem>
            );
          })}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
