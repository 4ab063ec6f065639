//! Share links: which pages may be shared (never anything off the site: no open
//! redirect), how a landing page learns it came through a link, and which visits count.

use crate::DAY_MS;
use crate::error::{Error, Result};
use crate::site::Site;

/// The query parameter the redirect adds, so the landing page can report the visit.
pub const MARKER_PARAM: &str = "pv_share";
/// Longest URL that can be shared.
pub const MAX_URL_CHARS: usize = 2_048;

/// Words in a user agent that give away a robot or a link previewer: these fetch the short
/// link to draw a preview or index it, they are not friends visiting.
const BOT_MARKERS: [&str; 24] = [
    "bot",
    "crawl",
    "spider",
    "slurp",
    "preview",
    "facebookexternalhit",
    "whatsapp",
    "telegram",
    "skype",
    "embedly",
    "headless",
    "lighthouse",
    "pagespeed",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "go-http-client",
    "node-fetch",
    "axios/",
    "okhttp",
    "java/",
    "libwww",
    "scrapy",
];

/// Whether a request comes from a robot or a link previewer (or hides who it is).
pub fn is_bot(user_agent: Option<&str>) -> bool {
    let Some(agent) = user_agent.map(str::trim).filter(|agent| !agent.is_empty()) else {
        return true;
    };
    let agent = agent.to_ascii_lowercase();
    BOT_MARKERS.iter().any(|marker| agent.contains(marker))
}

/// A URL the site may have shared: `http(s)`, on one of its allowed origins, with nothing
/// in its authority (credentials, backslashes) that could send a browser elsewhere.
pub fn shareable_url(site: &Site, url: &str) -> Result<String> {
    page_on_origins(&site.allowed_origins, url).ok_or_else(|| {
        Error::field(
            "url",
            "url must be an http(s) page on one of the site's allowed origins",
        )
    })
}

/// `url`, trimmed, if it is an `http(s)` page on one of `allowed_origins` (as a site
/// stores them: lower case, no trailing slash) with nothing in its authority that could
/// send a browser elsewhere; `None` otherwise. Checks a share's URL as it is shared and a
/// referral programme's landing page as it is saved.
pub fn page_on_origins(allowed_origins: &[String], url: &str) -> Option<String> {
    let url = url.trim();
    // Only what RFC 3986 allows, as a browser's `location.href` has it: anything else
    // (spaces, quotes, angle brackets, backslashes, raw Unicode) is refused.
    let well_formed = url
        .bytes()
        .all(|byte| byte.is_ascii_graphic() && !b"<>\"{}|\\^`".contains(&byte));
    if url.len() > MAX_URL_CHARS || !well_formed {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return None;
    }
    let authority = rest
        .split(['/', '?', '#'])
        .next()
        .filter(|authority| !authority.is_empty() && !authority.contains('@'))?;
    let origin = format!("{scheme}://{authority}").to_ascii_lowercase();
    allowed_origins.contains(&origin).then(|| url.to_owned())
}

/// The page to send a link's visitor to: the shared URL with [`MARKER_PARAM`] added to its
/// query, before any fragment.
pub fn landing_url(url: &str, code: &str) -> String {
    landing_url_with(url, MARKER_PARAM, code)
}

/// `url` with `param=value` added to its query, before any fragment.
pub fn landing_url_with(url: &str, param: &str, value: &str) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (url, None),
    };
    let separator = if before_fragment.contains('?') {
        '&'
    } else {
        '?'
    };
    let mut landing = format!("{before_fragment}{separator}{param}={value}");
    if let Some(fragment) = fragment {
        landing.push('#');
        landing.push_str(fragment);
    }
    landing
}

/// The places a link can be shared to without a native share sheet. Plain intent URLs:
/// no third-party script, no tracker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The visitor's mail app.
    Email,
    /// The phone's messages app.
    Sms,
    /// WhatsApp.
    WhatsApp,
    /// X (Twitter).
    X,
    /// Facebook.
    Facebook,
    /// LinkedIn.
    LinkedIn,
}

impl Channel {
    /// Every channel, in the order the widget shows them.
    pub const ALL: [Channel; 6] = [
        Channel::Email,
        Channel::Sms,
        Channel::WhatsApp,
        Channel::X,
        Channel::Facebook,
        Channel::LinkedIn,
    ];

    /// A stable name, for `data-` attributes and analytics.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::WhatsApp => "whatsapp",
            Channel::X => "x",
            Channel::Facebook => "facebook",
            Channel::LinkedIn => "linkedin",
        }
    }

    /// The URL that opens this channel with `text` and `link` ready to send; `subject`
    /// is the email's subject.
    pub fn intent(self, link: &str, text: &str, subject: &str) -> String {
        let encode = |value: &str| {
            percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
        };
        let message = format!("{text} {link}");
        match self {
            Channel::Email => format!(
                "mailto:?subject={}&body={}",
                encode(subject),
                encode(&format!("{text}\n\n{link}"))
            ),
            Channel::Sms => format!("sms:?&body={}", encode(&message)),
            Channel::WhatsApp => format!("https://wa.me/?text={}", encode(&message)),
            Channel::X => format!(
                "https://x.com/intent/post?text={}&url={}",
                encode(text),
                encode(link)
            ),
            Channel::Facebook => {
                format!(
                    "https://www.facebook.com/sharer/sharer.php?u={}",
                    encode(link)
                )
            }
            Channel::LinkedIn => format!(
                "https://www.linkedin.com/sharing/share-offsite/?url={}",
                encode(link)
            ),
        }
    }
}

/// The page a widget shares when its element names none: the current page without the
/// share marker and fragment.
pub fn page_to_share(href: &str) -> String {
    let without_fragment = href.split('#').next().unwrap_or_default();
    let Some((path, query)) = without_fragment.split_once('?') else {
        return without_fragment.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(MARKER_PARAM))
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// A link code as the store makes them: 12 lowercase hex characters.
pub fn code(value: &str) -> Result<()> {
    let valid = value.len() == 12
        && value
            .bytes()
            .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
    if valid {
        Ok(())
    } else {
        Err(Error::UnknownShare)
    }
}

/// The UTC day of a Unix-ms time, as days since 1970-01-01: visits count once per day.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// The Unix-ms start of the UTC day of `ms`: daily caps count from there.
pub fn day_start(ms: i64) -> i64 {
    day_of(ms) * DAY_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::hex_sha256;
    use crate::store::SiteRow;

    fn site() -> Site {
        Site::from_row(SiteRow {
            id: "cairn".into(),
            name: "Cairn".into(),
            allowed_origins: r#"["https://cairn.example", "http://127.0.0.1:8080"]"#.into(),
            admin_token_sha256: hex_sha256(b"x"),
            customer_token_secret: "s".into(),
            config: "{}".into(),
            turnstile_secret: None,
        })
        .expect("valid site")
    }

    #[test]
    fn only_pages_of_the_site_can_be_shared() {
        let site = site();
        for good in [
            "https://cairn.example/",
            "https://cairn.example/tentes?ref=1#avis",
            "http://127.0.0.1:8080/",
            "HTTPS://Cairn.example/offre",
        ] {
            assert!(shareable_url(&site, good).is_ok(), "{good}");
        }
        for bad in [
            "https://evil.example/",
            "https://cairn.example.evil.example/",
            "https://cairn.example@evil.example/",
            "https://evil.example\\@cairn.example/",
            "https:\\\\evil.example",
            "//evil.example/",
            "javascript:alert(1)",
            "https://cairn.example:444/",
            "https://cairn.example/ spaced",
            "https://cairn.example/<script>",
            "https://cairn.example/\"onmouseover=",
            "",
        ] {
            assert!(shareable_url(&site, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_landing_url_carries_the_code_before_the_fragment() {
        assert_eq!(
            landing_url("https://cairn.example/tente", "0a1b2c3d4e5f"),
            "https://cairn.example/tente?pv_share=0a1b2c3d4e5f"
        );
        assert_eq!(
            landing_url("https://cairn.example/tente?x=1#avis", "0a1b2c3d4e5f"),
            "https://cairn.example/tente?x=1&pv_share=0a1b2c3d4e5f#avis"
        );
    }

    #[test]
    fn robots_and_previewers_are_known_by_their_user_agent() {
        for bot in [
            None,
            Some(""),
            Some("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
            Some("facebookexternalhit/1.1"),
            Some("WhatsApp/2.23.20.0"),
            Some(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0",
            ),
            Some("curl/8.5.0"),
        ] {
            assert!(is_bot(bot), "{bot:?}");
        }
        let person = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert!(!is_bot(Some(person)));
    }

    #[test]
    fn intents_carry_the_link_encoded_and_no_script() {
        let link = "https://portevoix.example/s/0a1b2c3d4e5f";
        let whatsapp = Channel::WhatsApp.intent(link, "Regarde ça & dis-moi", "Cairn");
        assert_eq!(
            whatsapp,
            "https://wa.me/?text=Regarde%20%C3%A7a%20%26%20dis%2Dmoi%20https%3A%2F%2Fportevoix%2Eexample%2Fs%2F0a1b2c3d4e5f"
        );
        let email = Channel::Email.intent(link, "Regarde", "Cairn");
        assert!(email.starts_with("mailto:?subject=Cairn&body=Regarde%0A%0Ahttps%3A"));
        for channel in Channel::ALL {
            let intent = channel.intent(link, "<script>", "x");
            assert!(!intent.contains('<'), "{intent}");
        }
    }

    #[test]
    fn the_shared_page_drops_the_marker_and_fragment() {
        assert_eq!(
            page_to_share("https://cairn.example/t?pv_share=0a1b2c3d4e5f&x=1#avis"),
            "https://cairn.example/t?x=1"
        );
        assert_eq!(
            page_to_share("https://cairn.example/t?pv_share=0a1b2c3d4e5f"),
            "https://cairn.example/t"
        );
        assert_eq!(
            page_to_share("https://cairn.example/"),
            "https://cairn.example/"
        );
    }

    #[test]
    fn codes_and_days() {
        assert!(code("0a1b2c3d4e5f").is_ok());
        assert!(code("0A1B2C3D4E5F").is_err());
        assert!(code("../../etc").is_err());
        assert_eq!(day_of(86_400_000 * 3 + 5), 3);
        assert_eq!(day_start(86_400_000 * 3 + 5), 86_400_000 * 3);
    }
}
