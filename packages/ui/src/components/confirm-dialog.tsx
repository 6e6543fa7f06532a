"use client";
// "Are you sure?" for every destructive action: an alert dialog (focus starts on Cancel, Escape
// cancels) whose confirm button runs the action, shows it pending and closes when it is done.
// A failed action keeps the dialog open; the caller reports the error (usually a toast).
import { useState, type ReactNode } from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "./alert-dialog.tsx";
import { Button } from "./button.tsx";

export interface ConfirmDialogProps {
  /** The element that opens the dialog (a Button, a DropdownMenuItem with asChild …). */
  trigger?: ReactNode;
  /** Controlled use (e.g. opened from a menu item): */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: string;
  /** Red confirm button (deleting, removing, revoking, suspending …). Default true. */
  destructive?: boolean;
  onConfirm: () => Promise<unknown> | void;
  /** Extra content between the description and the buttons (a type-to-confirm field …). */
  children?: ReactNode;
  /** Disable the confirm button (e.g. until the confirmation text matches). */
  confirmDisabled?: boolean;
}

export function ConfirmDialog({
  trigger,
  open: controlledOpen,
  onOpenChange,
  title,
  description,
  confirmLabel,
  destructive = true,
  onConfirm,
  children,
  confirmDisabled,
}: ConfirmDialogProps) {
  const [uncontrolledOpen, setUncontrolledOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const open = controlledOpen ?? uncontrolledOpen;
  const setOpen = (next: boolean) => {
    if (pending) return;
    setUncontrolledOpen(next);
    onOpenChange?.(next);
  };
  const confirm = async () => {
    setPending(true);
    try {
      await onConfirm();
      setPending(false);
      setUncontrolledOpen(false);
      onOpenChange?.(false);
    } catch {
      setPending(false); // stays open: the caller has shown the error
    }
  };
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      {trigger ? <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger> : null}
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        {children}
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
          <Button
            variant={destructive ? "destructive" : "default"}
            loading={pending}
            disabled={confirmDisabled}
            onClick={() => void confirm()}
          >
            {confirmLabel}
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
