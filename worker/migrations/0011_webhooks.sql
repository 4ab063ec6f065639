-- Webhooks: each site's subscriptions, and a durable outbox of deliveries. Events are
-- queued by triggers in the same transaction as what they report, so none is lost and
-- none is sent for a write that failed; the worker's cron drains the outbox with retries
-- and backoff, signing each delivery as the Standard Webhooks specification describes.

CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,                         -- whsec_<base64>, shown to the brand once
    events TEXT NOT NULL,                         -- JSON array of event types
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX webhook_subscriptions_site ON webhook_subscriptions (site_id, active);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,                          -- the webhook-id header: the same on every retry
    site_id TEXT NOT NULL REFERENCES sites (id),
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,                        -- the JSON body, fixed when queued
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,                      -- Unix ms; NULL once delivered or given up
    delivered_at INTEGER,
    last_status INTEGER,                          -- HTTP status of the last attempt, if any
    last_error TEXT,
    created_at INTEGER NOT NULL
) STRICT;

-- The cron's work: due deliveries, oldest first.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE next_attempt_at IS NOT NULL;
-- The console's delivery log.
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, created_at);

CREATE TRIGGER webhook_nps_created AFTER INSERT ON nps_answers
BEGIN
    INSERT INTO webhook_deliveries (id, site_id, subscription_id, event_type, payload, next_attempt_at, created_at)
    SELECT lower(hex(randomblob(16))), s.site_id, s.id, 'nps.created',
        json_object('type', 'nps.created', 'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'),
            'data', json_object('id', NEW.id, 'score', NEW.score, 'category', NEW.category, 'comment', NEW.comment, 'page_url', NEW.page_url, 'customer_id', NEW.customer_id)),
        NEW.created_at, NEW.created_at
    FROM webhook_subscriptions s
    WHERE s.site_id = NEW.site_id AND s.active = 1
        AND EXISTS (SELECT 1 FROM json_each(s.events) WHERE json_each.value = 'nps.created');
END;

CREATE TRIGGER webhook_review_published_new AFTER INSERT ON reviews
WHEN NEW.status = 'published'
BEGIN
    INSERT INTO webhook_deliveries (id, site_id, subscription_id, event_type, payload, next_attempt_at, created_at)
    SELECT lower(hex(randomblob(16))), s.site_id, s.id, 'review.published',
        json_object('type', 'review.published', 'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'),
            'data', json_object('id', NEW.id, 'product', NEW.product_id, 'rating', NEW.rating, 'title', NEW.title, 'text', NEW.body, 'author_name', NEW.author_name, 'verified', NEW.order_id IS NOT NULL, 'customer_id', NEW.customer_id)),
        NEW.created_at, NEW.created_at
    FROM webhook_subscriptions s
    WHERE s.site_id = NEW.site_id AND s.active = 1
        AND EXISTS (SELECT 1 FROM json_each(s.events) WHERE json_each.value = 'review.published');
END;

CREATE TRIGGER webhook_review_published AFTER UPDATE OF status ON reviews
WHEN NEW.status = 'published' AND OLD.status != 'published'
BEGIN
    INSERT INTO webhook_deliveries (id, site_id, subscription_id, event_type, payload, next_attempt_at, created_at)
    SELECT lower(hex(randomblob(16))), s.site_id, s.id, 'review.published',
        json_object('type', 'review.published', 'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', COALESCE(NEW.moderated_at, NEW.created_at) / 1000.0, 'unixepoch'),
            'data', json_object('id', NEW.id, 'product', NEW.product_id, 'rating', NEW.rating, 'title', NEW.title, 'text', NEW.body, 'author_name', NEW.author_name, 'verified', NEW.order_id IS NOT NULL, 'customer_id', NEW.customer_id)),
        COALESCE(NEW.moderated_at, NEW.created_at), COALESCE(NEW.moderated_at, NEW.created_at)
    FROM webhook_subscriptions s
    WHERE s.site_id = NEW.site_id AND s.active = 1
        AND EXISTS (SELECT 1 FROM json_each(s.events) WHERE json_each.value = 'review.published');
END;

CREATE TRIGGER webhook_question_answered_new AFTER INSERT ON answers
WHEN NEW.status = 'published'
BEGIN
    INSERT INTO webhook_deliveries (id, site_id, subscription_id, event_type, payload, next_attempt_at, created_at)
    SELECT lower(hex(randomblob(16))), s.site_id, s.id, 'question.answered',
        json_object('type', 'question.answered', 'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'),
            'data', json_object('question_id', NEW.question_id, 'question', (SELECT body FROM questions WHERE id = NEW.question_id), 'product', (SELECT product_id FROM questions WHERE id = NEW.question_id), 'answer_id', NEW.id, 'answer', NEW.body, 'author_name', NEW.author_name, 'badge', NEW.badge, 'customer_id', NEW.customer_id)),
        NEW.created_at, NEW.created_at
    FROM webhook_subscriptions s
    WHERE s.site_id = NEW.site_id AND s.active = 1
        AND EXISTS (SELECT 1 FROM json_each(s.events) WHERE json_each.value = 'question.answered');
END;

CREATE TRIGGER webhook_question_answered AFTER UPDATE OF status ON answers
WHEN NEW.status = 'published' AND OLD.status != 'published'
BEGIN
    INSERT INTO webhook_deliveries (id, site_id, subscription_id, event_type, payload, next_attempt_at, created_at)
    SELECT lower(hex(randomblob(16))), s.site_id, s.id, 'question.answered',
        json_object('type', 'question.answered', 'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', COALESCE(NEW.moderated_at, NEW.created_at) / 1000.0, 'unixepoch'),
            'data', json_object('question_id', NEW.question_id, 'question', (SELECT body FROM questions WHERE id = NEW.question_id), 'product', (SELECT product_id FROM questions WHERE id = NEW.question_id), 'answer_id', NEW.id, 'answer', NEW.body, 'author_name', NEW.author_name, 'badge', NEW.badge, 'customer_id', NEW.customer_id)),
        COALESCE(NEW.moderated_at, NEW.created_at), COALESCE(NEW.moderated_at, NEW.created_at)
    FROM webhook_subscriptions s
    WHERE s.site_id = NEW.site_id AND s.active = 1
        AND EXISTS (SELECT 1 FROM json_each(s.events) WHERE json_each.value = 'question.answered');
END;

CREATE TRIGGER webhook_share_visited AFTER INSERT ON share_visits
BEGIN
    INSERT INTO webhook_deliveries (id, site_id, subscription_id, event_type, payload, next_attempt_at, created_at)
    SELECT lower(hex(randomblob(16))), s.site_id, s.id, 'share.visited',
        json_object('type', 'share.visited', 'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'),
            'data', json_object('code', NEW.code, 'url', (SELECT url FROM share_links WHERE code = NEW.code), 'counted', NEW.counted = 1)),
        NEW.created_at, NEW.created_at
    FROM webhook_subscriptions s
    WHERE s.site_id = (SELECT site_id FROM share_links WHERE code = NEW.code) AND s.active = 1
        AND EXISTS (SELECT 1 FROM json_each(s.events) WHERE json_each.value = 'share.visited');
END;

CREATE TRIGGER webhook_referral_converted AFTER INSERT ON conversions
WHEN NEW.outcome = 'credited'
BEGIN
    INSERT INTO webhook_deliveries (id, site_id, subscription_id, event_type, payload, next_attempt_at, created_at)
    SELECT lower(hex(randomblob(16))), s.site_id, s.id, 'referral.converted',
        json_object('type', 'referral.converted', 'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'),
            'data', json_object('order_id', NEW.order_id, 'code', NEW.code, 'amount_cents', NEW.amount_cents, 'currency', NEW.currency, 'advocate_points', NEW.advocate_points, 'friend_points', NEW.friend_points)),
        NEW.created_at, NEW.created_at
    FROM webhook_subscriptions s
    WHERE s.site_id = NEW.site_id AND s.active = 1
        AND EXISTS (SELECT 1 FROM json_each(s.events) WHERE json_each.value = 'referral.converted');
END;
