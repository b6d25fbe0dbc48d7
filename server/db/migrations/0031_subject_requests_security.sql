-- Data-subject requests of a business (forced RLS). A request's status and deadline change as the
-- business records outcomes; the outcomes are records: inserted, never changed or deleted.
SELECT kluis_protect_tenant_table('subject_requests');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('subject_request_outcomes');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON subject_requests TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON subject_request_outcomes TO kluis_app;
