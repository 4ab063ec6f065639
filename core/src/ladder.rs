//! The advocate ladder: the six levels of customer collaboration from PRODUCT.md, from a
//! message to customer service up to co-designing in the brand's private panel, and an
//! advocacy score that ranks advocates on the same level.

use serde::{Deserialize, Serialize};

/// What a known customer has done for the brand, as counted from the stored data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// NPS answers given.
    pub nps_answers: u64,
    /// Of those, 9s and 10s.
    pub promoter_answers: u64,
    /// Reviews published.
    pub published_reviews: u64,
    /// Answers to prospects published.
    pub published_answers: u64,
    /// Helpful votes on their published answers and reviews.
    pub helpful_votes: u64,
    /// Counted visits their share links brought.
    pub share_visits: u64,
    /// Member of the brand's private panel.
    pub panel: bool,
}

/// The highest rung reached, 1 to 6. Every known customer stands at least on the first
/// (they are in contact with the brand).
pub fn level(activity: &Activity) -> u8 {
    if activity.panel {
        6
    } else if activity.share_visits > 0 {
        5
    } else if activity.published_answers > 0 {
        4
    } else if activity.published_reviews > 0 {
        3
    } else if activity.nps_answers > 0 {
        2
    } else {
        1
    }
}

/// What a rung of the ladder means, for the brand's console.
pub fn level_name(level: u8) -> &'static str {
    match level {
        6 => "Panel member",
        5 => "Brings friends",
        4 => "Helps prospects",
        3 => "Reviewer",
        2 => "Gave feedback",
        _ => "In contact",
    }
}

/// The advocacy score: each act weighted by the effort it takes and the reach it has, so
/// that the leaderboard lists first the customers who do most for the brand.
pub fn score(activity: &Activity) -> u64 {
    activity.nps_answers
        + activity.promoter_answers * 2
        + activity.published_reviews * 10
        + activity.published_answers * 15
        + activity.helpful_votes * 2
        + activity.share_visits * 5
        + if activity.panel { 50 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rung_takes_its_act() {
        let mut activity = Activity::default();
        assert_eq!(level(&activity), 1);
        activity.nps_answers = 1;
        assert_eq!(level(&activity), 2);
        activity.published_reviews = 1;
        assert_eq!(level(&activity), 3);
        activity.published_answers = 1;
        assert_eq!(level(&activity), 4);
        activity.share_visits = 1;
        assert_eq!(level(&activity), 5);
        activity.panel = true;
        assert_eq!(level(&activity), 6);
    }

    #[test]
    fn the_highest_act_sets_the_level_even_without_the_lower_ones() {
        let sharer = Activity {
            share_visits: 3,
            ..Activity::default()
        };
        assert_eq!(level(&sharer), 5);
    }

    #[test]
    fn the_score_weighs_effort_and_reach() {
        let promoter = Activity {
            nps_answers: 1,
            promoter_answers: 1,
            ..Activity::default()
        };
        let answerer = Activity {
            published_answers: 1,
            helpful_votes: 4,
            ..Activity::default()
        };
        assert_eq!(score(&promoter), 3);
        assert_eq!(score(&answerer), 23);
        assert!(score(&answerer) > score(&promoter));
    }
}
