-- A workspace whose organization became read-only (non-payment) is suspended by the
-- hosting.syncAccess cron job and resumed to READY when it may write again.
ALTER TYPE "HostingWorkspaceState" ADD VALUE 'SUSPENDED';
