-- Row-level security: the third tenancy layer (docs/tenancy.md).
--
-- The web app's queries run as the role `plinth_app` (each pooled connection does
-- SET ROLE plinth_app). RLS applies to that role; it does not apply to the table owner, which
-- is the explicit privileged path used by the worker, migrations, seeds and the operator
-- console. Each tenant-scoped transaction sets `app.organization_id` (and `app.user_id` for
-- "my organizations" reads) with set_config(..., true), so the settings end with the
-- transaction and a query that forgot its tenant filter sees no rows.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'plinth_app') THEN
    CREATE ROLE plinth_app NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;

-- The connecting (owner) role must be able to SET ROLE plinth_app.
GRANT plinth_app TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO plinth_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO plinth_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO plinth_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO plinth_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO plinth_app;
REVOKE ALL ON "_prisma_migrations" FROM plinth_app;

-- NULLIF: after a transaction-local setting ends PostgreSQL leaves '' behind, not NULL.
CREATE FUNCTION app_organization_id() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.organization_id', true), '') $$;

CREATE FUNCTION app_user_id() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.user_id', true), '') $$;

-- Organizations: the current tenant, plus (read-only) every organization the current user
-- belongs to, for the organization switcher.
ALTER TABLE "organizations" ENABLE ROW LEVEL SECURITY;
CREATE POLICY organizations_tenant ON "organizations"
  USING (id = app_organization_id()) WITH CHECK (id = app_organization_id());
CREATE POLICY organizations_member_read ON "organizations" FOR SELECT
  USING (EXISTS (
    SELECT 1 FROM "memberships" m
    WHERE m.organization_id = "organizations".id AND m.user_id = app_user_id()
  ));

-- Memberships: the tenant's rows, plus (read-only) the current user's own memberships.
ALTER TABLE "memberships" ENABLE ROW LEVEL SECURITY;
CREATE POLICY memberships_tenant ON "memberships"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
CREATE POLICY memberships_own_read ON "memberships" FOR SELECT
  USING (user_id = app_user_id());

-- Every other tenant-owned table: the current tenant only.
DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY[
    'invitations', 'subscriptions', 'api_keys', 'usage_events', 'usage_counters',
    'meter_reports', 'audit_logs', 'organization_notifications', 'runs', 'run_logs', 'projects'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY %I ON %I USING (organization_id = app_organization_id()) '
      'WITH CHECK (organization_id = app_organization_id())',
      tenant_table || '_tenant', tenant_table);
  END LOOP;
END
$$;

-- The webhook inbox is system-only: RLS on and no policy, so plinth_app sees nothing.
ALTER TABLE "stripe_events" ENABLE ROW LEVEL SECURITY;

-- Slugs are unique across all organizations, which RLS hides from one another; this
-- definer function answers only "which slugs like this one are taken".
CREATE FUNCTION organization_slugs_taken(base text) RETURNS TABLE (slug text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT o.slug FROM organizations o WHERE o.slug = base OR o.slug LIKE base || '-%' $$;
REVOKE ALL ON FUNCTION organization_slugs_taken(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION organization_slugs_taken(text) TO plinth_app;
