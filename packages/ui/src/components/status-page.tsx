// A whole-page message in the app's style: not found, something went wrong, access denied.
import type { ReactNode } from "react";
import { cn } from "../lib/utils.ts";

export function StatusPage({
  code,
  title,
  children,
  actions,
  className,
}: {
  /** "404", "Error" … shown above the title. */
  code?: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn("grid min-h-[60svh] place-items-center px-4 py-16", className)}>
      <div className="grid max-w-md justify-items-center gap-3 text-center">
        {code ? (
          <p className="text-sm font-semibold tracking-wide text-primary uppercase">{code}</p>
        ) : null}
        <h1 className="text-3xl font-semibold tracking-tight">{title}</h1>
        {children ? <div className="text-muted-foreground">{children}</div> : null}
        {actions ? <div className="mt-4 flex flex-wrap justify-center gap-2">{actions}</div> : null}
      </div>
    </div>
  );
}
