"use client";
// A row's "…" menu of actions (rename, archive, delete…), its Radix part loaded after the page
// (./deferred-menu.tsx): a table of fifty rows costs fifty buttons at first paint, not a menu.
import { MoreHorizontal } from "lucide-react";
import type { ComponentProps } from "react";
import { Button } from "./button.tsx";
import { deferredMenu } from "./deferred-menu.tsx";

export interface MenuAction {
  label: string;
  onSelect: () => void;
  /** Red, for what deletes or removes (the action itself still confirms in a dialog). */
  destructive?: boolean;
  /** A separator above this action. */
  separated?: boolean;
  disabled?: boolean;
}

export interface ActionsMenuProps {
  /** The trigger's accessible name, e.g. "Actions for Website". */
  label: string;
  actions: readonly MenuAction[];
}

export function ActionsMenuTrigger({
  label,
  ...props
}: { label: string } & ComponentProps<typeof Button>) {
  return (
    <Button variant="ghost" size="icon-sm" aria-label={label} {...props}>
      <MoreHorizontal aria-hidden="true" />
    </Button>
  );
}

export const ActionsMenu = deferredMenu<ActionsMenuProps>(
  () => import("./actions-menu-content.tsx"),
  ({ label, trigger }) => <ActionsMenuTrigger label={label} {...trigger} />,
);
