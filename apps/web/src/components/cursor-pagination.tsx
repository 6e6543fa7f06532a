// "Newest" / "Older" links under a list read a page at a time by cursor on the server (the
// audit log, the operator's demo bookings): nothing when the list fits on one page.
import Link from "next/link";
import { NextLabel, Pagination, PaginationLink, PreviousLabel } from "@plinth/ui/pagination";

export function CursorPagination({
  newestHref,
  olderHref,
}: {
  /** The first page, when this is not it. */
  newestHref: string | null;
  /** The next page, when there is one. */
  olderHref: string | null;
}) {
  if (!newestHref && !olderHref) return null;
  return (
    <Pagination>
      {newestHref ? (
        <PaginationLink asChild>
          <Link href={newestHref}>
            <PreviousLabel>Newest</PreviousLabel>
          </Link>
        </PaginationLink>
      ) : (
        <span />
      )}
      {olderHref ? (
        <PaginationLink asChild>
          <Link href={olderHref}>
            <NextLabel>Older</NextLabel>
          </Link>
        </PaginationLink>
      ) : null}
    </Pagination>
  );
}
