-- What the brand console needs of NPS answers: marking a comment handled, reading the
-- comments newest first, and the figures of one page.
ALTER TABLE nps_answers ADD COLUMN handled_at INTEGER;     -- Unix ms, set once

CREATE INDEX nps_answers_comments ON nps_answers (site_id, created_at, id)
    WHERE comment IS NOT NULL;
CREATE INDEX nps_answers_page ON nps_answers (site_id, page_url, created_at, score);
