-- Privacy requests: every erasure is logged (when, by whom, how many rows), and the
-- ledger, append-only otherwise, lets an erasure replace the account a line belongs to
-- (and drop its note) while its points, reason and time stay for the brand's accounts.

CREATE TABLE erasures (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    email_sha256 TEXT NOT NULL,                   -- whose data, without keeping the address
    requested_by TEXT NOT NULL,                   -- who at the brand carried it out
    rows TEXT NOT NULL,                           -- JSON: rows changed or removed per table
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX erasures_site ON erasures (site_id, created_at);

DROP TRIGGER ledger_no_update;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
WHEN NOT (
    NEW.account LIKE 'erased:%' AND NEW.note IS NULL
    AND NEW.id = OLD.id AND NEW.site_id = OLD.site_id AND NEW.points = OLD.points
    AND NEW.reason = OLD.reason AND NEW.source = OLD.source
    AND NEW.idempotency_key = OLD.idempotency_key AND NEW.created_at = OLD.created_at
)
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
