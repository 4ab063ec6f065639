//! Every string a visitor reads in a widget. The texts live in `core/locales/*.toml`, one
//! file per language; a brand's per-language overrides from its site configuration take
//! precedence, and English stands in for a string a language file lacks.

use crate::dict::Dict;
use crate::locale::Locale;
use crate::nps::Category;

/// A visible string. Its [`Text::key`] is the name brands use to override it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// The NPS question; `{brand}` is replaced by the brand's name.
    NpsQuestion,
    /// Label under score 0.
    NpsLowEnd,
    /// Label under score 10.
    NpsHighEnd,
    /// Comment prompt for promoters.
    NpsCommentPromoter,
    /// Comment prompt for passives.
    NpsCommentPassive,
    /// Comment prompt for detractors.
    NpsCommentDetractor,
    /// Marks the comment as optional.
    Optional,
    /// Send button.
    Send,
    /// Send button while sending.
    Sending,
    /// Heading after a successful answer.
    Thanks,
    /// Follow-up for promoters.
    NpsFollowUpPromoter,
    /// Link inviting promoters to write a review.
    NpsReviewLink,
    /// Link inviting promoters to share.
    NpsShareLink,
    /// Link inviting promoters to refer a friend.
    NpsReferralLink,
    /// Follow-up for passives.
    NpsFollowUpPassive,
    /// Follow-up for detractors.
    NpsFollowUpDetractor,
    /// Link to the brand's contact page.
    ContactLink,
    /// Shown when the answer could not reach the server; it is kept for a retry.
    NetworkError,
    /// Shown when the worker asked to slow down; the answer is kept and sent after the wait.
    HeldError,
    /// Retry button.
    Retry,
    /// Button that asks again for a list that could not be loaded.
    LoadAgain,
    /// Shown when the server refused the answer; details go to the page's developer.
    Refused,
    /// Shown when the widget cannot load its configuration.
    LoadError,
    /// Characters used out of the maximum, e.g. `12 / 2000`.
    CharacterCount,
    /// The character count once the comment is over the maximum.
    CommentTooLong,
    /// Under a name or title longer than its `{max}` characters.
    TooLong,
    /// The credit line, shown only when the site asks for it.
    PoweredBy,
    /// Separates whole and tenths in averages.
    DecimalSeparator,
    /// Between groups of three digits (`12,345`; a narrow no-break space in French).
    GroupSeparator,
    /// A short date: `{day}`, `{month}` (from [`Text::MonthsShort`]) and `{year}`.
    DateShort,
    /// The twelve short month names, January first, separated by `|`.
    MonthsShort,
    /// Heading of the reviews widget.
    ReviewHeading,
    /// The average rating, `{average}` filled in.
    ReviewAverage,
    /// Review count when there is exactly one.
    ReviewCountOne,
    /// Review count otherwise.
    ReviewCountOther,
    /// Shown before the first published review.
    ReviewNone,
    /// Spoken label of a review's stars.
    ReviewRated,
    /// Spoken label of one histogram bar.
    ReviewHistogramRow,
    /// Badge of a verified purchase.
    ReviewVerified,
    /// Heading of the brand's reply.
    ReviewReply,
    /// Helpful button with its count.
    ReviewHelpful,
    /// Label of the sort menu.
    ReviewSortLabel,
    /// Sort option.
    ReviewSortNewest,
    /// Sort option.
    ReviewSortHelpful,
    /// Sort option.
    ReviewSortRatingHigh,
    /// Sort option.
    ReviewSortRatingLow,
    /// Says the list holds one rating's reviews only, `{stars}` filled in.
    ReviewFilterShowing,
    /// Takes the rating filter off.
    ReviewFilterClear,
    /// Loads the next page.
    ReviewMore,
    /// Opens the review form.
    ReviewWrite,
    /// Legend of the star radio group.
    ReviewFormRating,
    /// Spoken label of one star choice.
    ReviewFormStar,
    /// Title field label.
    ReviewFormTitle,
    /// Text field label.
    ReviewFormText,
    /// Display-name field label.
    ReviewFormName,
    /// Email field label.
    ReviewFormEmail,
    /// Consent box for keeping the email.
    ReviewFormConsent,
    /// Closes a form without sending it.
    Cancel,
    /// Sends the review.
    ReviewFormSubmit,
    /// No star chosen.
    ReviewErrorRating,
    /// Missing title.
    ReviewErrorTitle,
    /// Text too short or too long.
    ReviewErrorText,
    /// Missing name.
    ReviewErrorName,
    /// Malformed email.
    ReviewErrorEmail,
    /// Email given without consent.
    ReviewErrorConsent,
    /// The customer already reviewed the product.
    ReviewErrorAlready,
    /// The customer token was refused.
    ReviewErrorToken,
    /// After sending, when moderation follows.
    ReviewThanksPending,
    /// After sending, when published at once.
    ReviewThanksPublished,
    /// Invitation to post on external review sites.
    ReviewHubInvite,
    /// Link to one external review site.
    ReviewHubLink,
    /// The reviews cannot be loaded.
    ReviewLoadError,
    /// Heading of the Q&A widget.
    QaHeading,
    /// Label of the search box.
    QaSearchLabel,
    /// No question matches the search.
    QaSearchNone,
    /// No question shown matches the search, and the worker is yet to answer it.
    QaSearching,
    /// Said to screen readers once the worker has answered a search: how many questions
    /// shown match it, when exactly one.
    QaSearchFoundOne,
    /// The same, for any other number.
    QaSearchFoundOther,
    /// Shown before the first published question.
    QaNone,
    /// Answer count when there is exactly one.
    QaAnswerCountOne,
    /// Answer count otherwise.
    QaAnswerCountOther,
    /// Who asked, with the date.
    QaAskedBy,
    /// Badge of an answer by a buyer of the product.
    QaBadgeVerifiedBuyer,
    /// Badge of an answer by another customer.
    QaBadgeCustomer,
    /// Badge of the brand's answer.
    QaBadgeBrand,
    /// Badge of an answer nobody vouches for.
    QaBadgeAnonymous,
    /// A published question without answers.
    QaNoAnswer,
    /// Opens the answer form of a question.
    QaAnswer,
    /// Loads the next page.
    QaMore,
    /// Opens the question form.
    QaAsk,
    /// Question field label.
    QaFormQuestion,
    /// Answer field label.
    QaFormAnswer,
    /// Display-name field label.
    QaFormName,
    /// Email field label.
    QaFormEmail,
    /// Consent box for the answer notification.
    QaFormConsent,
    /// Sends the question.
    QaFormSubmitQuestion,
    /// Sends the answer.
    QaFormSubmitAnswer,
    /// Text too short or too long.
    QaErrorText,
    /// Missing name.
    QaErrorName,
    /// Malformed email.
    QaErrorEmail,
    /// Email given without consent.
    QaErrorConsent,
    /// The customer token was refused.
    QaErrorToken,
    /// Only known customers may answer.
    QaErrorTokenRequired,
    /// The question is no longer open.
    QaErrorGone,
    /// The questions cannot be loaded.
    QaErrorLoad,
    /// After asking, when moderation follows.
    QaThanksQuestionPending,
    /// After asking, when published at once.
    QaThanksQuestionPublished,
    /// After answering, when moderation follows.
    QaThanksAnswerPending,
    /// After answering, when published at once.
    QaThanksAnswerPublished,
    /// Heading of the share widget.
    ShareHeading,
    /// The reward on offer.
    ShareOffer,
    /// Makes the link and opens the share sheet or the options.
    ShareButton,
    /// Label of the personal link.
    ShareLinkLabel,
    /// Copies the link.
    ShareCopy,
    /// Said once the link is copied.
    ShareCopied,
    /// Email channel.
    ShareChannelEmail,
    /// SMS channel.
    ShareChannelSms,
    /// Names the list of channels.
    ShareChannelsLabel,
    /// The message sent with the link.
    ShareMessage,
    /// The link could not be made.
    ShareError,
    /// The site's configuration could not be read: the widget cannot offer sharing.
    ShareUnavailable,
    /// The visitor's balance.
    PointsBalance,
    /// Opens the history.
    PointsHistory,
    /// Ledger reason.
    PointsReasonVisit,
    /// Ledger reason.
    PointsReasonShare,
    /// Ledger reason.
    PointsReasonReview,
    /// Ledger reason.
    PointsReasonAnswer,
    /// Ledger reason.
    PointsReasonNps,
    /// Ledger reason.
    PointsReasonAdjustment,
    /// Ledger reason.
    PointsReasonTransfer,
    /// Ledger reason.
    PointsReasonReferral,
    /// Ledger reason.
    PointsReasonReferred,
    /// Heading of the referral widget.
    ReferralHeading,
    /// What both sides get.
    ReferralPitch,
    /// Name field label.
    ReferralName,
    /// Email field label.
    ReferralEmail,
    /// Consent box.
    ReferralConsent,
    /// Makes the code.
    ReferralJoin,
    /// The code, to type at checkout.
    ReferralCode,
    /// Copies the code.
    ReferralCopyCode,
    /// Invitation box label.
    ReferralInviteLabel,
    /// Personal message label.
    ReferralMessage,
    /// Sends the invitations.
    ReferralInviteSend,
    /// Said once invitations are handed over.
    ReferralInvited,
    /// The advocate's funnel.
    ReferralStats,
    /// Shown to a friend landing through a link.
    ReferralFriendOffer,
    /// Shown to a friend when the brand offers nothing.
    ReferralFriendNoOffer,
    /// Missing name.
    ReferralErrorName,
    /// Malformed email.
    ReferralErrorEmail,
    /// Consent not given.
    ReferralErrorConsent,
    /// Bad invitation box.
    ReferralErrorInvites,
    /// Daily invitations used up.
    ReferralErrorLimit,
    /// Too many tries in a short time (over a rate limit): wait, then try again.
    ReferralErrorBusy,
    /// Anything else went wrong.
    ReferralError,
    /// The site's configuration could not be read: the widget cannot offer the programme.
    ReferralUnavailable,
}

impl Text {
    /// The override key, as written in a site's `copy` configuration.
    pub fn key(self) -> &'static str {
        match self {
            Text::NpsQuestion => "nps.question",
            Text::NpsLowEnd => "nps.low_end",
            Text::NpsHighEnd => "nps.high_end",
            Text::NpsCommentPromoter => "nps.comment.promoter",
            Text::NpsCommentPassive => "nps.comment.passive",
            Text::NpsCommentDetractor => "nps.comment.detractor",
            Text::Optional => "optional",
            Text::Send => "send",
            Text::Sending => "sending",
            Text::Thanks => "thanks",
            Text::NpsFollowUpPromoter => "nps.follow_up.promoter",
            Text::NpsReviewLink => "nps.link.review",
            Text::NpsShareLink => "nps.link.share",
            Text::NpsReferralLink => "nps.link.referral",
            Text::NpsFollowUpPassive => "nps.follow_up.passive",
            Text::NpsFollowUpDetractor => "nps.follow_up.detractor",
            Text::ContactLink => "contact_link",
            Text::NetworkError => "error.network",
            Text::HeldError => "error.held",
            Text::Retry => "retry",
            Text::LoadAgain => "load_again",
            Text::Refused => "error.refused",
            Text::LoadError => "error.load",
            Text::CharacterCount => "character_count",
            Text::CommentTooLong => "error.comment_too_long",
            Text::TooLong => "error.too_long",
            Text::PoweredBy => "powered_by",
            Text::DecimalSeparator => "format.decimal_separator",
            Text::GroupSeparator => "format.group_separator",
            Text::DateShort => "format.date_short",
            Text::MonthsShort => "format.months_short",
            Text::ReviewHeading => "review.heading",
            Text::ReviewAverage => "review.average",
            Text::ReviewCountOne => "review.count.one",
            Text::ReviewCountOther => "review.count.other",
            Text::ReviewNone => "review.none",
            Text::ReviewRated => "review.rated",
            Text::ReviewHistogramRow => "review.histogram_row",
            Text::ReviewVerified => "review.verified",
            Text::ReviewReply => "review.reply",
            Text::ReviewHelpful => "review.helpful",
            Text::ReviewSortLabel => "review.sort.label",
            Text::ReviewSortNewest => "review.sort.newest",
            Text::ReviewSortHelpful => "review.sort.helpful",
            Text::ReviewSortRatingHigh => "review.sort.rating_high",
            Text::ReviewSortRatingLow => "review.sort.rating_low",
            Text::ReviewFilterShowing => "review.filter.showing",
            Text::ReviewFilterClear => "review.filter.clear",
            Text::ReviewMore => "review.more",
            Text::ReviewWrite => "review.write",
            Text::ReviewFormRating => "review.form.rating",
            Text::ReviewFormStar => "review.form.star",
            Text::ReviewFormTitle => "review.form.title",
            Text::ReviewFormText => "review.form.text",
            Text::ReviewFormName => "review.form.name",
            Text::ReviewFormEmail => "review.form.email",
            Text::ReviewFormConsent => "review.form.consent",
            Text::Cancel => "cancel",
            Text::ReviewFormSubmit => "review.form.submit",
            Text::ReviewErrorRating => "review.error.rating",
            Text::ReviewErrorTitle => "review.error.title",
            Text::ReviewErrorText => "review.error.text",
            Text::ReviewErrorName => "review.error.name",
            Text::ReviewErrorEmail => "review.error.email",
            Text::ReviewErrorConsent => "review.error.consent",
            Text::ReviewErrorAlready => "review.error.already",
            Text::ReviewErrorToken => "review.error.token",
            Text::ReviewThanksPending => "review.thanks.pending",
            Text::ReviewThanksPublished => "review.thanks.published",
            Text::ReviewHubInvite => "review.hub.invite",
            Text::ReviewHubLink => "review.hub.link",
            Text::ReviewLoadError => "review.error.load",
            Text::QaHeading => "qa.heading",
            Text::QaSearchLabel => "qa.search.label",
            Text::QaSearchNone => "qa.search.none",
            Text::QaSearching => "qa.search.searching",
            Text::QaSearchFoundOne => "qa.search.found.one",
            Text::QaSearchFoundOther => "qa.search.found.other",
            Text::QaNone => "qa.none",
            Text::QaAnswerCountOne => "qa.answer_count.one",
            Text::QaAnswerCountOther => "qa.answer_count.other",
            Text::QaAskedBy => "qa.asked_by",
            Text::QaBadgeVerifiedBuyer => "qa.badge.verified_buyer",
            Text::QaBadgeCustomer => "qa.badge.customer",
            Text::QaBadgeBrand => "qa.badge.brand",
            Text::QaBadgeAnonymous => "qa.badge.anonymous",
            Text::QaNoAnswer => "qa.no_answer",
            Text::QaAnswer => "qa.answer",
            Text::QaMore => "qa.more",
            Text::QaAsk => "qa.ask",
            Text::QaFormQuestion => "qa.form.question",
            Text::QaFormAnswer => "qa.form.answer",
            Text::QaFormName => "qa.form.name",
            Text::QaFormEmail => "qa.form.email",
            Text::QaFormConsent => "qa.form.consent",
            Text::QaFormSubmitQuestion => "qa.form.submit_question",
            Text::QaFormSubmitAnswer => "qa.form.submit_answer",
            Text::QaErrorText => "qa.error.text",
            Text::QaErrorName => "qa.error.name",
            Text::QaErrorEmail => "qa.error.email",
            Text::QaErrorConsent => "qa.error.consent",
            Text::QaErrorToken => "qa.error.token",
            Text::QaErrorTokenRequired => "qa.error.token_required",
            Text::QaErrorGone => "qa.error.gone",
            Text::QaErrorLoad => "qa.error.load",
            Text::QaThanksQuestionPending => "qa.thanks.question_pending",
            Text::QaThanksQuestionPublished => "qa.thanks.question_published",
            Text::QaThanksAnswerPending => "qa.thanks.answer_pending",
            Text::QaThanksAnswerPublished => "qa.thanks.answer_published",
            Text::ShareHeading => "share.heading",
            Text::ShareOffer => "share.offer",
            Text::ShareButton => "share.button",
            Text::ShareLinkLabel => "share.link_label",
            Text::ShareCopy => "share.copy",
            Text::ShareCopied => "share.copied",
            Text::ShareChannelEmail => "share.channel.email",
            Text::ShareChannelSms => "share.channel.sms",
            Text::ShareChannelsLabel => "share.channel.label",
            Text::ShareMessage => "share.message",
            Text::ShareError => "share.error",
            Text::ShareUnavailable => "share.unavailable",
            Text::PointsBalance => "points.balance",
            Text::PointsHistory => "points.history",
            Text::PointsReasonVisit => "points.reason.visit",
            Text::PointsReasonShare => "points.reason.share",
            Text::PointsReasonReview => "points.reason.review",
            Text::PointsReasonAnswer => "points.reason.answer",
            Text::PointsReasonNps => "points.reason.nps",
            Text::PointsReasonAdjustment => "points.reason.adjustment",
            Text::PointsReasonTransfer => "points.reason.transfer",
            Text::PointsReasonReferral => "points.reason.referral",
            Text::PointsReasonReferred => "points.reason.referred",
            Text::ReferralHeading => "referral.heading",
            Text::ReferralPitch => "referral.pitch",
            Text::ReferralName => "referral.name",
            Text::ReferralEmail => "referral.email",
            Text::ReferralConsent => "referral.consent",
            Text::ReferralJoin => "referral.join",
            Text::ReferralCode => "referral.code",
            Text::ReferralCopyCode => "referral.copy_code",
            Text::ReferralInviteLabel => "referral.invite.label",
            Text::ReferralMessage => "referral.invite.message",
            Text::ReferralInviteSend => "referral.invite.send",
            Text::ReferralInvited => "referral.invite.done",
            Text::ReferralStats => "referral.stats",
            Text::ReferralFriendOffer => "referral.friend.offer",
            Text::ReferralFriendNoOffer => "referral.friend.no_offer",
            Text::ReferralErrorName => "referral.error.name",
            Text::ReferralErrorEmail => "referral.error.email",
            Text::ReferralErrorConsent => "referral.error.consent",
            Text::ReferralErrorInvites => "referral.error.invites",
            Text::ReferralErrorLimit => "referral.error.limit",
            Text::ReferralErrorBusy => "referral.error.busy",
            Text::ReferralError => "referral.error.other",
            Text::ReferralUnavailable => "referral.unavailable",
        }
    }

    /// Every string, so tests can check that each language file has them all.
    pub const ALL: &[Text] = &[
        Text::NpsQuestion,
        Text::NpsLowEnd,
        Text::NpsHighEnd,
        Text::NpsCommentPromoter,
        Text::NpsCommentPassive,
        Text::NpsCommentDetractor,
        Text::Optional,
        Text::Send,
        Text::Sending,
        Text::Thanks,
        Text::NpsFollowUpPromoter,
        Text::NpsReviewLink,
        Text::NpsShareLink,
        Text::NpsReferralLink,
        Text::NpsFollowUpPassive,
        Text::NpsFollowUpDetractor,
        Text::ContactLink,
        Text::NetworkError,
        Text::HeldError,
        Text::Retry,
        Text::LoadAgain,
        Text::Refused,
        Text::LoadError,
        Text::CharacterCount,
        Text::CommentTooLong,
        Text::TooLong,
        Text::PoweredBy,
        Text::DecimalSeparator,
        Text::GroupSeparator,
        Text::DateShort,
        Text::MonthsShort,
        Text::ReviewHeading,
        Text::ReviewAverage,
        Text::ReviewCountOne,
        Text::ReviewCountOther,
        Text::ReviewNone,
        Text::ReviewRated,
        Text::ReviewHistogramRow,
        Text::ReviewVerified,
        Text::ReviewReply,
        Text::ReviewHelpful,
        Text::ReviewSortLabel,
        Text::ReviewSortNewest,
        Text::ReviewSortHelpful,
        Text::ReviewSortRatingHigh,
        Text::ReviewSortRatingLow,
        Text::ReviewFilterShowing,
        Text::ReviewFilterClear,
        Text::ReviewMore,
        Text::ReviewWrite,
        Text::ReviewFormRating,
        Text::ReviewFormStar,
        Text::ReviewFormTitle,
        Text::ReviewFormText,
        Text::ReviewFormName,
        Text::ReviewFormEmail,
        Text::ReviewFormConsent,
        Text::Cancel,
        Text::ReviewFormSubmit,
        Text::ReviewErrorRating,
        Text::ReviewErrorTitle,
        Text::ReviewErrorText,
        Text::ReviewErrorName,
        Text::ReviewErrorEmail,
        Text::ReviewErrorConsent,
        Text::ReviewErrorAlready,
        Text::ReviewErrorToken,
        Text::ReviewThanksPending,
        Text::ReviewThanksPublished,
        Text::ReviewHubInvite,
        Text::ReviewHubLink,
        Text::ReviewLoadError,
        Text::QaHeading,
        Text::QaSearchLabel,
        Text::QaSearchNone,
        Text::QaSearching,
        Text::QaSearchFoundOne,
        Text::QaSearchFoundOther,
        Text::QaNone,
        Text::QaAnswerCountOne,
        Text::QaAnswerCountOther,
        Text::QaAskedBy,
        Text::QaBadgeVerifiedBuyer,
        Text::QaBadgeCustomer,
        Text::QaBadgeBrand,
        Text::QaBadgeAnonymous,
        Text::QaNoAnswer,
        Text::QaAnswer,
        Text::QaMore,
        Text::QaAsk,
        Text::QaFormQuestion,
        Text::QaFormAnswer,
        Text::QaFormName,
        Text::QaFormEmail,
        Text::QaFormConsent,
        Text::QaFormSubmitQuestion,
        Text::QaFormSubmitAnswer,
        Text::QaErrorText,
        Text::QaErrorName,
        Text::QaErrorEmail,
        Text::QaErrorConsent,
        Text::QaErrorToken,
        Text::QaErrorTokenRequired,
        Text::QaErrorGone,
        Text::QaErrorLoad,
        Text::QaThanksQuestionPending,
        Text::QaThanksQuestionPublished,
        Text::QaThanksAnswerPending,
        Text::QaThanksAnswerPublished,
        Text::ShareHeading,
        Text::ShareOffer,
        Text::ShareButton,
        Text::ShareLinkLabel,
        Text::ShareCopy,
        Text::ShareCopied,
        Text::ShareChannelEmail,
        Text::ShareChannelSms,
        Text::ShareChannelsLabel,
        Text::ShareMessage,
        Text::ShareError,
        Text::ShareUnavailable,
        Text::PointsBalance,
        Text::PointsHistory,
        Text::PointsReasonVisit,
        Text::PointsReasonShare,
        Text::PointsReasonReview,
        Text::PointsReasonAnswer,
        Text::PointsReasonNps,
        Text::PointsReasonAdjustment,
        Text::PointsReasonTransfer,
        Text::PointsReasonReferral,
        Text::PointsReasonReferred,
        Text::ReferralHeading,
        Text::ReferralPitch,
        Text::ReferralName,
        Text::ReferralEmail,
        Text::ReferralConsent,
        Text::ReferralJoin,
        Text::ReferralCode,
        Text::ReferralCopyCode,
        Text::ReferralInviteLabel,
        Text::ReferralMessage,
        Text::ReferralInviteSend,
        Text::ReferralInvited,
        Text::ReferralStats,
        Text::ReferralFriendOffer,
        Text::ReferralFriendNoOffer,
        Text::ReferralErrorName,
        Text::ReferralErrorEmail,
        Text::ReferralErrorConsent,
        Text::ReferralErrorInvites,
        Text::ReferralErrorLimit,
        Text::ReferralErrorBusy,
        Text::ReferralError,
        Text::ReferralUnavailable,
    ];

    /// The comment prompt that fits a category.
    pub fn comment_prompt(category: Category) -> Text {
        match category {
            Category::Promoter => Text::NpsCommentPromoter,
            Category::Passive => Text::NpsCommentPassive,
            Category::Detractor => Text::NpsCommentDetractor,
        }
    }

    /// The thank-you follow-up that fits a category.
    pub fn follow_up(category: Category) -> Text {
        match category {
            Category::Promoter => Text::NpsFollowUpPromoter,
            Category::Passive => Text::NpsFollowUpPassive,
            Category::Detractor => Text::NpsFollowUpDetractor,
        }
    }
}

/// The sections of the console's texts editor, in order: a name and the key prefix of its
/// texts. Keys with none of these prefixes are shared by every widget.
const SECTIONS: [(&str, &str); 8] = [
    ("NPS survey", "nps."),
    ("Reviews", "review."),
    ("Questions and answers", "qa."),
    ("Share button", "share."),
    ("Referral form", "referral."),
    ("Points", "points."),
    ("Messages", "error."),
    ("Numbers and dates", "format."),
];
/// The section of the texts every widget shares.
const SHARED_SECTION: &str = "Every widget";

/// Every text's key, by section (a widget, or what they share), in the order the widgets
/// show them: how the console's texts editor lists them for overriding.
pub fn sections() -> impl Iterator<Item = (&'static str, Vec<&'static str>)> {
    let section_of = |key: &str| {
        SECTIONS
            .iter()
            .find(|(_, prefix)| key.starts_with(prefix))
            .map_or(SHARED_SECTION, |(name, _)| name)
    };
    SECTIONS
        .iter()
        .map(|(name, _)| *name)
        .chain([SHARED_SECTION])
        .map(move |name| {
            let keys = Text::ALL
                .iter()
                .map(|text| text.key())
                .filter(|key| section_of(key) == name)
                .collect();
            (name, keys)
        })
}

/// The minus sign (U+2212), not the hyphen: screen readers say it as "minus" where they
/// read a hyphen as "dash", and it is as wide as a digit, so signed figures line up.
const MINUS_SIGN: &str = "\u{2212}";

/// What goes before a figure: the minus sign below zero, `plus` above it, nothing at zero.
fn sign<N: PartialOrd + Default>(figure: &N, plus: &'static str) -> &'static str {
    let zero = N::default();
    if *figure > zero {
        plus
    } else if *figure < zero {
        MINUS_SIGN
    } else {
        ""
    }
}

/// A figure for the console's English pages (not grouped), with the minus sign below zero.
pub fn figure<N: std::fmt::Display + PartialOrd + Default>(figure: N) -> String {
    with_sign(figure, "")
}

/// `figure` written with [`sign`]'s sign rather than Rust's hyphen.
fn with_sign<N: std::fmt::Display + PartialOrd + Default>(figure: N, plus: &'static str) -> String {
    format!(
        "{}{}",
        sign(&figure, plus),
        figure.to_string().trim_start_matches('-')
    )
}

/// A whole number typed by a marketer, read as people write one: with a sign (`+`, `-` or
/// the minus sign [`figure`] writes, so that a figure copied from the console reads back)
/// and its thousands grouped by commas or spaces (`−1,000`, `2 500`). `None` for anything
/// else.
pub fn parse_figure(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let groups: Vec<&str> = digits.split([',', ' ', '\u{a0}', '\u{202f}']).collect();
    let grouped_by_three = groups.len() == 1
        || (groups[0].len() <= 3 && groups[1..].iter().all(|group| group.len() == 3));
    if !grouped_by_three
        || groups[0].is_empty()
        || groups
            .iter()
            .any(|group| !group.bytes().all(|byte| byte.is_ascii_digit()))
    {
        return None;
    }
    let magnitude: i64 = groups.concat().parse().ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// A score or a change as [`figure`] writes it, with `+` above zero (`+16.7`, `0`, `−100`).
pub fn signed<N: std::fmt::Display + PartialOrd + Default>(figure: N) -> String {
    with_sign(figure, "+")
}

/// The `{name}` placeholders in `text`, each once, in order.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for (start, _) in text.match_indices('{') {
        let after = &text[start + 1..];
        let name_len = after
            .find(|character: char| !(character.is_ascii_lowercase() || character == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('}') {
            let placeholder = &text[start..start + name_len + 2];
            if !found.contains(&placeholder) {
                found.push(placeholder);
            }
        }
    }
    found
}

/// The placeholders the widget fills in for `key` in language `tag`: `{brand}` in every
/// text, and those of its default in that language (English's for a language not shipped).
pub fn filled_placeholders(tag: &str, key: &str) -> Vec<&'static str> {
    let default = Locale::from_tag(tag)
        .and_then(|locale| locale.lookup(key))
        .or_else(|| Locale::EN.lookup(key))
        .unwrap_or_default();
    let mut filled = vec!["{brand}"];
    for placeholder in placeholders(default) {
        if !filled.contains(&placeholder) {
            filled.push(placeholder);
        }
    }
    filled
}

/// The placeholders `text`, an override of `key` in language `tag`, uses that the widget
/// does not fill in for that text: they would show as typed.
pub fn unfilled_placeholders<'a>(tag: &str, key: &str, text: &'a str) -> Vec<&'a str> {
    let filled = filled_placeholders(tag, key);
    placeholders(text)
        .into_iter()
        .filter(|placeholder| !filled.contains(placeholder))
        .collect()
}

/// Sets the site's override of `key` in language `tag` (in `overrides`, by language and
/// key, as the site configuration holds them) to `text`; a blank `text` removes it, so
/// that the default shows again, and a language left with none is removed too.
pub fn set_override(
    overrides: &mut Dict<String, Dict<String, String>>,
    tag: &str,
    key: &str,
    text: &str,
) {
    if text.trim().is_empty() {
        let emptied = overrides.get_or_insert_with(tag.to_owned(), Dict::new);
        emptied.remove(key);
        if emptied.keys().next().is_none() {
            overrides.remove(tag);
        }
    } else {
        overrides
            .get_or_insert_with(tag.to_owned(), Dict::new)
            .insert(key.to_owned(), text.to_owned());
    }
}

/// The strings of one language for one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    locale: Locale,
    brand_name: String,
    overrides: Dict<String, String>,
}

impl Copy {
    /// The copy for `locale`, with the site's overrides for that language.
    pub fn new(
        locale: Locale,
        brand_name: &str,
        overrides: &Dict<String, Dict<String, String>>,
    ) -> Copy {
        Copy {
            locale,
            brand_name: brand_name.to_owned(),
            overrides: overrides.get(locale.tag()).cloned().unwrap_or_default(),
        }
    }

    /// The language these strings are in.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// A string with `{brand}` filled in.
    pub fn text(&self, text: Text) -> String {
        let key = text.key();
        self.overrides
            .get(key)
            .map(String::as_str)
            .or_else(|| self.locale.lookup(key))
            .or_else(|| Locale::EN.lookup(key))
            .unwrap_or(key)
            .replace("{brand}", &self.brand_name)
    }

    /// `one`'s text when `count` is 1, else `other`'s, its `{count}` written as
    /// [`Copy::number`] writes it ("1 review", "12 reviews").
    pub fn count(&self, count: u64, one: Text, other: Text) -> String {
        let text = if count == 1 { one } else { other };
        self.text_with(text, &[("count", &self.number(count))])
    }

    /// A string with `{brand}` and the given `{name}` placeholders filled in.
    pub fn text_with(&self, text: Text, values: &[(&str, &str)]) -> String {
        values.iter().fold(self.text(text), |acc, (name, value)| {
            acc.replace(&format!("{{{name}}}"), value)
        })
    }

    // Numbers and dates are written here from the language file rather than by the
    // browser's `Intl`: a page's first `Intl` call loads the browser's locale data, a
    // main-thread task of 40 to 130 ms on a mid-range phone, and the server-rendered
    // fragment must read the same as the widget.

    /// A count with its thousands grouped as the language groups them (`12,345`).
    pub fn number(&self, value: u64) -> String {
        let digits = value.to_string();
        let separator = self.text(Text::GroupSeparator);
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                grouped.push_str(&separator);
            }
            grouped.push(digit);
        }
        grouped
    }

    /// Points as a balance shows them: grouped as [`Copy::number`], with the minus sign of
    /// [`signed`] below zero (a brand's adjustment can take a balance there).
    pub fn points(&self, points: i64) -> String {
        self.grouped_with_sign(points, "")
    }

    /// A ledger entry's points, always signed and grouped (`+1,000`, `−25`), so that what
    /// was earned and what was taken read apart at a glance.
    pub fn points_change(&self, points: i64) -> String {
        self.grouped_with_sign(points, "+")
    }

    /// `points` grouped as [`Copy::number`], with [`sign`]'s sign.
    fn grouped_with_sign(&self, points: i64, plus: &'static str) -> String {
        format!(
            "{}{}",
            sign(&points, plus),
            self.number(points.unsigned_abs())
        )
    }

    /// A value to one decimal, half away from zero (`4.5`; `4,5` in French).
    pub fn decimal(&self, value: f64) -> String {
        let tenths = (value.abs() * 10.0).round() as u64;
        let sign = if value < 0.0 && tenths > 0 {
            MINUS_SIGN
        } else {
            ""
        };
        format!(
            "{sign}{}{}{}",
            self.number(tenths / 10),
            self.text(Text::DecimalSeparator),
            tenths % 10
        )
    }

    /// A calendar day written short (`Nov 30, 2026`; `30 nov. 2026`); `month` counts
    /// from 1.
    pub fn date(&self, year: i32, month: u32, day: u32) -> String {
        let months = self.text(Text::MonthsShort);
        let month_name = months
            .split('|')
            .nth(month.saturating_sub(1) as usize)
            .map_or_else(|| month.to_string(), str::to_owned);
        self.text_with(
            Text::DateShort,
            &[
                ("day", &day.to_string()),
                ("month", &month_name),
                ("year", &year.to_string()),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn french() -> Locale {
        Locale::from_tag("fr").expect("French is shipped")
    }

    #[test]
    fn an_override_is_set_and_a_blank_one_removed_with_its_emptied_language() {
        let mut overrides = Dict::new();
        set_override(&mut overrides, "fr", "send", "Envoyer mon avis");
        set_override(&mut overrides, "fr", "thanks", "Merci !");
        assert_eq!(overrides["fr"]["send"], "Envoyer mon avis");
        set_override(&mut overrides, "fr", "send", "  ");
        assert_eq!(overrides["fr"].get("send"), None);
        assert_eq!(overrides["fr"]["thanks"], "Merci !");
        set_override(&mut overrides, "fr", "thanks", "");
        assert_eq!(overrides.get("fr"), None, "no language is left empty");
        set_override(&mut overrides, "en", "send", "");
        assert_eq!(
            overrides,
            Dict::new(),
            "blanking a text never overridden adds nothing"
        );
    }

    #[test]
    fn placeholders_are_braced_lowercase_names() {
        assert_eq!(
            placeholders("{count} / {max} {count} { x} {Brand} {} {a-b} {ok_two}{"),
            ["{count}", "{max}", "{ok_two}"]
        );
        assert!(placeholders("Dès 50 € ! 👍").is_empty());
    }

    #[test]
    fn an_override_may_use_only_the_placeholders_its_text_fills_in() {
        assert!(
            unfilled_placeholders("fr", "nps.question", "Recommanderiez-vous {brand} ?").is_empty()
        );
        assert_eq!(
            unfilled_placeholders("fr", "nps.question", "{marque} ou {brand} ?"),
            ["{marque}"]
        );
        assert!(unfilled_placeholders("en", "send", "Send to {brand}").is_empty());
        assert_eq!(
            unfilled_placeholders("en", "send", "Send {count}"),
            ["{count}"]
        );
        assert!(
            unfilled_placeholders("pt-BR", "error.too_long", "No máximo {max}").is_empty(),
            "a language not shipped is held to English's"
        );
    }

    #[test]
    fn every_text_is_in_one_section_and_no_section_is_empty() {
        let sections: Vec<(&str, Vec<&str>)> = sections().collect();
        let keys: Vec<&str> = sections.iter().flat_map(|(_, keys)| keys.clone()).collect();
        assert_eq!(keys.len(), Text::ALL.len());
        for text in Text::ALL {
            assert!(keys.contains(&text.key()), "{} is offered", text.key());
        }
        assert_eq!(sections[0].0, "NPS survey");
        assert_eq!(sections[0].1[0], "nps.question");
        assert!(sections.iter().all(|(_, keys)| !keys.is_empty()));
    }

    #[test]
    fn every_language_file_has_every_string_and_no_other() {
        let known: Vec<&str> = Text::ALL.iter().map(|text| text.key()).collect();
        for locale in Locale::all() {
            for key in &known {
                assert!(
                    locale.lookup(key).is_some(),
                    "{}.toml lacks {key}",
                    locale.tag()
                );
            }
            for key in locale.keys() {
                assert!(
                    known.contains(&key),
                    "{}.toml has unknown key {key}",
                    locale.tag()
                );
            }
        }
        assert!(Locale::all().count() >= 2);
    }

    #[test]
    fn question_names_the_brand_in_each_language() {
        let none = Dict::new();
        let english = Copy::new(Locale::EN, "Cairn", &none);
        let french = Copy::new(french(), "Cairn", &none);
        assert_eq!(
            english.text(Text::NpsQuestion),
            "How likely are you to recommend Cairn to a friend or colleague?"
        );
        assert!(
            french
                .text(Text::NpsQuestion)
                .contains("recommandiez Cairn")
        );
    }

    #[test]
    fn site_overrides_win_for_their_language_only() {
        let mut french_copy = Dict::new();
        french_copy.insert("send".to_owned(), "C’est parti".to_owned());
        let overrides = Dict::from([("fr".to_owned(), french_copy)]);
        assert_eq!(
            Copy::new(french(), "Cairn", &overrides).text(Text::Send),
            "C’est parti"
        );
        assert_eq!(
            Copy::new(Locale::EN, "Cairn", &overrides).text(Text::Send),
            "Send"
        );
    }

    #[test]
    fn numbers_are_grouped_by_thousands_in_each_language() {
        let none = Dict::new();
        let english = Copy::new(Locale::EN, "Cairn", &none);
        let french = Copy::new(french(), "Cairn", &none);
        assert_eq!(english.number(0), "0");
        assert_eq!(english.number(999), "999");
        assert_eq!(english.number(1_000), "1,000");
        assert_eq!(english.number(1_234_567), "1,234,567");
        assert_eq!(french.number(12_345), "12\u{202f}345");
    }

    #[test]
    fn counts_take_the_singular_for_one_only_and_group_their_digits() {
        let none = Dict::new();
        let english = Copy::new(Locale::EN, "Cairn", &none);
        let french = Copy::new(french(), "Cairn", &none);
        let answers = |copy: &Copy, count| {
            copy.count(count, Text::QaAnswerCountOne, Text::QaAnswerCountOther)
        };
        assert_eq!(answers(&english, 1), "1 answer");
        assert_eq!(answers(&english, 0), "0 answers");
        assert_eq!(answers(&english, 1_200), "1,200 answers");
        assert_eq!(answers(&french, 2), "2 réponses");
    }

    #[test]
    fn signed_figures_say_plus_and_minus_and_nothing_at_zero() {
        let none = Dict::new();
        let english = Copy::new(Locale::EN, "Cairn", &none);
        let french = Copy::new(french(), "Cairn", &none);
        assert_eq!(english.points_change(1_000), "+1,000");
        assert_eq!(english.points_change(-25), "\u{2212}25");
        assert_eq!(english.points_change(0), "0");
        assert_eq!(french.points_change(-12_500), "\u{2212}12\u{202f}500");
        assert_eq!(english.points(-1_500), "\u{2212}1,500");
        assert_eq!(english.points(55), "55");
        assert_eq!(signed(16.7), "+16.7");
        assert_eq!(signed(-100.0), "\u{2212}100");
        assert_eq!(signed(0.0), "0");
        assert_eq!(
            signed(-0.0),
            "0",
            "a rounded score of minus nothing is no score below zero"
        );
        assert_eq!(signed(-40_i64), "\u{2212}40");
        assert_eq!(figure(-40_i64), "\u{2212}40");
        assert_eq!(figure(40_i64), "40");
    }

    #[test]
    fn figures_typed_read_back_with_any_sign_and_grouping() {
        assert_eq!(parse_figure("50"), Some(50));
        assert_eq!(parse_figure(" -50 "), Some(-50));
        assert_eq!(
            parse_figure(&signed(-50_i64)),
            Some(-50),
            "as the console writes it"
        );
        assert_eq!(parse_figure("+200"), Some(200));
        assert_eq!(parse_figure("1,000"), Some(1_000));
        assert_eq!(parse_figure("\u{2212}12 500"), Some(-12_500));
        assert_eq!(parse_figure("1\u{202f}000\u{202f}000"), Some(1_000_000));
        for wrong in [
            "",
            "-",
            "+-5",
            "--5",
            "5-",
            "1,00",
            "1,0000",
            ",100",
            "1.5",
            "12a",
            "1e3",
            "١٢",
            "99999999999999999999",
        ] {
            assert_eq!(parse_figure(wrong), None, "{wrong:?}");
        }
    }

    #[test]
    fn decimals_keep_one_digit_rounded_half_away_from_zero() {
        let none = Dict::new();
        let english = Copy::new(Locale::EN, "Cairn", &none);
        let french = Copy::new(french(), "Cairn", &none);
        assert_eq!(english.decimal(4.25), "4.3");
        assert_eq!(english.decimal(4.0), "4.0");
        assert_eq!(english.decimal(4.96), "5.0");
        assert_eq!(english.decimal(1234.5), "1,234.5");
        assert_eq!(english.decimal(-0.04), "0.0");
        assert_eq!(english.decimal(-2.5), "\u{2212}2.5");
        assert_eq!(french.decimal(4.5), "4,5");
    }

    #[test]
    fn dates_are_written_short_in_each_language() {
        let none = Dict::new();
        let english = Copy::new(Locale::EN, "Cairn", &none);
        let french = Copy::new(french(), "Cairn", &none);
        assert_eq!(english.date(2026, 11, 30), "Nov 30, 2026");
        assert_eq!(english.date(2026, 1, 2), "Jan 2, 2026");
        assert_eq!(french.date(2026, 11, 30), "30 nov. 2026");
        assert_eq!(french.date(2026, 8, 1), "1 août 2026");
        for locale in Locale::all() {
            let months = Copy::new(locale, "Cairn", &none).text(Text::MonthsShort);
            assert_eq!(months.split('|').count(), 12, "{}", locale.tag());
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let copy = Copy::new(Locale::EN, "Cairn", &Dict::new());
        assert_eq!(
            copy.text_with(Text::CharacterCount, &[("count", "12"), ("max", "2000")]),
            "12 / 2000 characters"
        );
    }

    #[test]
    fn follow_ups_differ_per_category() {
        let copy = Copy::new(Locale::EN, "Cairn", &Dict::new());
        assert!(
            copy.text(Text::follow_up(Category::Detractor))
                .contains("What should we fix?")
        );
        assert!(
            copy.text(Text::follow_up(Category::Promoter))
                .contains("tell others")
        );
        assert_ne!(
            copy.text(Text::comment_prompt(Category::Passive)),
            copy.text(Text::comment_prompt(Category::Promoter))
        );
    }
}
