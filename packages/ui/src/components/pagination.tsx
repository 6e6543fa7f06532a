// Page navigation under a list. Links render as the app's own link component through asChild
// (`<PaginationLink asChild><Link href=…/></PaginationLink>`), or as buttons for client lists.
import { Slot } from "@radix-ui/react-slot";
import { ChevronLeft, ChevronRight } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";
import { cn } from "../lib/utils.ts";
import { buttonVariants } from "./button.tsx";

export function Pagination({ className, ...props }: ComponentProps<"nav">) {
  return (
    <nav
      aria-label="Pagination"
      data-slot="pagination"
      className={cn("flex flex-wrap items-center justify-between gap-2", className)}
      {...props}
    />
  );
}

export function PaginationLink({
  asChild,
  className,
  disabled,
  children,
  ...props
}: ComponentProps<"button"> & { asChild?: boolean }) {
  const classes = cn(buttonVariants({ variant: "outline", size: "sm" }), className);
  if (asChild) {
    return (
      <Slot className={classes} {...props}>
        {children}
      </Slot>
    );
  }
  return (
    <button type="button" className={classes} disabled={disabled} {...props}>
      {children}
    </button>
  );
}

export const PreviousLabel = ({ children = "Previous" }: { children?: ReactNode }) => (
  <>
    <ChevronLeft aria-hidden="true" />
    <span>{children}</span>
  </>
);

export const NextLabel = ({ children = "Next" }: { children?: ReactNode }) => (
  <>
    <span>{children}</span>
    <ChevronRight aria-hidden="true" />
  </>
);

/** Previous / "page x of y" / next for a list paginated in the browser. */
export function ClientPagination({
  page,
  pageCount,
  onPageChange,
  className,
}: {
  page: number;
  pageCount: number;
  onPageChange: (page: number) => void;
  className?: string;
}) {
  if (pageCount <= 1) return null;
  return (
    <Pagination className={className}>
      <PaginationLink disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
        <PreviousLabel />
      </PaginationLink>
      <span className="text-sm text-muted-foreground" aria-live="polite">
        Page {page} of {pageCount}
      </span>
      <PaginationLink disabled={page >= pageCount} onClick={() => onPageChange(page + 1)}>
        <NextLabel />
      </PaginationLink>
    </Pagination>
  );
}
