-- Product reviews, their star aggregate (kept by triggers, so reading it never scans the
-- reviews) and the visitors' "helpful" votes.

CREATE TABLE reviews (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    product_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    customer_id TEXT,                             -- from a verified customer token
    order_id TEXT,                                -- the token's order holding the product
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title TEXT NOT NULL,
    body TEXT NOT NULL,                           -- as given; rendered as text only
    author_name TEXT NOT NULL,
    email TEXT,                                   -- only with the visitor's consent
    status TEXT NOT NULL CHECK (status IN ('pending', 'published', 'rejected')),
    rejection_reason TEXT,
    reply TEXT,                                   -- the brand's public answer
    reply_at INTEGER,
    helpful_count INTEGER NOT NULL DEFAULT 0,
    body_hash TEXT,                               -- duplicate-text detection
    page_url TEXT,
    locale TEXT,
    created_at INTEGER NOT NULL,                  -- Unix ms
    moderated_at INTEGER,
    UNIQUE (site_id, idempotency_key)
) STRICT;

-- One review per known customer and product.
CREATE UNIQUE INDEX reviews_customer_product ON reviews (site_id, product_id, customer_id)
    WHERE customer_id IS NOT NULL;
-- The published list in each of its orders, read page by page with keyset cursors.
CREATE INDEX reviews_newest ON reviews (site_id, product_id, status, created_at, id);
CREATE INDEX reviews_helpful ON reviews (site_id, product_id, status, helpful_count, created_at, id);
CREATE INDEX reviews_rating ON reviews (site_id, product_id, status, rating, created_at, id);
-- The moderation queue.
CREATE INDEX reviews_queue ON reviews (site_id, status, created_at, id);
CREATE INDEX reviews_body_hash ON reviews (site_id, body_hash, created_at)
    WHERE body_hash IS NOT NULL;

CREATE TABLE review_aggregates (
    site_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    review_count INTEGER NOT NULL DEFAULT 0,
    rating_sum INTEGER NOT NULL DEFAULT 0,
    stars_1 INTEGER NOT NULL DEFAULT 0,
    stars_2 INTEGER NOT NULL DEFAULT 0,
    stars_3 INTEGER NOT NULL DEFAULT 0,
    stars_4 INTEGER NOT NULL DEFAULT 0,
    stars_5 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, product_id)
) STRICT;

CREATE TABLE review_votes (
    review_id TEXT NOT NULL REFERENCES reviews (id),
    visitor_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (review_id, visitor_id)
) STRICT;

-- A review counts in its product's aggregate exactly while it is published.
CREATE TRIGGER reviews_count_new_published AFTER INSERT ON reviews
WHEN NEW.status = 'published'
BEGIN
    INSERT OR IGNORE INTO review_aggregates (site_id, product_id) VALUES (NEW.site_id, NEW.product_id);
    UPDATE review_aggregates SET
        review_count = review_count + 1,
        rating_sum = rating_sum + NEW.rating,
        stars_1 = stars_1 + (NEW.rating = 1),
        stars_2 = stars_2 + (NEW.rating = 2),
        stars_3 = stars_3 + (NEW.rating = 3),
        stars_4 = stars_4 + (NEW.rating = 4),
        stars_5 = stars_5 + (NEW.rating = 5)
    WHERE site_id = NEW.site_id AND product_id = NEW.product_id;
END;

CREATE TRIGGER reviews_count_published AFTER UPDATE OF status ON reviews
WHEN NEW.status = 'published' AND OLD.status != 'published'
BEGIN
    INSERT OR IGNORE INTO review_aggregates (site_id, product_id) VALUES (NEW.site_id, NEW.product_id);
    UPDATE review_aggregates SET
        review_count = review_count + 1,
        rating_sum = rating_sum + NEW.rating,
        stars_1 = stars_1 + (NEW.rating = 1),
        stars_2 = stars_2 + (NEW.rating = 2),
        stars_3 = stars_3 + (NEW.rating = 3),
        stars_4 = stars_4 + (NEW.rating = 4),
        stars_5 = stars_5 + (NEW.rating = 5)
    WHERE site_id = NEW.site_id AND product_id = NEW.product_id;
END;

CREATE TRIGGER reviews_uncount_unpublished AFTER UPDATE OF status ON reviews
WHEN OLD.status = 'published' AND NEW.status != 'published'
BEGIN
    UPDATE review_aggregates SET
        review_count = review_count - 1,
        rating_sum = rating_sum - OLD.rating,
        stars_1 = stars_1 - (OLD.rating = 1),
        stars_2 = stars_2 - (OLD.rating = 2),
        stars_3 = stars_3 - (OLD.rating = 3),
        stars_4 = stars_4 - (OLD.rating = 4),
        stars_5 = stars_5 - (OLD.rating = 5)
    WHERE site_id = OLD.site_id AND product_id = OLD.product_id;
END;

CREATE TRIGGER reviews_uncount_deleted AFTER DELETE ON reviews
WHEN OLD.status = 'published'
BEGIN
    UPDATE review_aggregates SET
        review_count = review_count - 1,
        rating_sum = rating_sum - OLD.rating,
        stars_1 = stars_1 - (OLD.rating = 1),
        stars_2 = stars_2 - (OLD.rating = 2),
        stars_3 = stars_3 - (OLD.rating = 3),
        stars_4 = stars_4 - (OLD.rating = 4),
        stars_5 = stars_5 - (OLD.rating = 5)
    WHERE site_id = OLD.site_id AND product_id = OLD.product_id;
END;

CREATE TRIGGER review_votes_count AFTER INSERT ON review_votes
BEGIN
    UPDATE reviews SET helpful_count = helpful_count + 1 WHERE id = NEW.review_id;
END;
