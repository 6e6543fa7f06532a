-- A workspace records the app plan (or bundle) it is billed as: the organization's
-- subscription items are recomputed from these (modules/hosting/src/billing.ts).
ALTER TABLE "hosting_workspaces" ADD COLUMN "plan" TEXT;
ALTER TABLE "hosting_workspaces" ADD COLUMN "bundle" TEXT;
-- A suspended workspace remembers what it was (READY or FAILED): resume returns it there.
ALTER TABLE "hosting_workspaces" ADD COLUMN "suspended_from" "HostingWorkspaceState";
