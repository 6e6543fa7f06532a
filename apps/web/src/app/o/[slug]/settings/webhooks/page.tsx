import type { Metadata } from "next";
import { Banner } from "@plinth/ui/banner";
import { PageHeader } from "@plinth/ui/page-header";
import { requireOrganization } from "~/server/organization.ts";
import { WebhooksView } from "./webhooks-view.tsx";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { organization, caller } = await requireOrganization(slug);
  if (organization.role !== "OWNER" && organization.role !== "ADMIN") {
    return (
      <div className="grid gap-6">
        <PageHeader title="Webhooks" description="Signed HTTP callbacks when things happen." />
        <Banner tone="warning" title="Admins only">
          Ask an owner or admin of {organization.name} to manage webhooks.
        </Banner>
      </div>
    );
  }
  const organizationId = organization.id;
  const [endpoints, eventTypes, deliveries] = await Promise.all([
    caller.webhook.list({ organizationId }),
    caller.webhook.eventTypes({ organizationId }),
    caller.webhook.deliveries({ organizationId, limit: 20 }),
  ]);
  return (
    <WebhooksView
      organizationId={organizationId}
      initialEndpoints={endpoints}
      eventTypes={eventTypes}
      initialDeliveries={deliveries}
    />
  );
}
