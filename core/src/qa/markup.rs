//! schema.org markup for a product's published questions: each a `Question` about the
//! product, with its answers as `suggestedAnswer`, so search engines can show them.

use serde::Serialize;

use crate::qa::Badge;
use crate::review::markup::{Named, iso_day};
use crate::wire::QuestionPage;

/// The `data-` attribute of the JSON-LD script the widget keeps in the host page.
pub const JSON_LD_ATTRIBUTE: &str = "data-portevoix-qa-jsonld";

/// A schema.org `@graph` of a product's questions, typed so that the widgets write it with
/// the browser's `JSON.stringify` (see [`crate::review::markup::ProductLd`]).
#[derive(Serialize)]
pub struct QuestionsLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: Vec<QuestionLd<'a>>,
}

/// schema.org `Question`, about the product, with its answers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QuestionLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    text: &'a str,
    date_created: String,
    author: Named<'a>,
    answer_count: usize,
    about: ProductRef<'a>,
    suggested_answer: Vec<AnswerLd<'a>>,
}

/// The product a question is about.
#[derive(Serialize)]
struct ProductRef<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    sku: &'a str,
}

/// schema.org `Answer`; the brand's own answers are by an `Organization`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AnswerLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: &'a str,
    date_created: String,
    upvote_count: u64,
    author: Named<'a>,
}

/// A `@graph` of `Question`s, each `about` the product and carrying its `answerCount` and
/// answers (`upvoteCount` is their helpful votes). Empty graph without questions.
pub fn json_ld<'a>(page: &'a QuestionPage, product_name: Option<&'a str>) -> QuestionsLd<'a> {
    let name = product_name
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or(&page.product);
    let graph = page
        .questions
        .iter()
        .map(|question| QuestionLd {
            kind: "Question",
            name: &question.text,
            text: &question.text,
            date_created: iso_day(question.created_at),
            author: Named::new("Person", &question.author_name),
            answer_count: question.answers.len(),
            about: ProductRef {
                kind: "Product",
                name,
                sku: &page.product,
            },
            suggested_answer: question
                .answers
                .iter()
                .map(|answer| AnswerLd {
                    kind: "Answer",
                    text: &answer.text,
                    date_created: iso_day(answer.created_at),
                    upvote_count: answer.helpful_count,
                    author: Named::new(
                        if answer.badge == Badge::Brand {
                            "Organization"
                        } else {
                            "Person"
                        },
                        &answer.author_name,
                    ),
                })
                .collect(),
        })
        .collect();
    QuestionsLd {
        context: "https://schema.org",
        graph,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let ld = serde_json::to_value(json_ld(&page, Some("Tente Cairn 2"))).expect("JSON");
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
