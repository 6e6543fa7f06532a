"use client";
// Search: a command palette (⌘K / Ctrl+K, or the search button in the top bar) over the
// pages, the organizations you belong to, this organization's projects and the theme. The
// palette itself (cmdk) loads on its own chunk, fetched when the page is idle or on first use.
import { Search } from "lucide-react";
import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { Button } from "@plinth/ui/button";

const CommandPalette = dynamic(() => import("./command-palette.tsx"), { ssr: false });

export interface CommandPage {
  label: string;
  href: string;
}

export interface CommandMenuProps {
  pages: CommandPage[];
  organizations?: { slug: string; name: string }[];
  /** The current organization: its projects are searchable (and open on `projectsHref`). */
  organizationId?: string;
  projectsHref?: string;
}

export function CommandMenu(props: CommandMenuProps) {
  const [open, setOpen] = useState(false);
  // Mounted (and so loaded) from the first time it is wanted; kept mounted after that.
  const [wanted, setWanted] = useState(false);
  const show = (next: boolean) => {
    if (next) setWanted(true);
    setOpen(next);
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() === "k" && (event.metaKey || event.ctrlKey)) {
        event.preventDefault();
        setWanted(true);
        setOpen((value) => !value);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  return (
    <>
      <Button
        variant="outline"
        className="h-9 w-9 justify-start gap-2 px-0 text-muted-foreground sm:w-56 sm:px-3"
        onClick={() => show(true)}
        // Fetch the palette's code as soon as the pointer or focus comes near it.
        onPointerEnter={() => void import("./command-palette.tsx")}
        onFocus={() => void import("./command-palette.tsx")}
      >
        <Search aria-hidden="true" className="mx-auto sm:mx-0" />
        <span className="sr-only sm:not-sr-only">Search…</span>
        <kbd className="ml-auto hidden rounded border bg-muted px-1.5 font-mono text-[10px] sm:inline">
          Ctrl K
        </kbd>
      </Button>
      {wanted ? <CommandPalette {...props} open={open} setOpen={show} /> : null}
    </>
  );
}
