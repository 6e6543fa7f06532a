"use client";
// The organization switcher's list (cmdk), loaded when the switcher first opens.
import { Check, Plus } from "lucide-react";
import {
  Command,
  CommandEmpty,
  CommandGroup,
  CommandInput,
  CommandItem,
  CommandList,
} from "@plinth/ui/command";
import type { OrganizationOption } from "./organization-switcher.tsx";

export default function OrganizationList({
  current,
  organizations,
  go,
}: {
  current: string;
  organizations: OrganizationOption[];
  go: (path: string) => void;
}) {
  return (
    <Command label="Organizations">
      <CommandInput
        placeholder="Find an organization…"
        aria-label="Find an organization"
        autoFocus
      />
      <CommandList>
        <CommandEmpty>No organization by that name.</CommandEmpty>
        <CommandGroup heading="Organizations">
          {organizations.map((organization) => (
            <CommandItem
              key={organization.slug}
              value={`${organization.name} ${organization.slug}`}
              onSelect={() => go(`/o/${organization.slug}`)}
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
  );
}
