import type { Metadata } from "next";
import Link from "next/link";
import { cuid, urlParameter } from "@plinth/core/inputs";
import { Banner } from "@plinth/ui/banner";
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
import { UpgradePromptCard } from "@plinth/ui/upgrade-prompt";
import { CursorPagination } from "~/components/cursor-pagination.tsx";
import { appErrorFromCaller } from "~/server/errors.ts";
import { requireOrganization } from "~/server/organization.ts";
import { upgradeOfferOf, upgradeRefusalOf } from "@plinth/web-kit/errors";

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
  const header = <PageHeader title="Audit log" description="Who did what, and when (UTC)." />;

  if (organization.role !== "OWNER" && organization.role !== "ADMIN") {
    return (
      <div className="grid gap-6">
        {header}
        <Banner tone="warning" title="Admins only">
          Ask an owner or admin of {organization.name} for access to the audit log.
        </Banner>
      </div>
    );
  }

  let page;
  try {
    page = await caller.audit.list({ organizationId: organization.id, limit: 25, cursor });
  } catch (error) {
    const refusal = upgradeRefusalOf({
      message: "",
      data: { appError: appErrorFromCaller(error) },
    });
    if (!refusal) throw error;
    return (
      <div className="grid gap-6">
        {header}
        <UpgradePromptCard
          {...upgradeOfferOf(refusal, organization.plan.name)}
          upgradeLink={<Link href={`/o/${slug}/billing`}>See plans and upgrade</Link>}
        />
      </div>
    );
  }

  return (
    <div className="grid gap-6">
      {header}
      <Card className="py-0">
        <Table aria-label="Audit log">
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>Action</TableHead>
              <TableHead>Actor</TableHead>
              <TableHead>Target</TableHead>
              <TableHead>Changes</TableHead>
              <TableHead>IP</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.items.length === 0 ? (
              <TableEmpty colSpan={6}>Nothing recorded yet.</TableEmpty>
            ) : (
              page.items.map((item) => (
                <TableRow key={item.id} className="align-top">
                  <TableCell className="whitespace-nowrap text-muted-foreground">
                    {formatDateTime(item.createdAt)}
                  </TableCell>
                  <TableCell>
                    <code>{item.action}</code>
                  </TableCell>
                  <TableCell>
                    {item.actorType === "USER" ? (
                      <code title={item.actorId ?? ""}>{item.actorId?.slice(0, 10)}…</code>
                    ) : (
                      item.actorType.toLowerCase()
                    )}
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {item.targetType}
                    {item.targetId ? (
                      <code className="text-muted-foreground"> {item.targetId.slice(0, 10)}…</code>
                    ) : null}
                  </TableCell>
                  <TableCell className="min-w-48 text-xs">
                    {item.changes
                      ? Object.entries(item.changes).map(([field, change]) => (
                          <div key={field}>
                            <strong>{field}</strong>: {formatChange(change.from)} →{" "}
                            {formatChange(change.to)}
                          </div>
                        ))
                      : null}
                  </TableCell>
                  <TableCell className="whitespace-nowrap">{item.ipAddress ?? "—"}</TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </Card>
      <CursorPagination
        newestHref={cursor ? `/o/${slug}/audit` : null}
        olderHref={
          page.nextCursor ? `/o/${slug}/audit?cursor=${encodeURIComponent(page.nextCursor)}` : null
        }
      />
    </div>
  );
}

function formatChange(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
