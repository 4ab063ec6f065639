-- A rotation sent again with its idempotency key rotates nothing, even after a later
-- rotation: 0016 kept only the latest rotation's key, so an older one sent again rotated
-- once more. Every key a subscription's rotations were made with is kept here instead.
CREATE TABLE webhook_rotation_keys (
    site_id TEXT NOT NULL REFERENCES sites (id),
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    idempotency_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (site_id, subscription_id, idempotency_key)
) STRICT, WITHOUT ROWID;

INSERT INTO webhook_rotation_keys (site_id, subscription_id, idempotency_key, created_at)
    SELECT site_id, id, rotation_key, created_at FROM webhook_subscriptions
    WHERE rotation_key IS NOT NULL;

ALTER TABLE webhook_subscriptions DROP COLUMN rotation_key;
