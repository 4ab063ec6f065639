-- Referrals: an advocate's personal referral code, the friends they invite, the visits the
-- link brings, and the orders the brand's server reports as conversions.

CREATE TABLE referrals (
    code TEXT PRIMARY KEY,                        -- in WORKER-ORIGIN/r/{code} and typed at checkout
    site_id TEXT NOT NULL REFERENCES sites (id),
    advocate TEXT NOT NULL,                       -- ledger account: customer:{id} or visitor:{id}
    advocate_visitor_id TEXT NOT NULL,            -- the browser that made it
    advocate_name TEXT NOT NULL,                  -- shown to friends: "thanks to Camille"
    advocate_email TEXT NOT NULL,                 -- given with consent
    advocate_email_sha256 TEXT NOT NULL,          -- to refuse self-referrals
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    max_conversions INTEGER NOT NULL,
    conversions INTEGER NOT NULL DEFAULT 0,       -- credited conversions
    UNIQUE (site_id, advocate)
) STRICT;

CREATE TABLE referral_invitations (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL REFERENCES referrals (code),
    email_sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (code, email_sha256)
) STRICT;

CREATE INDEX referral_invitations_day ON referral_invitations (code, created_at);

CREATE TABLE referral_visits (
    code TEXT NOT NULL REFERENCES referrals (code),
    visitor_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (code, visitor_id, day)
) STRICT;

-- Every order reported with a referral code, credited or not, and why.
CREATE TABLE conversions (
    site_id TEXT NOT NULL REFERENCES sites (id),
    order_id TEXT NOT NULL,
    code TEXT NOT NULL,
    buyer_email_sha256 TEXT NOT NULL,
    buyer_account TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('credited', 'self_referral', 'code_exhausted', 'code_expired', 'unknown_code')),
    advocate_points INTEGER NOT NULL,
    friend_points INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (site_id, order_id)
) STRICT;

CREATE INDEX conversions_code ON conversions (code, outcome);

-- A credited conversion counts against its code's maximum.
CREATE TRIGGER conversions_count AFTER INSERT ON conversions
WHEN NEW.outcome = 'credited'
BEGIN
    UPDATE referrals SET conversions = conversions + 1 WHERE code = NEW.code;
END;

-- What a mail says, so a sender (or the demo's outbox page) can deliver or show it.
ALTER TABLE mail_outbox ADD COLUMN subject TEXT;
ALTER TABLE mail_outbox ADD COLUMN body TEXT;
