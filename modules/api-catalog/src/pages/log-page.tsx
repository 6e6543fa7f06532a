import type { ModulePageProps } from "@plinth/web-kit/page";
import type { ApiCatalogCaller } from "../trpc.ts";
import { LogView } from "./log-view.tsx";

export async function ApiLogPage({ organization, caller }: ModulePageProps<ApiCatalogCaller>) {
  const { slug } = organization;
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
