//! schema.org markup for a product's published questions: each a `Question` about the
//! product, with its answers as `suggestedAnswer`, so search engines can show them.

use serde_json::{Value, json};

use crate::review::markup::iso_day;
use crate::wire::QuestionPage;

/// The `data-` attribute of the JSON-LD script the widget keeps in the host page.
pub const JSON_LD_ATTRIBUTE: &str = "data-portevoix-qa-jsonld";

/// A `@graph` of `Question`s, each `about` the product and carrying its `answerCount` and
/// answers (`upvoteCount` is their helpful votes). Empty graph without questions.
pub fn json_ld(page: &QuestionPage, product_name: Option<&str>) -> Value {
    let name = product_name
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or(&page.product);
    let questions: Vec<Value> = page
        .questions
        .iter()
        .map(|question| {
            json!({
                "@type": "Question",
                "name": question.text,
                "text": question.text,
                "dateCreated": iso_day(question.created_at),
                "author": { "@type": "Person", "name": question.author_name },
                "answerCount": question.answers.len(),
                "about": { "@type": "Product", "name": name, "sku": page.product },
                "suggestedAnswer": question.answers.iter().map(|answer| json!({
                    "@type": "Answer",
                    "text": answer.text,
                    "dateCreated": iso_day(answer.created_at),
                    "upvoteCount": answer.helpful_count,
                    "author": {
                        "@type": if answer.badge == crate::qa::Badge::Brand { "Organization" } else { "Person" },
                        "name": answer.author_name
                    }
                })).collect::<Vec<Value>>(),
            })
        })
        .collect();
    json!({ "@context": "https://schema.org", "@graph": questions })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::Badge;
    use crate::wire::{PublicAnswer, PublicQuestion};

    #[test]
    fn questions_are_schema_org_questions_about_the_product() {
        let page = QuestionPage {
            product: "tent-2p".into(),
            q: None,
            questions: vec![PublicQuestion {
                id: "q1".into(),
                text: "Tient-elle le vent ?".into(),
                author_name: "Alex".into(),
                created_at: 1_764_500_000_000,
                helpful_total: 3,
                answers: vec![PublicAnswer {
                    id: "a1".into(),
                    text: "Oui, à 80 km/h.".into(),
                    author_name: "Cairn".into(),
                    badge: Badge::Brand,
                    created_at: 1_764_600_000_000,
                    helpful_count: 3,
                }],
            }],
            next_cursor: None,
        };
        let ld = json_ld(&page, Some("Tente Cairn 2"));
        let question = &ld["@graph"][0];
        assert_eq!(ld["@context"], "https://schema.org");
        assert_eq!(question["@type"], "Question");
        assert_eq!(question["answerCount"], 1);
        assert_eq!(question["about"]["name"], "Tente Cairn 2");
        assert_eq!(question["suggestedAnswer"][0]["@type"], "Answer");
        assert_eq!(question["suggestedAnswer"][0]["upvoteCount"], 3);
        assert_eq!(
            question["suggestedAnswer"][0]["author"]["@type"],
            "Organization"
        );
    }
}
