//! Product reviews: what a review may say, who counts as a verified buyer, how the star
//! aggregate reads, and how published reviews are sorted and paged.
//!
//! Storage lives in [`store`] (the SQL and the triggers that keep the aggregate up to date
//! on write), search-engine and crawler markup in [`markup`].

pub mod form;
pub mod markup;
pub mod store;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dict::Dict;
use crate::error::{Error, Result};
use crate::moderation::Status;
use crate::paging::Order;

/// Stars on the scale, lowest first.
pub const STARS: std::ops::RangeInclusive<u8> = 1..=5;
/// Longest review title, in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// Shortest review text: fewer characters say nothing a rating does not.
pub const MIN_TEXT_CHARS: usize = 10;
/// Longest review text, in characters.
pub const MAX_TEXT_CHARS: usize = 5_000;
/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// Longest rejection reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;
/// Longest brand reply, in characters.
pub const MAX_REPLY_CHARS: usize = 2_000;

/// The orders a visitor can list published reviews in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewSort {
    /// Most recent first.
    #[default]
    Newest,
    /// Most "helpful" votes first.
    Helpful,
    /// Five stars first.
    RatingHigh,
    /// One star first.
    RatingLow,
}

impl ReviewSort {
    /// Every order, as offered in the widget.
    pub const ALL: [ReviewSort; 4] = [
        ReviewSort::Newest,
        ReviewSort::Helpful,
        ReviewSort::RatingHigh,
        ReviewSort::RatingLow,
    ];

    /// The `sort` query value.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewSort::Newest => "newest",
            ReviewSort::Helpful => "helpful",
            ReviewSort::RatingHigh => "rating_high",
            ReviewSort::RatingLow => "rating_low",
        }
    }

    /// The orders worth offering over the reviews listed: all of them, or, while only one
    /// rating is shown, those that do not order by rating, as every review listed then has
    /// the same and they would list them as [`ReviewSort::Newest`] does. A rating order
    /// chosen before stays chosen, for when every rating is shown again.
    pub fn offered(only_rating: Option<u8>) -> impl Iterator<Item = ReviewSort> {
        ReviewSort::ALL.into_iter().filter(move |sort| {
            only_rating.is_none() || !matches!(sort, ReviewSort::RatingHigh | ReviewSort::RatingLow)
        })
    }

    /// Reads a `sort` query value.
    pub fn parse(value: &str) -> Result<ReviewSort> {
        ReviewSort::ALL
            .into_iter()
            .find(|sort| sort.as_str() == value)
            .ok_or_else(|| Error::InvalidQuery {
                param: "sort".to_owned(),
                message: "sort must be newest, helpful, rating_high or rating_low".to_owned(),
            })
    }
}

/// Reads a `rating` query value: only the reviews of that many stars (1 to 5), as a visitor
/// who clicks a row of the histogram asks.
pub fn parse_rating_filter(value: &str) -> Result<u8> {
    crate::validate::number_param("rating", value, 1..=5)
}

/// Which of its reviews a brand lists (`GET /v1/sites/{site}/reviews`): the moderation
/// queue by default, oldest first; or, say, the published ones newest first, of one rating
/// or still without a reply, to find those that call for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminListing {
    /// Reviews in this state.
    pub status: Status,
    /// By date of writing, which way.
    pub order: Order,
    /// Only those of this many stars.
    pub rating: Option<u8>,
    /// Only those with a brand reply (`true`) or without one (`false`).
    pub replied: Option<bool>,
}

impl AdminListing {
    /// Reads `status`, `order`, `rating` and `replied`, each checked.
    pub fn read(params: &BTreeMap<String, String>) -> Result<AdminListing> {
        let replied = match params.get("replied").map(String::as_str) {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => {
                return Err(Error::InvalidQuery {
                    param: "replied".to_owned(),
                    message: "replied must be true or false".to_owned(),
                });
            }
        };
        Ok(AdminListing {
            status: params
                .get("status")
                .map(|value| Status::parse("status", value))
                .transpose()?
                .unwrap_or(Status::Pending),
            order: Order::parse(params.get("order").map(String::as_str))?,
            rating: params
                .get("rating")
                .map(|value| parse_rating_filter(value))
                .transpose()?,
            replied,
        })
    }
}

/// A product's published reviews summed up: kept by triggers in `review_aggregates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub struct Aggregate {
    /// Published reviews.
    pub review_count: u64,
    /// Sum of their stars.
    pub rating_sum: u64,
    /// Reviews with 1 star.
    pub stars_1: u64,
    /// Reviews with 2 stars.
    pub stars_2: u64,
    /// Reviews with 3 stars.
    pub stars_3: u64,
    /// Reviews with 4 stars.
    pub stars_4: u64,
    /// Reviews with 5 stars.
    pub stars_5: u64,
}

impl Aggregate {
    /// Mean stars to one decimal, as shown and as given to search engines; `None`
    /// without any published review.
    pub fn average(&self) -> Option<f64> {
        if self.review_count == 0 {
            return None;
        }
        let tenths = (self.rating_sum as f64 * 10.0 / self.review_count as f64).round();
        Some(tenths / 10.0)
    }

    /// Published reviews with `stars` stars.
    pub fn with_stars(&self, stars: u8) -> u64 {
        match stars {
            1 => self.stars_1,
            2 => self.stars_2,
            3 => self.stars_3,
            4 => self.stars_4,
            5 => self.stars_5,
            _ => 0,
        }
    }

    /// The histogram sent to widgets: stars (`"1"` to `"5"`) to number of reviews.
    pub fn histogram(&self) -> Dict<u8, u64> {
        STARS.map(|stars| (stars, self.with_stars(stars))).collect()
    }
}

/// Whole percent of `part` in `total`, for histogram bars; 0 when there is nothing.
pub fn percent(part: u64, total: u64) -> u8 {
    if total == 0 {
        return 0;
    }
    u8::try_from((part * 100 + total / 2) / total).unwrap_or(100)
}

/// Stars from 1 to 5.
pub fn rating(value: u8) -> Result<u8> {
    if STARS.contains(&value) {
        Ok(value)
    } else {
        Err(rating_error())
    }
}

/// The one message for any rating that is not an integer from 1 to 5.
pub fn rating_error() -> Error {
    Error::field("rating", "rating must be an integer from 1 to 5")
}

/// Whether a review deserves the invitation to post on the brand's external profiles.
pub fn invites_to_review_hub(rating: u8) -> bool {
    rating >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aggregate(stars: [u64; 5]) -> Aggregate {
        Aggregate {
            review_count: stars.iter().sum(),
            rating_sum: stars
                .iter()
                .zip(1..)
                .map(|(count, stars)| count * stars)
                .sum(),
            stars_1: stars[0],
            stars_2: stars[1],
            stars_3: stars[2],
            stars_4: stars[3],
            stars_5: stars[4],
        }
    }

    #[test]
    fn one_rating_shown_is_not_offered_in_rating_order() {
        assert_eq!(
            ReviewSort::offered(None).collect::<Vec<_>>(),
            ReviewSort::ALL
        );
        assert_eq!(
            ReviewSort::offered(Some(5)).collect::<Vec<_>>(),
            [ReviewSort::Newest, ReviewSort::Helpful]
        );
    }

    #[test]
    fn no_review_has_no_average() {
        assert_eq!(Aggregate::default().average(), None);
        assert_eq!(Aggregate::default().histogram().values().sum::<u64>(), 0);
    }

    #[test]
    fn the_first_review_is_the_average() {
        assert_eq!(aggregate([0, 0, 0, 1, 0]).average(), Some(4.0));
    }

    #[test]
    fn averages_round_to_one_decimal() {
        // (5 + 5 + 4) / 3 = 4.666…
        assert_eq!(aggregate([0, 0, 0, 1, 2]).average(), Some(4.7));
        // (1 + 2) / 2 = 1.5
        assert_eq!(aggregate([1, 1, 0, 0, 0]).average(), Some(1.5));
    }

    #[test]
    fn histogram_keys_are_the_stars() {
        let histogram = aggregate([1, 0, 2, 0, 7]).histogram();
        assert_eq!(
            histogram.keys().copied().collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(histogram[&5], 7);
        assert_eq!(histogram[&3], 2);
    }

    #[test]
    fn percentages_round_and_survive_zero() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(5, 5), 100);
    }

    #[test]
    fn ratings_are_one_to_five() {
        assert!(rating(0).is_err());
        assert!(rating(1).is_ok());
        assert!(rating(5).is_ok());
        assert!(rating(6).is_err());
    }

    #[test]
    fn only_happy_reviewers_are_sent_to_the_hub() {
        assert!(!invites_to_review_hub(3));
        assert!(invites_to_review_hub(4));
        assert!(invites_to_review_hub(5));
    }
}
