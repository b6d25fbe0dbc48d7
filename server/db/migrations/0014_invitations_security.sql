-- Invitations belong to a business (forced RLS). Accepting one starts from the link's token,
-- before the business is known: the narrow definer function below returns only which business
-- and invitation a token hash names (ADR 0010's pattern).
SELECT kluis_protect_tenant_table('invitations');
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format(
    'ALTER POLICY tenant_isolation ON invitations USING (tenant_id = kluis_current_tenant() OR current_user = %L)',
    current_user);
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kluis_invitation_by_token(p_hash bytea)
  RETURNS TABLE (tenant_id uuid, id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$ SELECT i.tenant_id, i.id FROM invitations i WHERE i.token_hash = p_hash $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kluis_invitation_by_token(bytea) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kluis_invitation_by_token(bytea) TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON invitations TO kluis_app;
--> statement-breakpoint
GRANT UPDATE (accepted_at) ON invitations TO kluis_app;
