//! Table exports for the brand, as CSV or JSON, read and sent one page at a time: the
//! worker streams each chunk as it is made, so an export of any size never holds more
//! than one page of rows in memory.

use csv::WriterBuilder;

use crate::error::{Error, Result};
use crate::store::{Row, Statement, Store, rows_of};

/// Rows read per page (and per chunk sent).
pub const PAGE_ROWS: i64 = 1_000;

/// An exportable table: its name, the columns written, and the page query (`?1` site,
/// `?2` the last rowid sent, `?3` how many).
#[derive(Debug, PartialEq, Eq)]
pub struct Table {
    /// The table's name, also the file's.
    pub name: &'static str,
    /// Its columns, in file order.
    pub columns: &'static [&'static str],
    sql: &'static str,
}

macro_rules! table {
    ($name:literal, [$($column:literal),+ $(,)?]) => {
        table!($name, [$($column),+], from: $name, site: "site_id")
    };
    // A table whose rows belong to the site through another table: `from` joins it in,
    // `site` names the site column, and the table's own columns are prefixed `t.`.
    ($name:literal, [$($column:literal),+ $(,)?], from: $from:literal, site: $site:literal) => {
        Table {
            name: $name,
            columns: &[$($column),+],
            sql: concat!(
                "SELECT ", $name, ".rowid AS export_rowid", $(", ", $name, ".", $column,)+
                " FROM ", $from, " WHERE ", $site, " = ?1 AND ", $name, ".rowid > ?2 ",
                "ORDER BY ", $name, ".rowid LIMIT ?3"
            ),
        }
    };
}

/// What a brand may export: every table of its own, without secrets. (`nps_days`, the
/// per-day counts, is derived from `nps_answers` and left out.)
pub const TABLES: [Table; 20] = [
    table!(
        "nps_answers",
        [
            "id",
            "idempotency_key",
            "visitor_id",
            "customer_id",
            "score",
            "category",
            "comment",
            "page_url",
            "locale",
            "created_at",
            "handled_at"
        ]
    ),
    table!(
        "reviews",
        [
            "id",
            "product_id",
            "visitor_id",
            "customer_id",
            "order_id",
            "rating",
            "title",
            "body",
            "author_name",
            "email",
            "status",
            "rejection_reason",
            "reply",
            "reply_at",
            "helpful_count",
            "page_url",
            "locale",
            "created_at",
            "moderated_at"
        ]
    ),
    table!(
        "review_aggregates",
        [
            "product_id",
            "review_count",
            "rating_sum",
            "stars_1",
            "stars_2",
            "stars_3",
            "stars_4",
            "stars_5"
        ]
    ),
    table!("review_votes", ["review_id", "visitor_id", "created_at"], from: "review_votes JOIN reviews ON reviews.id = review_votes.review_id", site: "reviews.site_id"),
    table!(
        "questions",
        [
            "id",
            "product_id",
            "visitor_id",
            "customer_id",
            "body",
            "author_name",
            "email",
            "status",
            "rejection_reason",
            "answer_count",
            "helpful_total",
            "page_url",
            "locale",
            "created_at",
            "moderated_at"
        ]
    ),
    table!(
        "answers",
        [
            "id",
            "question_id",
            "visitor_id",
            "customer_id",
            "author_name",
            "body",
            "badge",
            "status",
            "rejection_reason",
            "helpful_count",
            "created_at",
            "moderated_at"
        ]
    ),
    table!("answer_votes", ["answer_id", "visitor_id", "created_at"], from: "answer_votes JOIN answers ON answers.id = answer_votes.answer_id", site: "answers.site_id"),
    table!(
        "mail_outbox",
        [
            "id",
            "recipient",
            "template",
            "subject_id",
            "subject",
            "body",
            "created_at",
            "sent_at"
        ]
    ),
    table!(
        "share_links",
        [
            "code",
            "sharer",
            "sharer_visitor_id",
            "url",
            "clicks",
            "created_at"
        ]
    ),
    table!("share_visits", ["code", "visitor_id", "day", "counted", "created_at"], from: "share_visits JOIN share_links ON share_links.code = share_visits.code", site: "share_links.site_id"),
    table!(
        "ledger",
        [
            "id",
            "account",
            "points",
            "reason",
            "source",
            "note",
            "created_at"
        ]
    ),
    table!("identities", ["visitor_id", "customer_id", "created_at"]),
    table!("panel_members", ["customer_id", "added_at"]),
    table!(
        "referrals",
        [
            "code",
            "advocate",
            "advocate_visitor_id",
            "advocate_name",
            "advocate_email",
            "created_at",
            "expires_at",
            "max_conversions",
            "conversions"
        ]
    ),
    table!("referral_invitations", ["id", "code", "email_sha256", "created_at"], from: "referral_invitations JOIN referrals ON referrals.code = referral_invitations.code", site: "referrals.site_id"),
    table!("referral_visits", ["code", "visitor_id", "day", "created_at"], from: "referral_visits JOIN referrals ON referrals.code = referral_visits.code", site: "referrals.site_id"),
    table!(
        "conversions",
        [
            "order_id",
            "code",
            "buyer_account",
            "amount_cents",
            "currency",
            "outcome",
            "advocate_points",
            "friend_points",
            "created_at"
        ]
    ),
    table!(
        "webhook_subscriptions",
        ["id", "url", "events", "active", "created_at"]
    ),
    table!(
        "webhook_deliveries",
        [
            "id",
            "subscription_id",
            "event_type",
            "payload",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "last_status",
            "last_error",
            "created_at"
        ]
    ),
    table!(
        "erasures",
        ["id", "email_sha256", "requested_by", "rows", "created_at"]
    ),
];

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 4180 CSV with a header line.
    Csv,
    /// One JSON array of objects.
    Json,
}

/// One export in progress: which rows are sent, how, and how far it has got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    site_id: String,
    table: &'static Table,
    format: Format,
    after_rowid: i64,
    rows_sent: u64,
    finished: bool,
}

impl Export {
    /// The export a file name asks for, e.g. `reviews.csv`; any other name is not found.
    pub fn of_file(site_id: &str, file: &str) -> Result<Export> {
        let (name, extension) = file.rsplit_once('.').ok_or(Error::NotFound)?;
        let format = match extension {
            "csv" => Format::Csv,
            "json" => Format::Json,
            _ => return Err(Error::NotFound),
        };
        let table = TABLES
            .iter()
            .find(|table| table.name == name)
            .ok_or(Error::NotFound)?;
        Ok(Export {
            site_id: site_id.to_owned(),
            table,
            format,
            after_rowid: 0,
            rows_sent: 0,
            finished: false,
        })
    }

    /// The `Content-Type` of the file.
    pub fn content_type(&self) -> &'static str {
        match self.format {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json; charset=utf-8",
        }
    }

    /// The `Content-Disposition` that names the download, e.g. `cairn-reviews.csv`.
    pub fn disposition(&self) -> String {
        let extension = match self.format {
            Format::Csv => "csv",
            Format::Json => "json",
        };
        format!(
            "attachment; filename=\"{}-{}.{extension}\"",
            self.site_id, self.table.name
        )
    }

    /// The next chunk of the file, or `None` once it is all sent. The first chunk
    /// carries the CSV header (or the JSON array's opening), the last the closing.
    pub async fn next_chunk<S: Store>(&mut self, store: &S) -> Result<Option<String>> {
        if self.finished {
            return Ok(None);
        }
        let statement = Statement::new(
            self.table.sql,
            vec![
                self.site_id.as_str().into(),
                self.after_rowid.into(),
                PAGE_ROWS.into(),
            ],
        );
        let mut results = store.batch(&[statement]).await?;
        let rows: Vec<Row> = rows_of(&mut results, 0)?;
        let mut chunk = String::new();
        if self.rows_sent == 0 && self.after_rowid == 0 {
            chunk.push_str(&match self.format {
                Format::Csv => {
                    csv_line(self.table.columns.iter().map(|column| (*column).to_owned()))?
                }
                Format::Json => "[".to_owned(),
            });
        }
        for row in &rows {
            chunk.push_str(&match self.format {
                Format::Csv => csv_line(
                    self.table
                        .columns
                        .iter()
                        .map(|column| text_of(row.get(*column))),
                )?,
                Format::Json => {
                    let separator = if self.rows_sent == 0 { "\n" } else { ",\n" };
                    let object: serde_json::Map<String, serde_json::Value> = self
                        .table
                        .columns
                        .iter()
                        .map(|column| {
                            (
                                (*column).to_owned(),
                                row.get(*column).cloned().unwrap_or_default(),
                            )
                        })
                        .collect();
                    format!("{separator}{}", serde_json::Value::Object(object))
                }
            });
            self.rows_sent += 1;
        }
        if let Some(last) = rows
            .last()
            .and_then(|row| row.get("export_rowid"))
            .and_then(serde_json::Value::as_i64)
        {
            self.after_rowid = last;
        }
        if (rows.len() as i64) < PAGE_ROWS {
            self.finished = true;
            if self.format == Format::Json {
                chunk.push_str("\n]\n");
            }
        }
        Ok(Some(chunk))
    }
}

/// A stored value as CSV text: nothing for NULL, numbers as written, text as stored but
/// for text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at its
/// start), which is opened with a `'` so that a visitor's review cannot become one.
fn text_of(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(text))
            if text.starts_with(['=', '+', '-', '@', '\t', '\r']) =>
        {
            format!("'{text}")
        }
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// One CSV record, quoted where RFC 4180 needs it, ending with CRLF.
fn csv_line(fields: impl Iterator<Item = String>) -> Result<String> {
    let mut writer = WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer
        .write_record(fields)
        .map_err(|error| Error::Storage(format!("CSV: {error}")))?;
    let bytes = writer
        .into_inner()
        .map_err(|error| Error::Storage(format!("CSV: {error}")))?;
    String::from_utf8(bytes).map_err(|error| Error::Storage(format!("CSV: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_tables_and_formats_export() {
        assert!(Export::of_file("cairn", "reviews.csv").is_ok());
        assert!(Export::of_file("cairn", "ledger.json").is_ok());
        for refused in [
            "sites.csv",
            "nps_days.json",
            "reviews.xml",
            "reviews",
            "../sites.csv",
        ] {
            assert_eq!(
                Export::of_file("cairn", refused).err(),
                Some(Error::NotFound),
                "{refused}"
            );
        }
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_defused() {
        let text = |value: serde_json::Value| text_of(Some(&value));
        assert_eq!(
            text("=HYPERLINK(\"http://evil\")".into()),
            "'=HYPERLINK(\"http://evil\")"
        );
        assert_eq!(text("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(text((-5).into()), "-5", "numbers stay numbers");
        assert_eq!(text("Parfaite".into()), "Parfaite");
        assert_eq!(text_of(None), "");
    }

    #[test]
    fn csv_fields_are_quoted_where_needed() {
        let line = csv_line(
            [
                "a".to_owned(),
                "b, c".to_owned(),
                "say \"hi\"\nthere".to_owned(),
                String::new(),
            ]
            .into_iter(),
        );
        assert_eq!(
            line.ok().as_deref(),
            Some("a,\"b, c\",\"say \"\"hi\"\"\nthere\",\r\n")
        );
    }
}
