-- The privacy center's tables of a business (forced RLS). Acceptances and decisions are records:
-- inserted, never changed or deleted by the application. The contact row is set and confirmed.
SELECT kluis_protect_tenant_table('privacy_settings');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('agreement_acceptances');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('subprocessor_decisions');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON privacy_settings TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON agreement_acceptances TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON subprocessor_decisions TO kluis_app;
--> statement-breakpoint
-- The operator's registry of subprocessors is shared by every business and holds no personal data:
-- the operator adds rows and marks them removed; rows are never deleted (the history is the record).
GRANT SELECT, INSERT ON subprocessors TO kluis_app;
--> statement-breakpoint
GRANT UPDATE (removed_at) ON subprocessors TO kluis_app;
