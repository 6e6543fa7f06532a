-- An organization's own OpenAI-compatible base URL (modules/ai-tasks: bring your own provider).
CREATE TABLE "ai_provider_settings" (
    "organization_id" TEXT NOT NULL,
    "base_url" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ai_provider_settings_pkey" PRIMARY KEY ("organization_id")
);

ALTER TABLE "ai_provider_settings" ADD CONSTRAINT "ai_provider_settings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant-owned: the current tenant only (docs/tenancy.md).
ALTER TABLE "ai_provider_settings" ENABLE ROW LEVEL SECURITY;
CREATE POLICY ai_provider_settings_tenant ON "ai_provider_settings"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
