"use client";
// The search palette's content (cmdk), loaded when it is first needed (./command-menu.tsx).
import { Building2, FileText, FolderKanban, Monitor, Moon, Sun } from "lucide-react";
import { useRouter } from "next/navigation";
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
import type { CommandMenuProps } from "./command-menu.tsx";

export default function CommandPalette({
  pages,
  organizations = [],
  organizationId,
  projectsHref,
  open,
  setOpen,
}: CommandMenuProps & { open: boolean; setOpen: (open: boolean) => void }) {
  const router = useRouter();
  const projects = trpc.project.list.useQuery(
    { organizationId: organizationId ?? "", status: "ACTIVE" },
    { enabled: open && organizationId !== undefined && projectsHref !== undefined },
  );
  const run = (action: () => void) => {
    setOpen(false);
    action();
  };
  const theme = (value: Theme) => run(() => setTheme(value));
  return (
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
                onSelect={() => run(() => router.push(`/o/${organization.slug}`))}
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
  );
}
