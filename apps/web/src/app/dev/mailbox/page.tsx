// Development mailbox: the emails the app "sent" without SMTP (the emails table), sign-in and
// reset links included. 404 unless the mailbox is enabled (development, or DEV_MAILBOX=1 in a
// test build) and the client is on this machine: its address (from the socket, see
// @plinth/auth/request-info) must be loopback — a request forwarded by a trusted proxy counts
// as its original client.
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cuid } from "@plinth/core/inputs";
import { clientIp, isLoopback } from "@plinth/auth/request-info";
import { Badge } from "@plinth/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@plinth/ui/card";
import { CenteredPage } from "@plinth/ui/centered-page";
import { EmptyState } from "@plinth/ui/empty-state";
import { formatDateTime } from "@plinth/ui/lib/format";
import { cn } from "@plinth/ui/lib/utils";
import { PageHeader } from "@plinth/ui/page-header";
import { isDevMailboxEnabled } from "~/env.ts";
import { db } from "~/server/db.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dev mailbox" };

function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"']+/g) ?? [])];
}

export default async function MailboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (!isDevMailboxEnabled() || !isLoopback(clientIp(await headers()))) notFound();
  const query = await searchParams;
  const selectedId = query.id === undefined ? null : cuid.safeParse(query.id).data;
  if (selectedId === undefined) notFound(); // ?id=%00, an array, a wrong format: not an email id
  // emails belong to no tenant (no row-level security): the app's own client reads them.
  const app = db().app;
  const [emails, selected] = await Promise.all([
    app.email.findMany({
      orderBy: { createdAt: "desc" },
      take: 100,
      select: { id: true, to: true, subject: true, template: true, status: true, createdAt: true },
    }),
    selectedId ? app.email.findUnique({ where: { id: selectedId } }) : null,
  ]);

  return (
    <CenteredPage width="xl">
      <div className="grid gap-6">
        <PageHeader
          title="Dev mailbox"
          description="Emails stored by the dev transport (no SMTP configured). Development only."
        />
        <div className="grid items-start gap-6 md:grid-cols-[minmax(16rem,22rem)_1fr]">
          <Card className="py-0">
            <ul aria-label="Emails" className="max-h-[75svh] divide-y overflow-auto">
              {emails.length === 0 ? (
                <li className="p-4 text-sm text-muted-foreground">No emails yet.</li>
              ) : null}
              {emails.map((email) => (
                <li key={email.id} data-slot="mailbox-item">
                  <Link
                    href={`/dev/mailbox?id=${email.id}`}
                    aria-current={email.id === selectedId ? "true" : undefined}
                    className={cn(
                      "grid gap-0.5 px-4 py-3 text-sm outline-none hover:bg-muted focus-visible:bg-muted",
                      email.id === selectedId && "bg-accent",
                    )}
                  >
                    <strong className="font-medium">{email.subject}</strong>
                    <span className="text-muted-foreground">
                      to {email.to} · {email.template} · {email.status.toLowerCase()}
                    </span>
                    <span className="text-xs text-muted-foreground">
                      {formatDateTime(email.createdAt)}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </Card>
          {selected ? (
            <Card>
              <CardHeader>
                <CardTitle>{selected.subject}</CardTitle>
                <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
                  To {selected.to} · template <code>{selected.template}</code>
                  <Badge variant="secondary">{selected.status.toLowerCase()}</Badge>
                  {selected.error ? ` error: ${selected.error}` : ""}
                </p>
              </CardHeader>
              <CardContent className="grid gap-4">
                {/* Untrusted HTML: rendered in a sandbox with no scripts, no same-origin access. */}
                <iframe
                  title="Email HTML"
                  className="min-h-[420px] w-full rounded-md border bg-white"
                  sandbox=""
                  srcDoc={selected.html}
                />
                {/* The sandboxed frame cannot open our pages (they refuse framing): its links here. */}
                <ul aria-label="Links in this email" className="grid gap-1 text-sm">
                  {linksIn(selected.text).map((href) => (
                    <li key={href} className="break-all">
                      <a
                        className="text-primary underline underline-offset-4 hover:decoration-2"
                        href={href}
                        rel="noreferrer"
                      >
                        {href}
                      </a>
                    </li>
                  ))}
                </ul>
                <details className="text-sm">
                  <summary className="cursor-pointer">Plain text</summary>
                  <pre className="mt-2 rounded-md bg-muted p-3 text-xs whitespace-pre-wrap">
                    {selected.text}
                  </pre>
                </details>
              </CardContent>
            </Card>
          ) : (
            <EmptyState title={selectedId ? "That email does not exist." : "Select an email."} />
          )}
        </div>
      </div>
    </CenteredPage>
  );
}
