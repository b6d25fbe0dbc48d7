-- Security of the platform tables (invariant 1). Hand-written: drizzle-kit cannot express roles,
-- FORCE ROW LEVEL SECURITY or grants. Reviewed with the ADR docs/adr/0002-tenancy-and-rls.md.

-- The role the application runs its queries as: it owns no table and cannot bypass RLS, so a
-- forgotten WHERE clause can never reach another tenant's rows. Roles are cluster-wide on a
-- PostgreSQL server, hence the guard.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kluis_app') THEN
    CREATE ROLE kluis_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO kluis_app;
--> statement-breakpoint
-- The tenant of the current transaction, or NULL when none is set (then tenant tables show no
-- rows and accept no writes). Set only by the tenant transaction helper, with set_config(..., true).
CREATE OR REPLACE FUNCTION kluis_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
-- Every tenant-owned table calls this in the migration that creates it; the RLS meta-test fails
-- for any table with a tenant_id column that skipped it.
CREATE OR REPLACE FUNCTION kluis_protect_tenant_table(tbl regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (tenant_id = kluis_current_tenant()) '
    'WITH CHECK (tenant_id = kluis_current_tenant())', tbl);
END
$$;
--> statement-breakpoint
SELECT kluis_protect_tenant_table('tenant_keys');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('audit_heads');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('audit_events');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON tenants TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON tenant_keys TO kluis_app;
--> statement-breakpoint
GRANT UPDATE (wrapped, master_key_id) ON tenant_keys TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON audit_heads TO kluis_app;
--> statement-breakpoint
-- The audit trail is append-only for the application: no UPDATE or DELETE grant at all.
GRANT SELECT, INSERT ON audit_events TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON jobs TO kluis_app;
--> statement-breakpoint
-- Defence in depth: even the owner cannot change an audit event without first disabling this
-- trigger, which is itself a visible DDL change.
CREATE OR REPLACE FUNCTION kluis_audit_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'P0001';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION kluis_audit_append_only();
