-- Ask-a-customer Q&A: prospects' questions about a product, answers from customers who
-- bought it, other customers, the brand or (where the site allows) anonymous visitors,
-- and "helpful" votes on answers. Counts are kept by triggers.

CREATE TABLE questions (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    product_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    customer_id TEXT,
    body TEXT NOT NULL,                           -- as given; rendered as text only
    author_name TEXT NOT NULL,
    email TEXT,                                   -- only with consent to be told of answers
    status TEXT NOT NULL CHECK (status IN ('pending', 'published', 'rejected')),
    rejection_reason TEXT,
    answer_count INTEGER NOT NULL DEFAULT 0,      -- published answers
    helpful_total INTEGER NOT NULL DEFAULT 0,     -- helpful votes on its published answers
    body_hash TEXT,
    page_url TEXT,
    locale TEXT,
    created_at INTEGER NOT NULL,                  -- Unix ms
    moderated_at INTEGER,
    UNIQUE (site_id, idempotency_key)
) STRICT;

CREATE INDEX questions_listed ON questions (site_id, product_id, status, helpful_total, created_at, id);
CREATE INDEX questions_queue ON questions (site_id, status, created_at, id);
CREATE INDEX questions_unanswered ON questions (site_id, status, answer_count, created_at, id);
CREATE INDEX questions_body_hash ON questions (site_id, body_hash, created_at)
    WHERE body_hash IS NOT NULL;

CREATE TABLE answers (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    question_id TEXT NOT NULL REFERENCES questions (id),
    idempotency_key TEXT NOT NULL,
    visitor_id TEXT,                              -- none for the brand's answers
    customer_id TEXT,
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    badge TEXT NOT NULL CHECK (badge IN ('verified_buyer', 'customer', 'brand', 'anonymous')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'published', 'rejected')),
    rejection_reason TEXT,
    helpful_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    moderated_at INTEGER,
    UNIQUE (site_id, idempotency_key)
) STRICT;

CREATE INDEX answers_of_question ON answers (question_id, status, helpful_count, created_at);
CREATE INDEX answers_queue ON answers (site_id, status, created_at, id);
CREATE INDEX answers_by_customer ON answers (site_id, customer_id, status)
    WHERE customer_id IS NOT NULL;

CREATE TABLE answer_votes (
    answer_id TEXT NOT NULL REFERENCES answers (id),
    visitor_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (answer_id, visitor_id)
) STRICT;

-- A question counts its answers, and their votes, exactly while they are published.
CREATE TRIGGER answers_count_new_published AFTER INSERT ON answers
WHEN NEW.status = 'published'
BEGIN
    UPDATE questions SET answer_count = answer_count + 1, helpful_total = helpful_total + NEW.helpful_count
    WHERE id = NEW.question_id;
END;

CREATE TRIGGER answers_count_published AFTER UPDATE OF status ON answers
WHEN NEW.status = 'published' AND OLD.status != 'published'
BEGIN
    UPDATE questions SET answer_count = answer_count + 1, helpful_total = helpful_total + NEW.helpful_count
    WHERE id = NEW.question_id;
END;

CREATE TRIGGER answers_uncount_unpublished AFTER UPDATE OF status ON answers
WHEN OLD.status = 'published' AND NEW.status != 'published'
BEGIN
    UPDATE questions SET answer_count = answer_count - 1, helpful_total = helpful_total - OLD.helpful_count
    WHERE id = OLD.question_id;
END;

CREATE TRIGGER answers_uncount_deleted AFTER DELETE ON answers
WHEN OLD.status = 'published'
BEGIN
    UPDATE questions SET answer_count = answer_count - 1, helpful_total = helpful_total - OLD.helpful_count
    WHERE id = OLD.question_id;
END;

-- Votes are taken on published answers only, so each one counts on its question too.
CREATE TRIGGER answer_votes_count AFTER INSERT ON answer_votes
BEGIN
    UPDATE answers SET helpful_count = helpful_count + 1 WHERE id = NEW.answer_id;
    UPDATE questions SET helpful_total = helpful_total + 1
    WHERE id = (SELECT question_id FROM answers WHERE id = NEW.answer_id);
END;

-- Mail the worker owes someone, recorded here and delivered by a sender (none ships yet:
-- nothing pretends to send mail). A consenting asker is owed one mail when their question
-- gets its first published answer.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites (id),
    recipient TEXT NOT NULL,
    template TEXT NOT NULL,
    subject_id TEXT NOT NULL,                     -- what the mail is about, e.g. a question id
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    UNIQUE (template, subject_id)
) STRICT;

CREATE TRIGGER questions_answered_mail AFTER UPDATE OF answer_count ON questions
WHEN NEW.answer_count > 0 AND OLD.answer_count = 0 AND NEW.email IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO mail_outbox (site_id, recipient, template, subject_id, created_at)
    VALUES (NEW.site_id, NEW.email, 'question_answered', NEW.id,
        COALESCE(NEW.moderated_at, NEW.created_at));
END;
