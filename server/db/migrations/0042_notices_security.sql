-- A business's in-app notices (forced RLS): created with the event that causes them; only the
-- read mark changes.
SELECT kluis_protect_tenant_table('business_notices');
--> statement-breakpoint
GRANT SELECT, INSERT ON business_notices TO kluis_app;
--> statement-breakpoint
GRANT UPDATE (read_at, read_by) ON business_notices TO kluis_app;
--> statement-breakpoint
-- Operator alerts are platform rows without personal data: inserted once per alert key, never changed.
GRANT SELECT, INSERT ON operator_alerts TO kluis_app;
