-- Authenticating a client at the provider also needs its redirect URIs (interactive clients); the
-- function's result changes, so it is dropped and created again with the same grants.
DROP FUNCTION kluis_api_client(uuid);
--> statement-breakpoint
CREATE FUNCTION kluis_api_client(p_id uuid)
  RETURNS TABLE (tenant_id uuid, secret_hash bytea, scopes text, revoked_at timestamptz, redirect_uris text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$ SELECT c.tenant_id, c.secret_hash, c.scopes, c.revoked_at, c.redirect_uris FROM api_clients c WHERE c.id = p_id $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kluis_api_client(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kluis_api_client(uuid) TO kluis_app;
