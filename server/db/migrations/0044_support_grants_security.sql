-- Support access grants of a business (forced RLS). A grant is revoked by setting revoked_at and
-- used by setting first_used_at; it is never deleted, so the business keeps the history.
SELECT kluis_protect_tenant_table('support_grants');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON support_grants TO kluis_app;
