import type { Metadata } from "next";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { TemplateForm } from "../template-form.tsx";

export const metadata: Metadata = { title: "New AI template" };

export default async function NewTemplatePage({ params }: { params: Promise<{ slug: string }> }) {
  requireModule("ai-tasks");
  const { slug } = await params;
  const { organization, caller } = await requireOrganization(slug);
  const preferences = await caller.aiSettings.preferences({ organizationId: organization.id });
  return (
    <TemplateForm
      organizationId={organization.id}
      slug={organization.slug}
      template={null}
      defaults={{
        provider: preferences.defaultProvider ?? "offline",
        model:
          preferences.defaultModel ??
          (preferences.defaultProvider === "openai" ? "gpt-4o-mini" : "offline-demo"),
      }}
    />
  );
}
