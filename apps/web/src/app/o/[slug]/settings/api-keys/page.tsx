import type { Metadata } from "next";
import { Banner } from "@plinth/ui/banner";
import { PageHeader } from "@plinth/ui/page-header";
import { requireOrganization } from "~/server/organization.ts";
import { ApiKeysView } from "./api-keys-view.tsx";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { organization, caller } = await requireOrganization(slug);
  if (organization.role !== "OWNER" && organization.role !== "ADMIN") {
    return (
      <div className="grid gap-6">
        <PageHeader title="API keys" description="Keys for the public API and internal apps." />
        <Banner tone="warning" title="Admins only">
          Ask an owner or admin of {organization.name} to manage API keys.
        </Banner>
      </div>
    );
  }
  const [keys, scopes] = await Promise.all([
    caller.apiKey.list({ organizationId: organization.id }),
    caller.apiKey.scopes({ organizationId: organization.id }),
  ]);
  return <ApiKeysView organizationId={organization.id} initialKeys={keys} scopes={scopes} />;
}
