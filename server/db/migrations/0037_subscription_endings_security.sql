-- The end of a business's subscription: a platform table keyed by business_id (it outlives the
-- purge of the business's tenant rows), so no tenant RLS; the app reads, creates and advances rows.
GRANT SELECT, INSERT, UPDATE ON subscription_endings TO kluis_app;
