"use client";
import { Sparkles } from "lucide-react";
import { Button } from "./button.tsx";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "./dialog.tsx";
import { UpgradeBody, upgradeTitle, type UpgradeOffer } from "./upgrade-prompt.tsx";

/** The upgrade prompt as a dialog, opened when a mutation is refused by the plan. */
export function UpgradeDialog({
  open,
  onOpenChange,
  ...offer
}: UpgradeOffer & { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent data-testid="upgrade-prompt" aria-describedby={undefined}>
        <DialogHeader>
          <DialogTitle className="flex items-center gap-2">
            <Sparkles className="size-5 text-primary" aria-hidden="true" />
            {upgradeTitle(offer.planName)}
          </DialogTitle>
          <DialogDescription className="sr-only">The plan refused this action.</DialogDescription>
        </DialogHeader>
        <UpgradeBody {...offer} />
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Not now</Button>
          </DialogClose>
          {offer.upgradeLink ? <Button asChild>{offer.upgradeLink}</Button> : null}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
