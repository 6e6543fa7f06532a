"use client";
// The organization switcher: a combobox (button + command list in a popover). Type to filter,
// arrows to move, Enter to switch; the last entry creates a new organization. The list (cmdk)
// is its own chunk, fetched when the pointer or focus reaches the button.
import { ChevronsUpDown } from "lucide-react";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@plinth/ui/button";
import { Popover, PopoverContent, PopoverTrigger } from "@plinth/ui/popover";
import { Skeleton } from "@plinth/ui/skeleton";

const OrganizationList = dynamic(() => import("./organization-list.tsx"), {
  ssr: false,
  loading: () => <Skeleton className="m-2 h-24" />,
});
const preload = () => void import("./organization-list.tsx");

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
          onPointerEnter={preload}
          onFocus={preload}
        >
          <span className="truncate" data-testid="current-organization">
            {active?.name ?? "Choose an organization"}
          </span>
          <ChevronsUpDown className="opacity-60" aria-hidden="true" />
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-(--radix-popover-trigger-width) min-w-64 p-0" align="start">
        <OrganizationList current={current} organizations={organizations} go={go} />
      </PopoverContent>
    </Popover>
  );
}
