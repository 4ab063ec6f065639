//! Mail the worker sends on someone's behalf (referral invitations, "your question was
//! answered"), handed to a [`Mailer`]. The one that ships writes each mail to the
//! `mail_outbox` table, where a sending service (or the demo site's outbox page) picks it
//! up: nothing here pretends to have sent anything.

use crate::error::Result;
use crate::store::{Statement, Store, rows_of};
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

/// Hands mails over for delivery.
#[allow(async_fn_in_trait)]
pub trait Mailer {
    /// Takes `mails` for delivery, all at once (the outbox writes them in one round trip);
    /// the same template and subject twice is taken once.
    async fn send(&self, mails: &[Mail]) -> Result<()>;
}

/// `?1` site, `?2` recipient, `?3` template, `?4` subject id, `?5` subject, `?6` body,
/// `?7` created at.
pub const INSERT_OUTBOX: &str = "INSERT INTO mail_outbox (site_id, recipient, template, \
    subject_id, subject, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
    ON CONFLICT DO NOTHING";

/// The [`Mailer`] that ships: the `mail_outbox` table of the store.
pub struct OutboxMailer<'a, S: Store> {
    store: &'a S,
}

impl<'a, S: Store> OutboxMailer<'a, S> {
    /// A mailer writing to `store`'s outbox.
    pub fn new(store: &'a S) -> Self {
        OutboxMailer { store }
    }
}

impl<S: Store> Mailer for OutboxMailer<'_, S> {
    async fn send(&self, mails: &[Mail]) -> Result<()> {
        if mails.is_empty() {
            return Ok(());
        }
        let statements: Vec<Statement> = mails
            .iter()
            .map(|mail| {
                Statement::new(
                    INSERT_OUTBOX,
                    vec![
                        mail.site_id.as_str().into(),
                        mail.recipient.as_str().into(),
                        mail.template.into(),
                        mail.subject_id.as_str().into(),
                        mail.subject.as_str().into(),
                        mail.body.as_str().into(),
                        mail.created_at.into(),
                    ],
                )
            })
            .collect();
        self.store.batch(&statements).await?;
        Ok(())
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
