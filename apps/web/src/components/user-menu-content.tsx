"use client";
// The loaded part of ./user-menu.tsx.
import { LogOut, ShieldCheck, UserRound } from "lucide-react";
import Link from "next/link";
import { useTransition } from "react";
import type { DeferredMenuMount } from "@plinth/ui/deferred-menu";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@plinth/ui/dropdown-menu";
import { signOutAction } from "~/app/actions.ts";
import { UserMenuTrigger, type UserMenuProps } from "./user-menu.tsx";

export default function UserMenuContent({
  name,
  email,
  platformAdmin,
  defaultOpen,
  autoFocus,
}: UserMenuProps & DeferredMenuMount) {
  const [signingOut, startSignOut] = useTransition();
  return (
    <DropdownMenu defaultOpen={defaultOpen}>
      <DropdownMenuTrigger asChild>
        <UserMenuTrigger name={name} email={email} autoFocus={autoFocus} />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="grid gap-0.5">
          <span className="truncate">{name ?? email}</span>
          <span className="truncate text-xs font-normal text-muted-foreground">{email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/account">
            <UserRound aria-hidden="true" /> Your account
          </Link>
        </DropdownMenuItem>
        {platformAdmin ? (
          <DropdownMenuItem asChild>
            <Link href="/admin">
              <ShieldCheck aria-hidden="true" /> Operator console
            </Link>
          </DropdownMenuItem>
        ) : null}
        <DropdownMenuSeparator />
        <DropdownMenuItem
          disabled={signingOut}
          onSelect={() => startSignOut(() => signOutAction())}
        >
          <LogOut aria-hidden="true" /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
