//! What a site rewards, and with how many points: the rules brands set in their site
//! configuration, and the accounts points go to.

use serde::{Deserialize, Serialize};

/// Why points were written to the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A friend visited through the sharer's link.
    Visit,
    /// The sharer made a share link.
    Share,
    /// A review was published.
    Review,
    /// An answer to a prospect was published.
    Answer,
    /// An NPS answer was given.
    Nps,
    /// The brand credited or debited points by hand.
    Adjustment,
    /// Points moved from a visitor id to the customer it turned out to be.
    Transfer,
    /// A friend the advocate referred placed their first order.
    Referral,
    /// The friend's welcome reward for ordering through a referral.
    Referred,
}

impl Reason {
    /// The value stored in the `reason` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Visit => "visit",
            Reason::Share => "share",
            Reason::Review => "review",
            Reason::Answer => "answer",
            Reason::Nps => "nps",
            Reason::Adjustment => "adjustment",
            Reason::Transfer => "transfer",
            Reason::Referral => "referral",
            Reason::Referred => "referred",
        }
    }
}

/// Points earned per day and reason at most; none means no cap.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DailyCaps {
    /// For friends' visits.
    pub visit: Option<u32>,
    /// For making share links.
    pub share: Option<u32>,
    /// For published reviews.
    pub review: Option<u32>,
    /// For published answers.
    pub answer: Option<u32>,
    /// For NPS answers.
    pub nps: Option<u32>,
}

/// A site's reward rules. Everything is zero (no rewards) until the brand sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RewardRules {
    /// Points for each unique visit a share link brings.
    pub points_per_visit: u32,
    /// Points for making a share link.
    pub points_per_share: u32,
    /// Points when a review is published.
    pub points_per_review: u32,
    /// Points when an answer to a prospect is published.
    pub points_per_answer: u32,
    /// Points for an NPS answer.
    pub points_per_nps_answer: u32,
    /// Points per day and reason at most.
    pub daily_caps: DailyCaps,
    /// Visits one link can earn points for per day; more are recorded but not rewarded.
    pub visits_per_link_per_day: u32,
}

impl Default for RewardRules {
    fn default() -> Self {
        RewardRules {
            points_per_visit: 0,
            points_per_share: 0,
            points_per_review: 0,
            points_per_answer: 0,
            points_per_nps_answer: 0,
            daily_caps: DailyCaps::default(),
            visits_per_link_per_day: 20,
        }
    }
}

impl RewardRules {
    /// Points `reason` earns, before caps.
    pub fn points(&self, reason: Reason) -> u32 {
        match reason {
            Reason::Visit => self.points_per_visit,
            Reason::Share => self.points_per_share,
            Reason::Review => self.points_per_review,
            Reason::Answer => self.points_per_answer,
            Reason::Nps => self.points_per_nps_answer,
            Reason::Adjustment | Reason::Transfer | Reason::Referral | Reason::Referred => 0,
        }
    }

    /// The most points `reason` may earn one account per UTC day.
    pub fn daily_cap(&self, reason: Reason) -> Option<u32> {
        match reason {
            Reason::Visit => self.daily_caps.visit,
            Reason::Share => self.daily_caps.share,
            Reason::Review => self.daily_caps.review,
            Reason::Answer => self.daily_caps.answer,
            Reason::Nps => self.daily_caps.nps,
            Reason::Adjustment | Reason::Transfer | Reason::Referral | Reason::Referred => None,
        }
    }
}

/// Whose points: a known customer, or an anonymous visitor until they identify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// The brand's customer id, from a verified token.
    Customer(String),
    /// The widget's first-party visitor id.
    Visitor(String),
    /// A referred buyer the brand reported without a customer id: the SHA-256 of their
    /// email.
    Buyer(String),
}

impl Account {
    /// The account of a contribution: its customer if known, else its visitor.
    pub fn of(customer_id: Option<&str>, visitor_id: &str) -> Account {
        match customer_id {
            Some(customer) => Account::Customer(customer.to_owned()),
            None => Account::Visitor(visitor_id.to_owned()),
        }
    }

    /// The value stored in the ledger's `account` column.
    pub fn key(&self) -> String {
        match self {
            Account::Customer(id) => format!("customer:{id}"),
            Account::Visitor(id) => format!("visitor:{id}"),
            Account::Buyer(email_sha256) => format!("buyer:{email_sha256}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_rewarded_or_capped_until_the_brand_says_so() {
        let rules = RewardRules::default();
        for reason in [
            Reason::Visit,
            Reason::Share,
            Reason::Review,
            Reason::Answer,
            Reason::Nps,
        ] {
            assert_eq!(rules.points(reason), 0);
            assert_eq!(rules.daily_cap(reason), None);
        }
        assert_eq!(rules.visits_per_link_per_day, 20);
    }

    #[test]
    fn accounts_prefer_the_customer() {
        assert_eq!(Account::of(Some("c-1"), "v-1").key(), "customer:c-1");
        assert_eq!(Account::of(None, "v-1").key(), "visitor:v-1");
    }
}
