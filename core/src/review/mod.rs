//! Product reviews: what a review may say, who counts as a verified buyer, how the star
//! aggregate reads, and how published reviews are sorted and paged.
//!
//! Storage lives in [`store`] (the SQL and the triggers that keep the aggregate up to date
//! on write), search-engine and crawler markup in [`markup`].

pub mod form;
pub mod markup;
pub mod store;

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

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
/// Longest email address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest rejection reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;
/// Longest brand reply, in characters.
pub const MAX_REPLY_CHARS: usize = 2_000;
/// Longest product id: SKUs and slugs are far shorter.
pub const MAX_PRODUCT_ID_CHARS: usize = 64;
/// Reviews per page when the request does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 10;
/// Most reviews per page.
pub const MAX_PAGE_SIZE: u32 = 50;

/// Where a review stands in moderation. Only published reviews are shown and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    /// Waiting for the brand.
    Pending,
    /// Shown on the product page and counted in its aggregate.
    Published,
    /// Refused by the brand, with a reason kept for the record.
    Rejected,
}

impl ReviewStatus {
    /// The value stored in the `status` column.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Published => "published",
            ReviewStatus::Rejected => "rejected",
        }
    }

    /// Reads a `status` query parameter.
    pub fn parse(param: &str, value: &str) -> Result<ReviewStatus> {
        match value {
            "pending" => Ok(ReviewStatus::Pending),
            "published" => Ok(ReviewStatus::Published),
            "rejected" => Ok(ReviewStatus::Rejected),
            _ => Err(Error::InvalidQuery {
                param: param.to_owned(),
                message: format!("{param} must be pending, published or rejected"),
            }),
        }
    }

    /// The status a new review starts in: a verified purchase goes straight to the page
    /// when the site trusts its own customers, everything else waits for moderation.
    pub fn of_new_review(verified: bool, auto_publish_verified: bool) -> ReviewStatus {
        if verified && auto_publish_verified {
            ReviewStatus::Published
        } else {
            ReviewStatus::Pending
        }
    }
}

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

/// Where the next page starts: the sort key of the last review shown. Opaque to clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Stars of the last review.
    pub rating: u8,
    /// Helpful votes of the last review.
    pub helpful_count: i64,
    /// Creation time of the last review, Unix ms.
    pub created_at: i64,
    /// Id of the last review, the tie-breaker.
    pub id: String,
}

impl Cursor {
    /// The `cursor` value handed to clients.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!(
            "{}.{}.{}.{}",
            self.rating, self.helpful_count, self.created_at, self.id
        ))
    }

    /// Reads a `cursor` value back; anything this crate did not make is refused.
    pub fn decode(value: &str) -> Result<Cursor> {
        let invalid = || Error::InvalidQuery {
            param: "cursor".to_owned(),
            message: "cursor must be a next_cursor value from an earlier page".to_owned(),
        };
        if value.len() > 256 {
            return Err(invalid());
        }
        let bytes = URL_SAFE_NO_PAD.decode(value).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let mut parts = text.splitn(4, '.');
        let mut next = || parts.next().ok_or_else(invalid);
        let rating: u8 = next()?.parse().map_err(|_| invalid())?;
        let helpful_count: i64 = next()?.parse().map_err(|_| invalid())?;
        let created_at: i64 = next()?.parse().map_err(|_| invalid())?;
        let id = next()?.to_owned();
        let id_ok = !id.is_empty() && id.bytes().all(|byte| byte.is_ascii_hexdigit());
        if !STARS.contains(&rating) || helpful_count < 0 || created_at < 0 || !id_ok {
            return Err(invalid());
        }
        Ok(Cursor {
            rating,
            helpful_count,
            created_at,
            id,
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
    pub fn histogram(&self) -> BTreeMap<u8, u64> {
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

/// A product id, as used in `product="…"`: 1–64 characters of `A–Z a–z 0–9 - _ .`, the
/// shape of SKUs and slugs, safe in URLs and cache keys.
pub fn product_id(value: &str) -> Result<()> {
    let valid = (1..=MAX_PRODUCT_ID_CHARS).contains(&value.len())
        && value
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
        && value != "."
        && value != "..";
    if valid {
        Ok(())
    } else {
        Err(Error::field(
            "product",
            format!(
                "product must be 1 to {MAX_PRODUCT_ID_CHARS} characters of A-Z, a-z, 0-9, '-', '_' and '.'"
            ),
        ))
    }
}

/// A review id from a URL: the lowercase hex ids the store makes.
pub fn review_id(value: &str) -> Result<()> {
    let valid = value.len() == 32
        && value
            .bytes()
            .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
    if valid {
        Ok(())
    } else {
        Err(Error::UnknownReview)
    }
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

/// Trimmed text of `min..=max` characters (counted as characters, not bytes), kept as given
/// otherwise: it is rendered as text, never as HTML.
pub fn text_field(field: &str, value: &str, min: usize, max: usize) -> Result<String> {
    let trimmed = value.trim();
    let length = trimmed.chars().count();
    if length < min.max(1) {
        return Err(Error::field(
            field,
            if min <= 1 {
                format!("{field} is required")
            } else {
                format!("{field} must be at least {min} characters")
            },
        ));
    }
    if length > max {
        return Err(Error::field(
            field,
            format!("{field} must be at most {max} characters"),
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(Error::field(
            field,
            format!("{field} must not contain control characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// An email address as HTML's `type=email` accepts it (WHATWG's "valid email address"),
/// so the widget and the worker agree with the browser.
pub fn email(value: &str) -> Result<String> {
    let invalid = || Error::field("email", "email must be a valid email address");
    let value = value.trim();
    if value.chars().count() > MAX_EMAIL_CHARS {
        return Err(invalid());
    }
    let (local, domain) = value.rsplit_once('@').ok_or_else(invalid)?;
    let local_ok = !local.is_empty()
        && local
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&byte));
    let labels_ok = domain.split('.').all(|label| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    });
    if local_ok && labels_ok && domain.contains('.') {
        Ok(value.to_owned())
    } else {
        Err(invalid())
    }
}

/// A page size from the `limit` query parameter.
pub fn page_size(value: Option<&str>) -> Result<u32> {
    let Some(value) = value else {
        return Ok(DEFAULT_PAGE_SIZE);
    };
    value
        .parse::<u32>()
        .ok()
        .filter(|size| (1..=MAX_PAGE_SIZE).contains(size))
        .ok_or_else(|| Error::InvalidQuery {
            param: "limit".to_owned(),
            message: format!("limit must be an integer from 1 to {MAX_PAGE_SIZE}"),
        })
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
    fn verified_reviews_skip_moderation_only_when_the_site_says_so() {
        use ReviewStatus::*;
        assert_eq!(ReviewStatus::of_new_review(true, true), Published);
        assert_eq!(ReviewStatus::of_new_review(true, false), Pending);
        assert_eq!(ReviewStatus::of_new_review(false, true), Pending);
    }

    #[test]
    fn cursors_round_trip_and_refuse_forgeries() {
        let cursor = Cursor {
            rating: 4,
            helpful_count: 12,
            created_at: 1_764_500_000_000,
            id: "0123456789abcdef0123456789abcdef".into(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
        for forged in [
            "",
            "not base64!",
            &URL_SAFE_NO_PAD.encode("9.0.0.ab"),
            &URL_SAFE_NO_PAD.encode("4.-1.0.ab"),
            &URL_SAFE_NO_PAD.encode("4.0.0.' OR 1=1 --"),
            &URL_SAFE_NO_PAD.encode("4.0.0"),
        ] {
            assert!(Cursor::decode(forged).is_err(), "{forged}");
        }
    }

    #[test]
    fn product_ids_look_like_skus() {
        for good in ["tent-2p", "SKU_001.blue", "a"] {
            assert!(product_id(good).is_ok(), "{good}");
        }
        for bad in ["", "..", "a/b", "tente légère", "<script>", &"a".repeat(65)] {
            assert!(product_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ratings_are_one_to_five() {
        assert!(rating(0).is_err());
        assert!(rating(1).is_ok());
        assert!(rating(5).is_ok());
        assert!(rating(6).is_err());
    }

    #[test]
    fn text_fields_count_characters_and_keep_hostile_text() {
        assert_eq!(
            text_field("text", "  <img src=x onerror=alert(1)>  ", 10, 5_000).ok(),
            Some("<img src=x onerror=alert(1)>".into())
        );
        assert!(text_field("text", "too short", 10, 5_000).is_err());
        assert!(text_field("title", &"é".repeat(120), 1, 120).is_ok());
        assert!(text_field("title", &"é".repeat(121), 1, 120).is_err());
        assert!(text_field("title", "   ", 1, 120).is_err());
        assert!(text_field("title", "bell\u{7}", 1, 120).is_err());
        assert!(text_field("text", "line one\nline two", 10, 5_000).is_ok());
    }

    #[test]
    fn emails_follow_the_html_rule() {
        for good in [
            "camille@cairn.example",
            "a.b+c@x.co",
            "  o'neil@mail.example  ",
        ] {
            assert!(email(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "camille",
            "camille@",
            "@cairn.example",
            "camille@cairn",
            "camille@-cairn.example",
            "cam ille@cairn.example",
            "camille@cairn..example",
            "<script>@x.example",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(page_size(None), Ok(DEFAULT_PAGE_SIZE));
        assert_eq!(page_size(Some("50")), Ok(50));
        assert!(page_size(Some("0")).is_err());
        assert!(page_size(Some("51")).is_err());
        assert!(page_size(Some("ten")).is_err());
    }

    #[test]
    fn only_happy_reviewers_are_sent_to_the_hub() {
        assert!(!invites_to_review_hub(3));
        assert!(invites_to_review_hub(4));
        assert!(invites_to_review_hub(5));
    }
}
