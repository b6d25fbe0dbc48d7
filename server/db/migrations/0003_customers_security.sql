-- Tenant isolation and grants for the customers table (invariant 1).
SELECT kluis_protect_tenant_table('customers');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON customers TO kluis_app;
