-- A consenting reviewer (a review keeps its `email` only with `email_consent`) is owed one
-- mail when the brand's reply to their review is on the product page: the reply given to a
-- published review, or the review published with the reply given while it waited. A reply
-- changed later mails nobody again (one mail per template and review).
CREATE TRIGGER reviews_replied_mail AFTER UPDATE OF reply, status ON reviews
WHEN NEW.status = 'published' AND NEW.reply IS NOT NULL AND NEW.email IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO mail_outbox (site_id, recipient, template, subject_id, created_at)
    VALUES (NEW.site_id, NEW.email, 'review_replied', NEW.id,
        MAX(COALESCE(NEW.reply_at, 0), COALESCE(NEW.moderated_at, 0), NEW.created_at));
END;
