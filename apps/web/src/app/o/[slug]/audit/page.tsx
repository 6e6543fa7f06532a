import type { Metadata } from "next";
import Link from "next/link";
import { cuid, urlParameter } from "@plinth/core/inputs";
import { Banner, UpgradePrompt } from "@plinth/ui";
import { requireOrganization } from "~/server/organization.ts";
import { appErrorFromCaller } from "~/server/errors.ts";
import { describeRefusal, upgradeRefusalOf } from "~/trpc/errors.ts";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const query = await searchParams;
  const cursor = urlParameter(cuid, query.cursor) ?? null; // malformed: the first page
  const { organization, caller } = await requireOrganization(slug);

  if (organization.role !== "OWNER" && organization.role !== "ADMIN") {
    return (
      <Banner tone="warning" title="Admins only">
        Ask an owner or admin of {organization.name} for access to the audit log.
      </Banner>
    );
  }

  let page;
  try {
    page = await caller.audit.list({ organizationId: organization.id, limit: 25, cursor });
  } catch (error) {
    const appError = appErrorFromCaller(error);
    const refusal = upgradeRefusalOf({ message: "", data: { appError } });
    if (refusal) {
      return (
        <UpgradePrompt
          reason={describeRefusal(refusal, organization.plan.name)}
          planName={refusal.upgrade?.planName ?? null}
          upgradeHref={`/o/${slug}/billing`}
        />
      );
    }
    throw error;
  }

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Audit log</h1>
      </div>
      {page.items.length === 0 ? (
        <p className="empty">Nothing recorded yet.</p>
      ) : (
        <table className="table" aria-label="Audit log">
          <thead>
            <tr>
              <th>When</th>
              <th>Action</th>
              <th>Actor</th>
              <th>Target</th>
              <th>Changes</th>
              <th>IP</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => (
              <tr key={item.id}>
                <td className="nowrap">
                  {item.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
                </td>
                <td>
                  <code>{item.action}</code>
                </td>
                <td>
                  {item.actorType === "USER" ? (
                    <code title={item.actorId ?? ""}>{item.actorId?.slice(0, 10)}…</code>
                  ) : (
                    item.actorType.toLowerCase()
                  )}
                </td>
                <td>
                  {item.targetType}
                  {item.targetId ? (
                    <code className="muted"> {item.targetId.slice(0, 10)}…</code>
                  ) : null}
                </td>
                <td className="changes">
                  {item.changes
                    ? Object.entries(item.changes).map(([field, change]) => (
                        <div key={field}>
                          <strong>{field}</strong>: {formatValue(change.from)} →{" "}
                          {formatValue(change.to)}
                        </div>
                      ))
                    : null}
                </td>
                <td className="nowrap">{item.ipAddress ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        {cursor ? <Link href={`/o/${slug}/audit`}>« Newest</Link> : <span />}
        {page.nextCursor ? (
          <Link href={`/o/${slug}/audit?cursor=${encodeURIComponent(page.nextCursor)}`}>
            Older »
          </Link>
        ) : null}
      </div>
    </div>
  );
}

function formatValue(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
