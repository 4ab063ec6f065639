-- A secret rotation or a test event sent again after its answer was lost (same
-- idempotency key) answers what the first one did, rather than rotating twice (which would
-- push out, at once, the secret the receiver still checks with) or queueing two tests.
-- A subscription keeps the key of its latest rotation; a test delivery its own (NULLs
-- never clash in a unique index).
ALTER TABLE webhook_subscriptions ADD COLUMN rotation_key TEXT;
ALTER TABLE webhook_deliveries ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX webhook_deliveries_idempotency ON webhook_deliveries (site_id, subscription_id, idempotency_key);
