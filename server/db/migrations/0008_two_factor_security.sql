-- Second factors and the business's security settings (Identity point 6).
SELECT kluis_protect_tenant_table('tenant_security');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON tenant_security TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON user_totp TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON user_recovery_codes TO kluis_app;
