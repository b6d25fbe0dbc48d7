-- A master-key rotation reseals the deployment secrets under the new key (ADR 0011): the app role
-- may replace the sealed bytes and the key id, nothing else.
GRANT UPDATE (sealed, master_key_id) ON deployment_secrets TO kluis_app;
