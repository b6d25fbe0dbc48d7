-- Passkeys are a person's, not a business's: a platform table the app role reads and writes.
GRANT SELECT, INSERT, UPDATE, DELETE ON user_passkeys TO kluis_app;
