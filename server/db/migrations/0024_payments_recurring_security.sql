-- Tenant isolation and grants of payments and recurring invoices (invariant 1). Hand-written:
-- drizzle-kit does not express RLS or grants. See docs/adr/0022-payments-and-recurring-invoices.md.
SELECT kluis_protect_tenant_table('invoice_payments');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('recurring_invoices');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('recurring_occurrences');
--> statement-breakpoint
-- Payments are append-only: no UPDATE or DELETE, so a recorded payment stays as it was recorded,
-- just as the invoice's paid amount only grows (the invoices_immutable trigger).
GRANT SELECT, INSERT ON invoice_payments TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON recurring_invoices TO kluis_app;
--> statement-breakpoint
-- No DELETE of its own: occurrences go only with their schedule (ON DELETE CASCADE), so a date that
-- produced an invoice can never be produced again while its schedule exists.
GRANT SELECT, INSERT, UPDATE ON recurring_occurrences TO kluis_app;
