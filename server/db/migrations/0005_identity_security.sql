-- Security of the identity tables (invariant 1). Hand-written; see docs/adr/0010-identity-cross-tenant-lookups.md.
SELECT kluis_protect_tenant_table('memberships');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('api_clients');
--> statement-breakpoint
-- The two narrow cross-tenant reads below run as the table owner. Row-level security is FORCED,
-- so unless the owner is a superuser it would see no rows either: the owner (and only it) may
-- read these two tables across tenants. The app role is never the owner, so for the application
-- nothing changes; the owner could disable RLS on its own tables anyway.
DO $$
BEGIN
  EXECUTE format(
    'ALTER POLICY tenant_isolation ON memberships USING (tenant_id = kluis_current_tenant() OR current_user = %L)',
    current_user);
  EXECUTE format(
    'ALTER POLICY tenant_isolation ON api_clients USING (tenant_id = kluis_current_tenant() OR current_user = %L)',
    current_user);
END
$$;
--> statement-breakpoint
-- Sign-in must find the businesses of a person before any business is chosen: this returns only
-- the (tenant, role) pairs of one user id, nothing else of any tenant.
CREATE OR REPLACE FUNCTION kluis_memberships_of(p_user uuid)
  RETURNS TABLE (tenant_id uuid, role text)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$ SELECT m.tenant_id, m.role FROM memberships m WHERE m.user_id = p_user ORDER BY m.created_at $$;
--> statement-breakpoint
-- Client authentication at the token endpoint knows only the client id: this returns that one
-- client's tenant, secret hash, scopes and revocation time.
CREATE OR REPLACE FUNCTION kluis_api_client(p_id uuid)
  RETURNS TABLE (tenant_id uuid, secret_hash bytea, scopes text, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$ SELECT c.tenant_id, c.secret_hash, c.scopes, c.revoked_at FROM api_clients c WHERE c.id = p_id $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kluis_memberships_of(uuid) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kluis_api_client(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kluis_memberships_of(uuid) TO kluis_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kluis_api_client(uuid) TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON api_clients TO kluis_app;
--> statement-breakpoint
GRANT UPDATE (revoked_at) ON api_clients TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON users TO kluis_app;
--> statement-breakpoint
-- Deployment secrets and signing keys: created and rotated, never deleted by the application.
GRANT SELECT, INSERT ON deployment_secrets TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON oidc_signing_keys TO kluis_app;
--> statement-breakpoint
GRANT UPDATE (retired_at, publish_until, private_sealed, master_key_id) ON oidc_signing_keys TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON oidc_payloads TO kluis_app;
