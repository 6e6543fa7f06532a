import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cuid, urlParameter } from "@plinth/core/inputs";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { TemplateForm } from "../template-form.tsx";

export const metadata: Metadata = { title: "AI template" };

export default async function EditTemplatePage({
  params,
}: {
  params: Promise<{ slug: string; templateId: string }>;
}) {
  requireModule("ai-tasks");
  const { slug, templateId } = await params;
  if (urlParameter(cuid, templateId) === undefined) notFound();
  const { organization, caller } = await requireOrganization(slug);
  const template = await caller.aiTemplate
    .get({ organizationId: organization.id, templateId })
    .catch(() => null);
  if (!template) notFound();
  return (
    <TemplateForm
      organizationId={organization.id}
      slug={organization.slug}
      template={template}
      defaults={{ provider: template.provider, model: template.model }}
    />
  );
}
