//! Mail the worker owes someone (referral invitations, "your question was answered"),
//! written to the `mail_outbox` table in the same transaction as what it is about, where a
//! sending service (or the demo site's outbox page) picks it up: nothing here pretends to
//! have sent anything.

use crate::error::Result;
use crate::store::{Param, Statement, Store, rows_of};
use crate::wire::OutboxMail;

/// One mail, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The site it is sent for.
    pub site_id: String,
    /// The address it goes to.
    pub recipient: String,
    /// What kind of mail, e.g. `referral_invitation`.
    pub template: &'static str,
    /// What it is about; one mail per template and subject.
    pub subject_id: String,
    /// The subject line.
    pub subject: String,
    /// The text.
    pub body: String,
    /// Unix ms.
    pub created_at: i64,
}

impl Mail {
    /// The values of `?1` to `?7` of a statement queuing this mail (site, recipient,
    /// template, subject id, subject, body, created at), which the module owing it writes
    /// in the batch that stores what the mail is about.
    pub fn params(&self) -> Vec<Param> {
        vec![
            self.site_id.as_str().into(),
            self.recipient.as_str().into(),
            self.template.into(),
            self.subject_id.as_str().into(),
            self.subject.as_str().into(),
            self.body.as_str().into(),
            self.created_at.into(),
        ]
    }
}

/// `?1` site, `?2` at most: the latest mails, newest first.
pub const LATEST: &str = "SELECT id, recipient, template, subject, body, created_at, sent_at \
    FROM mail_outbox WHERE site_id = ?1 ORDER BY id DESC LIMIT ?2";

/// The site's latest mails in the outbox, for the brand (and the demo) to see.
pub async fn latest<S: Store>(store: &S, site_id: &str, limit: u32) -> Result<Vec<OutboxMail>> {
    let statement = Statement::new(LATEST, vec![site_id.into(), i64::from(limit).into()]);
    let mut results = store.batch(&[statement]).await?;
    rows_of(&mut results, 0)
}
