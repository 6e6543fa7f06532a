-- Binding a request to an organization reads its membership, organization and subscription
-- (app_membership_context). The web app and the gateway cache that read per organization and
-- actor (packages/platform/src/organization-context-cache.ts); these triggers tell every
-- process when one of the three rows changes, on the organization_context channel with the
-- organization's id as payload. Updates that change nothing but updated_at do not notify.
CREATE FUNCTION organization_context_notify() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    changed record := COALESCE(NEW, OLD);
  BEGIN
    IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) - 'updated_at') IS NOT DISTINCT FROM (to_jsonb(NEW) - 'updated_at') THEN
      RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'organizations' THEN
      PERFORM pg_notify('organization_context', changed.id);
      IF TG_OP = 'UPDATE' AND OLD.id IS DISTINCT FROM NEW.id THEN
        PERFORM pg_notify('organization_context', OLD.id);
      END IF;
    ELSE
      PERFORM pg_notify('organization_context', changed.organization_id);
      IF TG_OP = 'UPDATE' AND OLD.organization_id IS DISTINCT FROM NEW.organization_id THEN
        PERFORM pg_notify('organization_context', OLD.organization_id);
      END IF;
    END IF;
    RETURN NULL;
  END
  $$;

CREATE TRIGGER organizations_context_notify AFTER UPDATE OR DELETE ON "organizations"
  FOR EACH ROW EXECUTE FUNCTION organization_context_notify();
CREATE TRIGGER memberships_context_notify AFTER UPDATE OR DELETE ON "memberships"
  FOR EACH ROW EXECUTE FUNCTION organization_context_notify();
CREATE TRIGGER subscriptions_context_notify AFTER INSERT OR UPDATE OR DELETE ON "subscriptions"
  FOR EACH ROW EXECUTE FUNCTION organization_context_notify();
