-- Q&A search compares lowercase text. SQLite's lower() folds ASCII only ("É" stays "É"),
-- so the worker stores each text lowercased by Rust, which folds every letter.
ALTER TABLE questions ADD COLUMN search_text TEXT;
ALTER TABLE answers ADD COLUMN search_text TEXT;
UPDATE questions SET search_text = lower(body);
UPDATE answers SET search_text = lower(body);
