"use client";
// The loaded part of ./actions-menu.tsx.
import { Fragment } from "react";
import { ActionsMenuTrigger, type ActionsMenuProps } from "./actions-menu.tsx";
import type { DeferredMenuMount } from "./deferred-menu.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "./dropdown-menu.tsx";

export default function ActionsMenuContent({
  label,
  actions,
  defaultOpen,
  autoFocus,
}: ActionsMenuProps & DeferredMenuMount) {
  return (
    <DropdownMenu defaultOpen={defaultOpen}>
      <DropdownMenuTrigger asChild>
        <ActionsMenuTrigger label={label} autoFocus={autoFocus} />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        {actions.map((action) => (
          <Fragment key={action.label}>
            {action.separated ? <DropdownMenuSeparator /> : null}
            <DropdownMenuItem
              variant={action.destructive ? "destructive" : "default"}
              disabled={action.disabled}
              onSelect={action.onSelect}
            >
              {action.label}
            </DropdownMenuItem>
          </Fragment>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
