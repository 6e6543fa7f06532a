"use client";
// The organization switcher: a combobox (button + command list in a popover). Type to filter,
// arrows to move, Enter to switch; the last entry creates a new organization.
import { Check, ChevronsUpDown, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@plinth/ui/button";
import {
  Command,
  CommandEmpty,
  CommandGroup,
  CommandInput,
  CommandItem,
  CommandList,
} from "@plinth/ui/command";
import { Popover, PopoverContent, PopoverTrigger } from "@plinth/ui/popover";

export interface OrganizationOption {
  slug: string;
  name: string;
}

export function OrganizationSwitcher({
  current,
  organizations,
}: {
  current: string;
  organizations: OrganizationOption[];
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const active = organizations.find((o) => o.slug === current);
  const go = (path: string) => {
    setOpen(false);
    router.push(path);
  };
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button
          variant="outline"
          role="combobox"
          aria-expanded={open}
          // A combobox takes no name from its content: say what it does and what is chosen.
          aria-label={`Switch organization (current: ${active?.name ?? "none"})`}
          className="w-full justify-between bg-background px-3"
        >
          <span className="truncate" data-testid="current-organization">
            {active?.name ?? "Choose an organization"}
          </span>
          <ChevronsUpDown className="opacity-60" aria-hidden="true" />
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-(--radix-popover-trigger-width) min-w-64 p-0" align="start">
        <Command label="Organizations">
          <CommandInput placeholder="Find an organization…" aria-label="Find an organization" />
          <CommandList>
            <CommandEmpty>No organization by that name.</CommandEmpty>
            <CommandGroup heading="Organizations">
              {organizations.map((organization) => (
                <CommandItem
                  key={organization.slug}
                  value={`${organization.name} ${organization.slug}`}
                  onSelect={() => go(`/o/${organization.slug}/projects`)}
                >
                  <Check
                    className={organization.slug === current ? "opacity-100" : "opacity-0"}
                    aria-hidden="true"
                  />
                  <span className="truncate">{organization.name}</span>
                </CommandItem>
              ))}
            </CommandGroup>
            <CommandGroup heading="Create">
              <CommandItem value="new organization create" onSelect={() => go("/new")}>
                <Plus aria-hidden="true" />
                New organization
              </CommandItem>
            </CommandGroup>
          </CommandList>
        </Command>
      </PopoverContent>
    </Popover>
  );
}
