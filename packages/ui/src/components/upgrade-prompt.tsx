// What the app shows when the plan refuses something: a card in the page (UpgradePromptCard)
// or a dialog over it (./upgrade-dialog.tsx), both from the same refusal data — what was
// refused, how much is used of how much, and the plan that lifts it.
import { Sparkles } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "../lib/utils.ts";
import { Button } from "./button.tsx";
import { Progress } from "./progress.tsx";

export interface UpgradeOffer {
  /** What was refused, in a sentence ("Your Trial plan allows 1 project, and you have 1."). */
  reason: ReactNode;
  /** The plan that lifts it (the error's `upgrade` offer); null: no plan does — contact us. */
  planName: string | null;
  /** Current use against the limit or quota, when the refusal is about an amount. */
  usage?: { current: number; max: number; label: string } | null;
  /** The link to the billing page (the app's link element, rendered through asChild). */
  upgradeLink?: ReactNode;
}

export function upgradeTitle(planName: string | null): string {
  return planName ? `Upgrade to ${planName}` : "Your plan's limit is reached";
}

export function UpgradeBody({ reason, planName, usage }: UpgradeOffer) {
  return (
    <div className="grid gap-3 text-sm">
      <p>{reason}</p>
      {usage ? (
        <div className="grid gap-1.5">
          <div className="flex justify-between text-muted-foreground">
            <span>{usage.label}</span>
            <span>
              {usage.current.toLocaleString("en-US")} of {usage.max.toLocaleString("en-US")}
            </span>
          </div>
          <Progress
            value={usage.max > 0 ? (usage.current / usage.max) * 100 : 100}
            aria-label={`${usage.label}: ${usage.current} of ${usage.max}`}
            indicatorClassName="bg-warning"
          />
        </div>
      ) : null}
      {planName ? (
        <p className="text-muted-foreground">The {planName} plan lifts this limit.</p>
      ) : (
        <p className="text-muted-foreground">No plan lifts this limit: contact us.</p>
      )}
    </div>
  );
}

export function UpgradePromptCard({
  className,
  actions,
  ...offer
}: UpgradeOffer & { className?: string; actions?: ReactNode }) {
  return (
    <section
      role="alert"
      aria-label="Upgrade required"
      data-testid="upgrade-prompt"
      className={cn(
        "flex flex-col gap-4 rounded-xl border border-primary/30 bg-primary/5 p-5 sm:flex-row sm:items-start sm:justify-between",
        className,
      )}
    >
      <div className="flex gap-3">
        <Sparkles className="mt-0.5 size-5 shrink-0 text-primary" aria-hidden="true" />
        <div className="grid gap-2">
          <h2 className="font-semibold">{upgradeTitle(offer.planName)}</h2>
          <UpgradeBody {...offer} />
        </div>
      </div>
      <div className="flex shrink-0 gap-2">
        {offer.upgradeLink ? <Button asChild>{offer.upgradeLink}</Button> : null}
        {actions}
      </div>
    </section>
  );
}
