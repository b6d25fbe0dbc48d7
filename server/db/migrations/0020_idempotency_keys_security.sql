-- Tenant isolation and grants for idempotency keys (invariant 1). See docs/adr/0023-api-surface.md.
SELECT kluis_protect_tenant_table('idempotency_keys');
--> statement-breakpoint
-- DELETE: an expired key is replaced, and a request that failed releases its key.
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO kluis_app;
