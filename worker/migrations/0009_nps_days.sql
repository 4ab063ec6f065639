-- NPS counts per site and UTC day, kept by a trigger in the answer's own transaction, so
-- that a summary reads one row per day in its range however many answers there are.
CREATE TABLE nps_days (
    site_id TEXT NOT NULL REFERENCES sites (id),
    day_ms INTEGER NOT NULL,                      -- start of the UTC day, Unix ms
    total INTEGER NOT NULL,
    promoters INTEGER NOT NULL,
    detractors INTEGER NOT NULL,
    PRIMARY KEY (site_id, day_ms)
) STRICT, WITHOUT ROWID;

INSERT INTO nps_days (site_id, day_ms, total, promoters, detractors)
SELECT site_id, created_at - created_at % 86400000, COUNT(*), SUM(score >= 9), SUM(score <= 6)
FROM nps_answers
GROUP BY site_id, created_at - created_at % 86400000;

CREATE TRIGGER nps_days_count AFTER INSERT ON nps_answers
BEGIN
    INSERT INTO nps_days (site_id, day_ms, total, promoters, detractors)
    VALUES (NEW.site_id, NEW.created_at - NEW.created_at % 86400000, 1, NEW.score >= 9, NEW.score <= 6)
    ON CONFLICT (site_id, day_ms) DO UPDATE SET
        total = total + 1,
        promoters = promoters + excluded.promoters,
        detractors = detractors + excluded.detractors;
END;
