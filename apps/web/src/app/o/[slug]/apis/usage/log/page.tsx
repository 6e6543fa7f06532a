import type { Metadata } from "next";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { LogView } from "./log-view.tsx";

export const metadata: Metadata = { title: "API call log" };

export default async function ApiLogPage({ params }: { params: Promise<{ slug: string }> }) {
  requireModule("api-catalog");
  const { slug } = await params;
  const { organization, caller } = await requireOrganization(slug);
  const organizationId = organization.id;
  const [summary, endpoints] = await Promise.all([
    caller.apis.usageSummary({ organizationId }),
    caller.apis.usageByEndpoint({ organizationId, days: 90 }),
  ]);
  return (
    <LogView
      organizationId={organizationId}
      slug={slug}
      keys={summary.keys.map((key) => ({ id: key.apiKeyId, label: `${key.name} ${key.prefix}` }))}
      routes={[...new Set(endpoints.map((row) => row.route))].sort()}
    />
  );
}
