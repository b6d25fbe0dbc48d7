-- A customer's restriction or objection (forced RLS): set on a data-subject request and lifted by
-- setting lifted_at; never deleted, so the history of what was restricted when stays.
SELECT kluis_protect_tenant_table('customer_restrictions');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON customer_restrictions TO kluis_app;
