-- Accepting an invitation (docs/teams.md): the invitee is not a member yet, so row-level
-- security hides the invitation from them. This definer function answers only "which
-- organization issued the invitation whose token hashes to this"; the caller then reads and
-- writes that invitation under RLS as that organization (app.organization_id), like any
-- other tenant transaction. The token itself never reaches the database, only its SHA-256.
CREATE FUNCTION invitation_organization_id(hash text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT i.organization_id FROM invitations i WHERE i.token_hash = hash $$;
REVOKE ALL ON FUNCTION invitation_organization_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION invitation_organization_id(text) TO plinth_app;
