-- Usage readers (charts) read the rollups plus only the tail of usage_events the rollup job
-- has not folded in yet: the events with ingest_xid >= the job's watermark. The watermark row
-- is system-only (RLS on, no policy), so tenant transactions read it through this function.
-- STABLE: it runs in the calling statement's snapshot, so the rollups, the watermark and the
-- tail are read consistently (an event is counted once, whether a rollup run commits before
-- or after). SECURITY DEFINER: the owner (the migrating role) reads the row past RLS; it
-- answers one number, the same for every tenant.
CREATE FUNCTION usage_rollup_watermark() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT COALESCE((SELECT xid_watermark FROM usage_rollup_state WHERE name = 'usage_events'), 0)::bigint
  $$;
REVOKE ALL ON FUNCTION usage_rollup_watermark() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_rollup_watermark() TO plinth_app;
