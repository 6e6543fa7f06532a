"use client";
// The top bar's account menu, deferred (@plinth/ui/deferred-menu): on every page, used rarely.
import { type ComponentProps } from "react";
import { Button } from "@plinth/ui/button";
import { deferredMenu } from "@plinth/ui/deferred-menu";

export interface UserMenuProps {
  name: string | null;
  email: string;
  platformAdmin: boolean;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return (
    (parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")
  ).toUpperCase();
}

export function UserMenuTrigger({
  name,
  email,
  ...props
}: { name: string | null; email: string } & Omit<ComponentProps<typeof Button>, "name">) {
  return (
    <Button
      variant="ghost"
      size="icon"
      className="rounded-full"
      aria-label="Account menu"
      {...props}
    >
      <span
        aria-hidden="true"
        className="grid size-8 place-items-center rounded-full bg-primary text-xs font-semibold text-primary-foreground"
      >
        {initials(name ?? email) || "?"}
      </span>
    </Button>
  );
}

export const UserMenu = deferredMenu<UserMenuProps>(
  () => import("./user-menu-content.tsx"),
  ({ name, email, trigger }) => <UserMenuTrigger name={name} email={email} {...trigger} />,
);
