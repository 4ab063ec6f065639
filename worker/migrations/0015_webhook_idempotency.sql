-- A subscription request sent again after its answer was lost (same idempotency key)
-- answers the subscription the first one made, with its secret, rather than making a
-- second one whose secret nobody has seen. Older subscriptions have no key (NULLs never
-- clash in a unique index).
ALTER TABLE webhook_subscriptions ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX webhook_subscriptions_idempotency ON webhook_subscriptions (site_id, idempotency_key);
