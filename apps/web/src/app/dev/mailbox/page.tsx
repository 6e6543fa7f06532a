// Development mailbox: the emails the app "sent" without SMTP (the emails table), sign-in and
// reset links included. 404 unless the mailbox is enabled (development, or DEV_MAILBOX=1 in a
// test build) and the client is on this machine: its address (from the socket, see
// @plinth/auth/request-info) must be loopback — a request forwarded by a trusted proxy counts
// as its original client.
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { clientIp, isLoopback } from "@plinth/auth/request-info";
import { isDevMailboxEnabled } from "~/env.ts";
import { db } from "~/server/db.ts";
import { cuidSchema } from "~/server/ids.ts";

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
  const selectedId = query.id === undefined ? null : cuidSchema.safeParse(query.id).data;
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
    <main className="mailbox">
      <header className="page-head">
        <h1>Dev mailbox</h1>
        <p className="muted">
          Emails stored by the dev transport (no SMTP configured). Development only.
        </p>
      </header>
      <div className="mailbox__grid">
        <ul className="mailbox__list" aria-label="Emails">
          {emails.length === 0 ? <li className="empty">No emails yet.</li> : null}
          {emails.map((email) => (
            <li
              key={email.id}
              className={
                email.id === selectedId ? "mailbox__item mailbox__item--active" : "mailbox__item"
              }
            >
              <Link href={`/dev/mailbox?id=${email.id}`}>
                <strong>{email.subject}</strong>
                <span className="muted">
                  to {email.to} · {email.template} · {email.status.toLowerCase()}
                </span>
                <span className="muted">
                  {email.createdAt.toISOString().replace("T", " ").slice(0, 19)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
        <section className="mailbox__view">
          {selected ? (
            <article className="stack">
              <h2>{selected.subject}</h2>
              <p className="muted">
                To {selected.to} · template <code>{selected.template}</code> ·{" "}
                {selected.status.toLowerCase()}
                {selected.error ? ` · error: ${selected.error}` : ""}
              </p>
              {/* Untrusted HTML: rendered in a sandbox with no scripts, no same-origin access. */}
              <iframe
                title="Email HTML"
                className="mailbox__frame"
                sandbox=""
                srcDoc={selected.html}
              />
              {/* The sandboxed frame cannot open our pages (they refuse framing): its links here. */}
              <ul aria-label="Links in this email">
                {linksIn(selected.text).map((href) => (
                  <li key={href}>
                    <a href={href} rel="noreferrer">
                      {href}
                    </a>
                  </li>
                ))}
              </ul>
              <details>
                <summary>Plain text</summary>
                <pre className="mailbox__text">{selected.text}</pre>
              </details>
            </article>
          ) : selectedId ? (
            <p className="empty">That email does not exist.</p>
          ) : (
            <p className="empty">Select an email.</p>
          )}
        </section>
      </div>
    </main>
  );
}
