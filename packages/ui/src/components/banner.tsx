// The one banner of the app: trial ending, payment overdue, read-only, verify your email,
// checkout results … A tone picks colour, icon and role (danger is an alert, the rest status).
import { cva } from "class-variance-authority";
import { CircleAlert, CircleCheck, Info, TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "../lib/utils.ts";

const bannerVariants = cva(
  "flex flex-col gap-3 rounded-lg border px-4 py-3 text-sm sm:flex-row sm:items-center sm:justify-between",
  {
    variants: {
      tone: {
        info: "border-info/25 bg-info-muted text-foreground [&_[data-icon]]:text-info",
        success: "border-success/25 bg-success-muted text-foreground [&_[data-icon]]:text-success",
        warning: "border-warning/30 bg-warning-muted text-foreground [&_[data-icon]]:text-warning",
        danger:
          "border-destructive/30 bg-destructive/10 text-foreground dark:bg-destructive/15 [&_[data-icon]]:text-destructive",
      },
      /** Full width under the app's top bar instead of a card in the page. */
      edge: { true: "rounded-none border-x-0 border-t-0 px-4 md:px-8", false: "" },
    },
    defaultVariants: { tone: "info", edge: false },
  },
);

const ICONS = { info: Info, success: CircleCheck, warning: TriangleAlert, danger: CircleAlert };

export interface BannerProps {
  tone?: "info" | "warning" | "danger" | "success";
  title?: ReactNode;
  children?: ReactNode;
  /** A button or link on the right. */
  action?: ReactNode;
  edge?: boolean;
  className?: string;
  "data-testid"?: string;
}

export function Banner({
  tone = "info",
  title,
  children,
  action,
  edge = false,
  className,
  ...rest
}: BannerProps) {
  const Icon = ICONS[tone];
  return (
    <div
      role={tone === "danger" ? "alert" : "status"}
      data-slot="banner"
      data-tone={tone}
      className={cn(bannerVariants({ tone, edge }), className)}
      {...rest}
    >
      <div className="flex min-w-0 items-start gap-2.5">
        <Icon data-icon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <div className="min-w-0">
          {title ? <strong className="mr-1.5 font-semibold">{title}</strong> : null}
          {children ? <span>{children}</span> : null}
        </div>
      </div>
      {action ? <div className="flex shrink-0 items-center gap-2">{action}</div> : null}
    </div>
  );
}
