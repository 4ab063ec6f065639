-- Duplicate-text detection: a hash of each normalised comment, looked up per site over
-- the last day before a new comment is stored.
ALTER TABLE nps_answers ADD COLUMN comment_hash TEXT;

CREATE INDEX nps_answers_comment_hash ON nps_answers (site_id, comment_hash, created_at)
    WHERE comment_hash IS NOT NULL;
