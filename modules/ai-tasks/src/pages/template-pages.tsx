// The template form's two pages: a new template (routes /o/[slug]/ai/templates/new, defaults
// from the organization's preferences) and an existing one (/o/[slug]/ai/templates/[templateId]:
// 404 for a malformed id or one the organization does not have).
import { notFound } from "next/navigation";
import { cuid, urlParameter } from "@plinth/core/inputs";
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { AiTasksCaller } from "../trpc.ts";
import { TemplateForm } from "./template-form.tsx";

export async function NewTemplatePage({ organization, caller }: ModulePageProps<AiTasksCaller>) {
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

export async function EditTemplatePage({
  organization,
  caller,
  params,
}: ModulePageProps<AiTasksCaller, "templateId">) {
  const templateId = urlParameter(cuid, params.templateId);
  if (!templateId) notFound();
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
