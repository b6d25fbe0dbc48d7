-- Password resets, shared login counters and the business of each grant are platform tables
-- (a person, not a business): the app role reads and writes them, nothing else changes.
GRANT SELECT, INSERT ON password_resets TO kluis_app;
--> statement-breakpoint
GRANT UPDATE (used_at) ON password_resets TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON login_failures TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON oidc_grant_businesses TO kluis_app;
