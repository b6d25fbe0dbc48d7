-- Exports belong to a business (forced RLS). The app creates them and updates their progress and
-- state; rows are never deleted (the expired row stays as the record that the archive is gone).
SELECT kluis_protect_tenant_table('data_exports');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON data_exports TO kluis_app;
