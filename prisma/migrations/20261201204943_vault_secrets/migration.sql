-- CreateTable
CREATE TABLE "vault_secrets" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key_version" INTEGER NOT NULL,
    "nonce" BYTEA NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "auth_tag" BYTEA NOT NULL,
    "hint" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotated_at" TIMESTAMP(3),

    CONSTRAINT "vault_secrets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "vault_secrets_organization_id_name_key" ON "vault_secrets"("organization_id", "name");

-- AddForeignKey
ALTER TABLE "vault_secrets" ADD CONSTRAINT "vault_secrets_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The shape AES-256-GCM needs (docs/vault.md): a 96-bit nonce, a 128-bit tag, a v<N> key.
ALTER TABLE "vault_secrets" ADD CONSTRAINT "vault_secrets_shape_check" CHECK (
  octet_length("nonce") = 12 AND octet_length("auth_tag") = 16 AND "key_version" > 0
);

-- Tenant-owned: the current tenant only (docs/tenancy.md).
ALTER TABLE "vault_secrets" ENABLE ROW LEVEL SECURITY;
CREATE POLICY vault_secrets_tenant ON "vault_secrets"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
