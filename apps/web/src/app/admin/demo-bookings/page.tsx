// The operator console's demo bookings (demo-booking module): every request from /demo, from
// Calendly or the built-in form, newest first, a page of 50 at a time (?after=<last id>).
import type { Metadata } from "next";
import { cuid, urlParameter } from "@plinth/core/inputs";
import { Badge } from "@plinth/ui/badge";
import { Card } from "@plinth/ui/card";
import { formatDateTime } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import {
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import { CursorPagination } from "~/components/cursor-pagination.tsx";
import { requireModule } from "~/server/modules.ts";
import { api } from "~/server/trpc.ts";

export const metadata: Metadata = { title: "Demo bookings" };

const PAGE_SIZE = 50;
const STATUS_VARIANT = {
  REQUESTED: "warning",
  SCHEDULED: "success",
  CANCELED: "secondary",
} as const;

export default async function OperatorDemoBookingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  requireModule("demo-booking");
  const after = urlParameter(cuid, (await searchParams).after);
  const page = await (
    await api()
  ).demoBooking.list({ limit: PAGE_SIZE, ...(after ? { cursor: after } : {}) });
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Demo bookings"
        description="Requests from the public /demo page: Calendly bookings and the built-in form."
      />
      <Card className="py-0">
        <Table aria-label="Demo bookings">
          <TableHeader>
            <TableRow>
              <TableHead>Who</TableHead>
              <TableHead>Company</TableHead>
              <TableHead>Source</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>When</TableHead>
              <TableHead>Message</TableHead>
              <TableHead>Received</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.length === 0 ? (
              <TableEmpty colSpan={7}>No demo bookings yet.</TableEmpty>
            ) : (
              page.items.map((booking) => (
                <TableRow key={booking.id} className="align-top">
                  <TableCell>
                    <div className="font-medium">{booking.name}</div>
                    <a className="text-muted-foreground underline" href={`mailto:${booking.email}`}>
                      {booking.email}
                    </a>
                  </TableCell>
                  <TableCell>{booking.company ?? "—"}</TableCell>
                  <TableCell>{booking.source === "CALENDLY" ? "Calendly" : "Form"}</TableCell>
                  <TableCell>
                    <Badge variant={STATUS_VARIANT[booking.status]}>
                      {booking.status.toLowerCase()}
                    </Badge>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {booking.scheduledStart ? formatDateTime(booking.scheduledStart) : "—"}
                  </TableCell>
                  <TableCell className="max-w-sm text-sm break-words whitespace-pre-line">
                    {booking.notes ?? "—"}
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">
                    {formatDateTime(booking.createdAt)}
                  </TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </Card>
      <CursorPagination
        newestHref={after ? "/admin/demo-bookings" : null}
        olderHref={page.nextCursor ? `/admin/demo-bookings?after=${page.nextCursor}` : null}
      />
    </div>
  );
}
