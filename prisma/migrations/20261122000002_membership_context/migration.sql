-- One statement for what every organization-scoped request needs first: the caller's
-- membership, the organization, and its subscription state (for entitlements).
--
-- It runs before the tenant is known to RLS (the membership is what proves it), so it is a
-- SECURITY DEFINER function that answers only for the given (organization, user) pair: no
-- row when the user is not a member. The app role can call it; it cannot read other rows
-- through it. Replaces a transaction (BEGIN, set_config, three queries, COMMIT) per request.
CREATE FUNCTION app_membership_context(p_organization_id text, p_user_id text)
  RETURNS TABLE (
    role text,
    organization_id text,
    organization_name text,
    organization_slug text,
    organization_trial_ends_at timestamp(3),
    organization_created_at timestamp(3),
    plan_key text,
    status text,
    trial_ends_at timestamp(3),
    past_due_since timestamp(3),
    current_period_start timestamp(3),
    current_period_end timestamp(3),
    cancel_at_period_end boolean
  )
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT m.role::text, o.id, o.name, o.slug, o.trial_ends_at, o.created_at,
           s.plan_key, s.status::text, s.trial_ends_at, s.past_due_since,
           s.current_period_start, s.current_period_end, s.cancel_at_period_end
    FROM memberships m
    JOIN organizations o ON o.id = m.organization_id
    LEFT JOIN subscriptions s ON s.organization_id = o.id
    WHERE m.organization_id = p_organization_id AND m.user_id = p_user_id
  $$;
REVOKE ALL ON FUNCTION app_membership_context(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_membership_context(text, text) TO plinth_app;
