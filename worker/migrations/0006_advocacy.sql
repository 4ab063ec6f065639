-- Share-and-reward, the points ledger and the advocate ladder.

-- Each sharer's personal short link to one page of the site.
CREATE TABLE share_links (
    code TEXT PRIMARY KEY,                        -- in WORKER-ORIGIN/s/{code}
    site_id TEXT NOT NULL REFERENCES sites (id),
    sharer TEXT NOT NULL,                         -- ledger account: customer:{id} or visitor:{id}
    sharer_visitor_id TEXT NOT NULL,              -- the browser that made it, never credited for its own visits
    url TEXT NOT NULL,                            -- on one of the site's allowed origins
    clicks INTEGER NOT NULL DEFAULT 0,            -- redirects served to non-bots
    created_at INTEGER NOT NULL,
    UNIQUE (site_id, sharer, url)
) STRICT;

CREATE INDEX share_links_sharer ON share_links (site_id, sharer);

-- Visits through a link, one row per visiting visitor and UTC day; `counted` says whether
-- it earned the sharer points (it does not once the link's daily cap is reached).
CREATE TABLE share_visits (
    code TEXT NOT NULL REFERENCES share_links (code),
    visitor_id TEXT NOT NULL,
    day INTEGER NOT NULL,                         -- days since 1970-01-01, UTC
    counted INTEGER NOT NULL CHECK (counted IN (0, 1)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (code, visitor_id, day)
) STRICT;

CREATE INDEX share_visits_day ON share_visits (code, day, counted);

-- The points ledger: append-only. A balance is a sum over it.
CREATE TABLE ledger (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    account TEXT NOT NULL,                        -- customer:{id} or visitor:{id}
    points INTEGER NOT NULL,
    reason TEXT NOT NULL,                         -- visit, share, review, answer, nps, adjustment, transfer
    source TEXT NOT NULL,                         -- the event it rewards: link code, review id, …
    note TEXT,                                    -- an adjustment's reason
    idempotency_key TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (site_id, idempotency_key)
) STRICT;

CREATE INDEX ledger_account ON ledger (site_id, account, created_at);
CREATE INDEX ledger_reason_day ON ledger (site_id, account, reason, created_at);

CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;

CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;

-- Which customer a browser's visitor id turned out to be.
CREATE TABLE identities (
    site_id TEXT NOT NULL REFERENCES sites (id),
    visitor_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (site_id, visitor_id)
) STRICT;

-- Customers the brand has invited into its private co-design panel (level 6).
CREATE TABLE panel_members (
    site_id TEXT NOT NULL REFERENCES sites (id),
    customer_id TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (site_id, customer_id)
) STRICT;
