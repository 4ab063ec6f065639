-- `question.published`: a visitor's question is on the product page (published at once, or
-- by the brand's moderation) and waits for an answer, so that a brand can route it to
-- whoever answers (a support desk, a chat channel) rather than find it in the console.
CREATE TRIGGER webhook_question_published_new AFTER INSERT ON questions
WHEN NEW.status = 'published'
BEGIN
    INSERT INTO webhook_deliveries (id, site_id, subscription_id, event_type, payload, next_attempt_at, created_at)
    SELECT lower(hex(randomblob(16))), s.site_id, s.id, 'question.published',
        json_object('type', 'question.published', 'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.created_at / 1000.0, 'unixepoch'),
            'data', json_object('id', NEW.id, 'product', NEW.product_id, 'text', NEW.body, 'author_name', NEW.author_name, 'customer_id', NEW.customer_id, 'page_url', NEW.page_url, 'locale', NEW.locale)),
        NEW.created_at, NEW.created_at
    FROM webhook_subscriptions s
    WHERE s.site_id = NEW.site_id AND s.active = 1
        AND EXISTS (SELECT 1 FROM json_each(s.events) WHERE json_each.value = 'question.published');
END;

CREATE TRIGGER webhook_question_published AFTER UPDATE OF status ON questions
WHEN NEW.status = 'published' AND OLD.status != 'published'
BEGIN
    INSERT INTO webhook_deliveries (id, site_id, subscription_id, event_type, payload, next_attempt_at, created_at)
    SELECT lower(hex(randomblob(16))), s.site_id, s.id, 'question.published',
        json_object('type', 'question.published', 'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', COALESCE(NEW.moderated_at, NEW.created_at) / 1000.0, 'unixepoch'),
            'data', json_object('id', NEW.id, 'product', NEW.product_id, 'text', NEW.body, 'author_name', NEW.author_name, 'customer_id', NEW.customer_id, 'page_url', NEW.page_url, 'locale', NEW.locale)),
        COALESCE(NEW.moderated_at, NEW.created_at), COALESCE(NEW.moderated_at, NEW.created_at)
    FROM webhook_subscriptions s
    WHERE s.site_id = NEW.site_id AND s.active = 1
        AND EXISTS (SELECT 1 FROM json_each(s.events) WHERE json_each.value = 'question.published');
END;
