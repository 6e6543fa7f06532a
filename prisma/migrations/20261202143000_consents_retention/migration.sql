-- CreateEnum
CREATE TYPE "ConsentKind" AS ENUM ('TERMS', 'RECORDING', 'MARKETING');

-- CreateTable
CREATE TABLE "consent_records" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "kind" "ConsentKind" NOT NULL,
    "version" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "ip_address" TEXT,
    "recorded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "practice_settings" (
    "organization_id" TEXT NOT NULL,
    "recording_retention_days" INTEGER,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "practice_settings_pkey" PRIMARY KEY ("organization_id")
);

-- CreateIndex
CREATE INDEX "consent_records_user_id_kind_recorded_at_idx" ON "consent_records"("user_id", "kind", "recorded_at" DESC);

-- CreateIndex
CREATE INDEX "practice_recordings_organization_id_created_at_idx" ON "practice_recordings"("organization_id", "created_at");

-- AddForeignKey
ALTER TABLE "consent_records" ADD CONSTRAINT "consent_records_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practice_settings" ADD CONSTRAINT "practice_settings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Consent records belong to a user, not a tenant: like users and sessions they are read and
-- written through the privileged client only (scope.asSystem), so plinth_app sees none.
ALTER TABLE "consent_records" ENABLE ROW LEVEL SECURITY;

-- Append-only: a change of mind is a new row, never an edit (erasure deletes the user's rows).
CREATE FUNCTION consent_records_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent_records is append-only';
END
$$;
CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON "consent_records"
  FOR EACH ROW EXECUTE FUNCTION consent_records_append_only();

-- A company's practice settings: tenant data.
ALTER TABLE "practice_settings" ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_settings_tenant ON "practice_settings"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
