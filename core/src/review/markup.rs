//! What search engines and script-less crawlers read: schema.org `Product` JSON-LD with
//! `aggregateRating` and `review`, and a server-rendered HTML fragment of the same reviews
//! that a brand's server can put into its page. The widget inserts the same JSON-LD, and
//! takes over the fragment (see `data-portevoix-initial`) instead of drawing it twice.

use serde::Serialize;

use crate::copy::{Copy, Text};
use crate::review::STARS;
use crate::wire::{PublicReview, ReviewPage};

/// The `data-` attribute of the JSON-LD script, naming its product, so a widget finds the
/// one a server already put in the page instead of adding a second.
pub const JSON_LD_ATTRIBUTE: &str = "data-portevoix-jsonld";
/// The `data-` attribute of the script carrying the fragment's [`ReviewPage`] as JSON.
pub const INITIAL_ATTRIBUTE: &str = "data-portevoix-initial";

/// `YYYY-MM-DD` (UTC) of a Unix-ms time, as schema.org dates are written. Written out by
/// hand rather than through `time`'s formatter, which would add kilobytes to the widgets.
pub fn iso_day(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map(|moment| {
            let date = moment.date();
            format!(
                "{:04}-{:02}-{:02}",
                date.year(),
                u8::from(date.month()),
                date.day()
            )
        })
        .unwrap_or_default()
}

/// Stars as text, e.g. `★★★★☆`, for places where no styling can be relied on.
pub fn star_text(rating: u8) -> String {
    STARS
        .map(|star| if star <= rating { '★' } else { '☆' })
        .collect()
}

/// A schema.org node's `@type` and `name`: an author, or the product a question is about.
#[derive(Serialize)]
pub struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

impl<'a> Named<'a> {
    /// A node of schema.org type `kind` called `name`.
    pub fn new(kind: &'static str, name: &'a str) -> Self {
        Self { kind, name }
    }
}

/// The schema.org `Product` for a page of reviews, written out by serde: typed fields
/// rather than a `serde_json::Value`, so the widgets can write it with the browser's
/// `JSON.stringify` and carry no JSON library of their own.
#[derive(Serialize)]
pub struct ProductLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    sku: &'a str,
    #[serde(rename = "aggregateRating", skip_serializing_if = "Option::is_none")]
    aggregate_rating: Option<AggregateRatingLd>,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<Vec<ReviewLd<'a>>>,
}

/// schema.org `AggregateRating`, on a scale of one to five stars.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AggregateRatingLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(serialize_with = "js_number")]
    rating_value: f64,
    review_count: u64,
    best_rating: u8,
    worst_rating: u8,
}

/// A whole number written as an integer (`4`, not serde_json's `4.0`), as JavaScript
/// writes it: the server's JSON-LD and the widgets' are then the same text, and a widget
/// finds nothing to rewrite in the script the server put in the page.
fn js_number<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;
    if value.fract() == 0.0 && value.abs() < EXACT_INTEGERS {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

/// schema.org `Review` of one published review.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReviewLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    review_body: &'a str,
    date_published: String,
    author: Named<'a>,
    review_rating: RatingLd,
}

/// schema.org `Rating` of one review.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RatingLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    rating_value: u8,
    best_rating: u8,
    worst_rating: u8,
}

fn review_ld(review: &PublicReview) -> ReviewLd<'_> {
    ReviewLd {
        kind: "Review",
        name: &review.title,
        review_body: &review.text,
        date_published: iso_day(review.created_at),
        author: Named::new("Person", &review.author_name),
        review_rating: RatingLd {
            kind: "Rating",
            rating_value: review.rating,
            best_rating: 5,
            worst_rating: 1,
        },
    }
}

/// The schema.org `Product` for a page of reviews. `aggregateRating` is left out while
/// there is no published review: search engines reject a rating of nothing.
pub fn json_ld<'a>(page: &'a ReviewPage, product_name: Option<&'a str>) -> ProductLd<'a> {
    let name = product_name
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or(&page.product);
    let rated = page.summary.average.map(|average| AggregateRatingLd {
        kind: "AggregateRating",
        rating_value: average,
        review_count: page.summary.count,
        best_rating: 5,
        worst_rating: 1,
    });
    ProductLd {
        context: "https://schema.org",
        kind: "Product",
        name,
        sku: &page.product,
        review: rated
            .is_some()
            .then(|| page.reviews.iter().map(review_ld).collect()),
        aggregate_rating: rated,
    }
}

/// `value` as JSON safe to put between `<script>` tags (see [`script_safe`]).
pub fn script_json(value: &impl Serialize) -> String {
    script_safe(&serde_json::to_string(value).unwrap_or_default())
}

/// JSON text made safe to put between `<script>` tags: `<`, `>`, `&` and the JavaScript
/// line separators are escaped, so no text inside can close the script. Apart from
/// [`script_json`] so that the widgets can write the JSON with the browser's own writer.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Text made safe for HTML content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// "12 reviews" / "1 review".
pub fn count_text(count: u64, copy: &Copy) -> String {
    copy.count(count, Text::ReviewCountOne, Text::ReviewCountOther)
}

/// The server-rendered fragment: heading, summary, the page's reviews with their brand
/// replies, the JSON-LD, and the page as JSON for the widget to take over. Every text
/// written by a visitor or the brand is escaped.
pub fn html_fragment(page: &ReviewPage, product_name: Option<&str>, copy: &Copy) -> String {
    let mut html = format!(
        "<section class=\"pv-reviews\" lang=\"{lang}\" data-portevoix-reviews=\"{product}\">\
         <script type=\"application/ld+json\" {JSON_LD_ATTRIBUTE}=\"{product}\">{json_ld}</script>\
         <script type=\"application/json\" {INITIAL_ATTRIBUTE}>{initial}</script>\
         <h2>{heading}</h2>",
        lang = copy.locale().tag(),
        product = escape_html(&page.product),
        json_ld = script_json(&json_ld(page, product_name)),
        initial = script_json(page),
        heading = escape_html(&copy.text(Text::ReviewHeading)),
    );
    match page.summary.average {
        Some(average) => html.push_str(&format!(
            "<p class=\"pv-reviews-summary\"><span role=\"img\" aria-label=\"{label}\">{stars}</span> \
             {average_text} · {count}</p>",
            label = escape_html(&copy.text_with(
                Text::ReviewAverage,
                &[("average", &copy.decimal(average))]
            )),
            stars = star_text(average.round() as u8),
            average_text = escape_html(&copy.text_with(
                Text::ReviewAverage,
                &[("average", &copy.decimal(average))]
            )),
            count = escape_html(&count_text(page.summary.count, copy)),
        )),
        None => html.push_str(&format!(
            "<p class=\"pv-reviews-summary\">{}</p>",
            escape_html(&copy.text(Text::ReviewNone))
        )),
    }
    html.push_str("<ol class=\"pv-reviews-list\">");
    for review in &page.reviews {
        html.push_str(&format!(
            "<li><article><p><span role=\"img\" aria-label=\"{label}\">{stars}</span> \
             <strong>{title}</strong></p><p>{text}</p><p>{author} · \
             <time datetime=\"{day}\">{day}</time>{verified}</p>",
            label = escape_html(
                &copy.text_with(Text::ReviewRated, &[("rating", &review.rating.to_string())])
            ),
            stars = star_text(review.rating),
            title = escape_html(&review.title),
            text = escape_html(&review.text),
            author = escape_html(&review.author_name),
            day = iso_day(review.created_at),
            verified = if review.verified {
                format!(" · {}", escape_html(&copy.text(Text::ReviewVerified)))
            } else {
                String::new()
            },
        ));
        if let Some(reply) = &review.reply {
            html.push_str(&format!(
                "<blockquote><p><strong>{from}</strong></p><p>{text}</p></blockquote>",
                from = escape_html(&copy.text(Text::ReviewReply)),
                text = escape_html(&reply.text),
            ));
        }
        html.push_str("</article></li>");
    }
    html.push_str("</ol></section>");
    html
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::dict::Dict;

    use super::*;
    use crate::locale::Locale;
    use crate::review::ReviewSort;
    use crate::wire::{BrandReply, ReviewSummary};

    fn as_value(ld: ProductLd<'_>) -> Value {
        serde_json::to_value(ld).expect("JSON-LD is JSON")
    }

    const HOSTILE: &str = "<img src=x onerror=alert(1)></script><script>alert(2)</script>";

    fn page(reviews: Vec<PublicReview>) -> ReviewPage {
        let count = reviews.len() as u64;
        let sum: u64 = reviews.iter().map(|review| u64::from(review.rating)).sum();
        ReviewPage {
            product: "tent-2p".into(),
            sort: ReviewSort::Newest,
            rating: None,
            summary: ReviewSummary {
                count,
                average: (count > 0).then(|| sum as f64 / count as f64),
                histogram: Dict::new(),
            },
            reviews,
            next_cursor: None,
        }
    }

    fn review(rating: u8, text: &str) -> PublicReview {
        PublicReview {
            id: "0123456789abcdef0123456789abcdef".into(),
            rating,
            title: "Solide".into(),
            text: text.into(),
            author_name: "Camille".into(),
            verified: true,
            created_at: 1_764_500_000_000,
            helpful_count: 0,
            reply: Some(BrandReply {
                text: "Merci Camille !".into(),
                created_at: 1_764_600_000_000,
            }),
        }
    }

    #[test]
    fn json_ld_is_a_schema_org_product_with_its_rating() {
        let reviewed = page(vec![review(5, "Parfait"), review(4, "Bien")]);
        let ld = as_value(json_ld(&reviewed, Some("Tente Cairn 2")));
        assert_eq!(ld["@context"], "https://schema.org");
        assert_eq!(ld["@type"], "Product");
        assert_eq!(ld["name"], "Tente Cairn 2");
        assert_eq!(ld["aggregateRating"]["@type"], "AggregateRating");
        assert_eq!(ld["aggregateRating"]["ratingValue"], 4.5);
        assert_eq!(ld["aggregateRating"]["reviewCount"], 2);
        assert_eq!(ld["review"][0]["@type"], "Review");
        assert_eq!(ld["review"][0]["reviewRating"]["ratingValue"], 5);
        assert_eq!(ld["review"][0]["author"]["name"], "Camille");
        assert_eq!(ld["review"][0]["datePublished"], "2025-11-30");
    }

    #[test]
    fn a_whole_average_is_written_as_javascript_writes_it() {
        let even = page(vec![review(5, "Parfait"), review(3, "Moyen")]);
        let json = script_json(&json_ld(&even, None));
        assert!(json.contains(r#""ratingValue":4,"#), "{json}");
        let uneven = page(vec![review(5, "Parfait"), review(4, "Bien")]);
        assert!(script_json(&json_ld(&uneven, None)).contains(r#""ratingValue":4.5,"#));
    }

    #[test]
    fn days_are_utc_calendar_dates() {
        assert_eq!(iso_day(0), "1970-01-01");
        assert_eq!(iso_day(-1), "1969-12-31");
        assert_eq!(iso_day(951_782_400_000), "2000-02-29");
        assert_eq!(iso_day(1_767_225_599_999), "2025-12-31");
        assert_eq!(iso_day(i64::MAX), "", "out of the calendar's range");
    }

    #[test]
    fn a_product_without_reviews_claims_no_rating() {
        let unreviewed = page(Vec::new());
        let ld = as_value(json_ld(&unreviewed, None));
        assert_eq!(ld["name"], "tent-2p");
        assert!(ld.get("aggregateRating").is_none());
        assert!(ld.get("review").is_none());
    }

    #[test]
    fn script_json_cannot_close_its_script() {
        let escaped = script_json(&json!({ "text": HOSTILE }));
        assert!(!escaped.contains('<'));
        assert!(!escaped.contains('>'));
        let back: Value = serde_json::from_str(&escaped).expect("still JSON");
        assert_eq!(back["text"], HOSTILE);
    }

    #[test]
    fn the_fragment_escapes_every_visitor_text() {
        let copy = Copy::new(Locale::EN, "Cairn", &Dict::new());
        let mut hostile = review(1, HOSTILE);
        hostile.title = HOSTILE.into();
        hostile.author_name = HOSTILE.into();
        let html = html_fragment(&page(vec![hostile]), Some(HOSTILE), &copy);
        assert!(!html.contains("<img"));
        assert!(!html.contains("<script>alert"));
        assert_eq!(html.matches("<script").count(), 2, "only our two scripts");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    #[test]
    fn the_fragment_speaks_the_language_it_is_asked_in() {
        let french = Locale::from_tag("fr").expect("French is shipped");
        let copy = Copy::new(french, "Cairn", &Dict::new());
        let html = html_fragment(
            &page(vec![review(5, "Parfait"), review(4, "Bien")]),
            None,
            &copy,
        );
        assert!(html.contains("lang=\"fr\""));
        assert!(html.contains("4,5"), "{html}");
        assert!(html.contains("Achat vérifié"), "{html}");
        assert!(html.contains("Merci Camille !"));
    }
}
