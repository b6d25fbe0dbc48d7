-- Tenant isolation and grants of the product catalogue and quotes. Hand-written: drizzle-kit does
-- not express RLS or grants. See docs/adr/0021-products-and-quotes.md.
SELECT kluis_protect_tenant_table('products');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('quote_number_series');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('quotes');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('quote_lines');
--> statement-breakpoint
-- No DELETE: a product is archived, never removed, so the catalogue keeps its history.
GRANT SELECT, INSERT, UPDATE ON products TO kluis_app;
--> statement-breakpoint
-- No DELETE: a removed series row would restart its numbers and hand out duplicates.
GRANT SELECT, INSERT, UPDATE ON quote_number_series TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON quotes TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON quote_lines TO kluis_app;
