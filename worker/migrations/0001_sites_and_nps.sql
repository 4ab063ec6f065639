-- Sites (one per brand website) and NPS answers.

CREATE TABLE sites (
    id TEXT PRIMARY KEY,                          -- the data-site key
    name TEXT NOT NULL,
    allowed_origins TEXT NOT NULL DEFAULT '[]',   -- JSON array of page origins
    admin_token_sha256 TEXT NOT NULL,             -- never the token itself
    customer_token_secret TEXT NOT NULL,          -- HMAC key for customer-token
    config TEXT NOT NULL DEFAULT '{}',            -- JSON SiteConfig: theme, copy, links
    created_at INTEGER NOT NULL                   -- Unix ms
) STRICT;

CREATE TABLE nps_answers (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    idempotency_key TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    customer_id TEXT,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    category TEXT NOT NULL CHECK (category IN ('promoter', 'passive', 'detractor')),
    comment TEXT,
    page_url TEXT,
    locale TEXT,
    created_at INTEGER NOT NULL,                  -- Unix ms
    UNIQUE (site_id, idempotency_key)
) STRICT;

-- Covers the summary query: counts come from the index alone.
CREATE INDEX nps_answers_site_time ON nps_answers (site_id, created_at, score);
