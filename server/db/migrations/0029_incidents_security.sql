-- A business's copy of its breach notices (forced RLS); notices are records: inserted, never changed.
SELECT kluis_protect_tenant_table('breach_notices');
--> statement-breakpoint
GRANT SELECT, INSERT ON breach_notices TO kluis_app;
--> statement-breakpoint
-- The operator's incident record holds no personal data and is shared by the platform. The facts
-- are never edited (updates are appended); only the status and closing time change.
GRANT SELECT, INSERT ON incidents TO kluis_app;
--> statement-breakpoint
GRANT UPDATE (status, closed_at) ON incidents TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON incident_updates TO kluis_app;
--> statement-breakpoint
-- The scope's counts are refreshed until a business is notified; notified_at and updates_sent move forward.
GRANT SELECT, INSERT ON incident_scope TO kluis_app;
--> statement-breakpoint
GRANT UPDATE (people, records, scoped_at, notified_at, updates_sent) ON incident_scope TO kluis_app;
