//! What brands moderate (reviews, questions, answers) goes through the same states.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::wire::{AdminAnswer, AdminQuestion, AdminReview};

/// Where a contribution stands in moderation. Only published ones are shown and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Waiting for the brand.
    Pending,
    /// Shown to visitors and counted.
    Published,
    /// Refused by the brand, with a reason kept for the record.
    Rejected,
}

impl Status {
    /// The value stored in `status` columns.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Published => "published",
            Status::Rejected => "rejected",
        }
    }

    /// Reads a `status` query parameter.
    pub fn parse(param: &str, value: &str) -> Result<Status> {
        match value {
            "pending" => Ok(Status::Pending),
            "published" => Ok(Status::Published),
            "rejected" => Ok(Status::Rejected),
            _ => Err(Error::InvalidQuery {
                param: param.to_owned(),
                message: format!("{param} must be pending, published or rejected"),
            }),
        }
    }

    /// The status a new contribution starts in: published at once only when it comes
    /// from someone the site trusts and the site says so; otherwise it waits.
    pub fn of_new(trusted: bool, publish_trusted_at_once: bool) -> Status {
        if trusted && publish_trusted_at_once {
            Status::Published
        } else {
            Status::Pending
        }
    }
}

/// One item of the console's single moderation queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueItem {
    /// A review waiting for the brand.
    Review(AdminReview),
    /// A question waiting for the brand.
    Question(AdminQuestion),
    /// An answer waiting for the brand.
    Answer(AdminAnswer),
}

impl QueueItem {
    /// Unix ms.
    pub fn created_at(&self) -> i64 {
        match self {
            QueueItem::Review(review) => review.created_at,
            QueueItem::Question(question) => question.created_at,
            QueueItem::Answer(answer) => answer.created_at,
        }
    }

    /// The id, unique within its kind.
    pub fn id(&self) -> &str {
        match self {
            QueueItem::Review(review) => &review.id,
            QueueItem::Question(question) => &question.id,
            QueueItem::Answer(answer) => &answer.id,
        }
    }

    /// The admin route of its moderation, under the site's path.
    pub fn moderation_route(&self) -> String {
        match self {
            QueueItem::Review(review) => format!("reviews/{}/moderation", review.id),
            QueueItem::Question(question) => format!("questions/{}/moderation", question.id),
            QueueItem::Answer(answer) => format!("answers/{}/moderation", answer.id),
        }
    }
}

/// The three pending queues as one, oldest first, so that what waited longest is worked
/// first whatever its kind.
pub fn one_queue(
    reviews: Vec<AdminReview>,
    questions: Vec<AdminQuestion>,
    answers: Vec<AdminAnswer>,
) -> Vec<QueueItem> {
    let mut items: Vec<QueueItem> = reviews
        .into_iter()
        .map(QueueItem::Review)
        .chain(questions.into_iter().map(QueueItem::Question))
        .chain(answers.into_iter().map(QueueItem::Answer))
        .collect();
    items.sort_by(|a, b| {
        a.created_at()
            .cmp(&b.created_at())
            .then_with(|| a.id().cmp(b.id()))
    });
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trusted_contributions_skip_moderation_and_only_when_the_site_says_so() {
        assert_eq!(Status::of_new(true, true), Status::Published);
        assert_eq!(Status::of_new(true, false), Status::Pending);
        assert_eq!(Status::of_new(false, true), Status::Pending);
    }

    #[test]
    fn statuses_parse_from_queries() {
        assert_eq!(Status::parse("status", "rejected"), Ok(Status::Rejected));
        assert!(Status::parse("status", "all").is_err());
    }
}
