"use client";
// Search: a command palette (⌘K / Ctrl+K, or the search button in the top bar) over the
// pages, the organizations you belong to, this organization's projects and the theme.
import { FileText, FolderKanban, Monitor, Moon, Search, Sun, Building2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@plinth/ui/button";
import {
  CommandDialog,
  CommandEmpty,
  CommandGroup,
  CommandInput,
  CommandItem,
  CommandList,
  CommandShortcut,
} from "@plinth/ui/command";
import { setTheme, type Theme } from "@plinth/ui/lib/theme";
import { trpc } from "~/trpc/react.tsx";

export interface CommandPage {
  label: string;
  href: string;
}

export function CommandMenu({
  pages,
  organizations = [],
  organizationId,
  projectsHref,
}: {
  pages: CommandPage[];
  organizations?: { slug: string; name: string }[];
  /** The current organization: its projects are searchable (and open on `projectsHref`). */
  organizationId?: string;
  projectsHref?: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const projects = trpc.project.list.useQuery(
    { organizationId: organizationId ?? "", status: "ACTIVE" },
    { enabled: open && organizationId !== undefined && projectsHref !== undefined },
  );
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() === "k" && (event.metaKey || event.ctrlKey)) {
        event.preventDefault();
        setOpen((value) => !value);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  const run = (action: () => void) => {
    setOpen(false);
    action();
  };
  const theme = (value: Theme) => run(() => setTheme(value));
  return (
    <>
      <Button
        variant="outline"
        className="h-9 w-9 justify-start gap-2 px-0 text-muted-foreground sm:w-56 sm:px-3"
        onClick={() => setOpen(true)}
      >
        <Search aria-hidden="true" className="mx-auto sm:mx-0" />
        <span className="sr-only sm:not-sr-only">Search…</span>
        <kbd className="ml-auto hidden rounded border bg-muted px-1.5 font-mono text-[10px] sm:inline">
          Ctrl K
        </kbd>
      </Button>
      <CommandDialog
        open={open}
        onOpenChange={setOpen}
        title="Search"
        description="Go to a page, an organization or a project"
        label="Search"
      >
        <CommandInput placeholder="Search pages, organizations, projects…" aria-label="Search" />
        <CommandList>
          <CommandEmpty>Nothing found.</CommandEmpty>
          <CommandGroup heading="Pages">
            {pages.map((page) => (
              <CommandItem
                key={page.href}
                value={`page ${page.label}`}
                onSelect={() => run(() => router.push(page.href))}
              >
                <FileText aria-hidden="true" />
                {page.label}
              </CommandItem>
            ))}
          </CommandGroup>
          {organizations.length > 0 ? (
            <CommandGroup heading="Organizations">
              {organizations.map((organization) => (
                <CommandItem
                  key={organization.slug}
                  value={`organization ${organization.name} ${organization.slug}`}
                  onSelect={() => run(() => router.push(`/o/${organization.slug}/projects`))}
                >
                  <Building2 aria-hidden="true" />
                  {organization.name}
                </CommandItem>
              ))}
            </CommandGroup>
          ) : null}
          {projects.data && projects.data.length > 0 ? (
            <CommandGroup heading="Projects">
              {projects.data.map((project) => (
                <CommandItem
                  key={project.id}
                  value={`project ${project.name} ${project.id}`}
                  onSelect={() =>
                    run(() =>
                      router.push(`${projectsHref}?project=${encodeURIComponent(project.id)}`),
                    )
                  }
                >
                  <FolderKanban aria-hidden="true" />
                  {project.name}
                </CommandItem>
              ))}
            </CommandGroup>
          ) : null}
          <CommandGroup heading="Theme">
            <CommandItem value="theme light" onSelect={() => theme("light")}>
              <Sun aria-hidden="true" /> Light theme
            </CommandItem>
            <CommandItem value="theme dark" onSelect={() => theme("dark")}>
              <Moon aria-hidden="true" /> Dark theme
            </CommandItem>
            <CommandItem value="theme system" onSelect={() => theme("system")}>
              <Monitor aria-hidden="true" /> System theme
              <CommandShortcut>OS</CommandShortcut>
            </CommandItem>
          </CommandGroup>
        </CommandList>
      </CommandDialog>
    </>
  );
}
