//! Words of the terminal UI in the language in force: catalog messages,
//! tag labels from the rules, and padding by display width.
//!
//! Tags show as their ids in English (as `f` and `/` type them:
//! `value:high`) and as the rules' labels in 简体中文 (`客户价值:高`).
//! The labels come from the rules the TUI was opened with (the user's file
//! can add its own); until [`set_rules`] is called, the built-in ones.

use crate::classify::{RuleSet, Subject};
use crate::i18n::{self, Lang};
use std::sync::{Arc, OnceLock, RwLock};
use unicode_width::UnicodeWidthStr;

fn slot() -> &'static RwLock<Option<Arc<RuleSet>>> {
    static RULES: OnceLock<RwLock<Option<Arc<RuleSet>>>> = OnceLock::new();
    RULES.get_or_init(|| RwLock::new(None))
}

fn builtin() -> Arc<RuleSet> {
    static BUILTIN: OnceLock<Arc<RuleSet>> = OnceLock::new();
    BUILTIN.get_or_init(|| Arc::new(RuleSet::builtin())).clone()
}

/// The rules whose labels the TUI shows (the binary sets the book's).
pub fn set_rules(rules: RuleSet) {
    if let Ok(mut s) = slot().write() {
        *s = Some(Arc::new(rules));
    }
}

fn rules() -> Arc<RuleSet> {
    slot()
        .read()
        .ok()
        .and_then(|s| s.clone())
        .unwrap_or_else(builtin)
}

/// A catalog message without arguments, in the language in force.
pub fn t(key: &str) -> String {
    i18n::message(i18n::current(), key, &[])
}

/// A tag as shown: `(dimension, value)`, ids in English, labels in Chinese.
pub fn tag(subject: Subject, dimension: &str, value: &str) -> (String, String) {
    match i18n::current() {
        Lang::En => (dimension.to_string(), value.to_string()),
        lang => rules().tag_label(subject, dimension, value, lang),
    }
}

/// A tag's value as shown (the dimension is the column's).
pub fn value(subject: Subject, dimension: &str, value: &str) -> String {
    tag(subject, dimension, value).1
}

/// A deal stage as shown: `negotiation` in English, 洽谈 in Chinese.
pub fn stage(stage: impl std::fmt::Display) -> String {
    value(Subject::Opportunity, "stage", &stage.to_string())
}

/// A record kind as shown (customer → 客户).
pub fn kind(kind: crate::domain::Kind) -> String {
    use crate::domain::Kind as K;
    match kind {
        K::Customer => crate::tr!("kind-customer"),
        K::Opportunity => crate::tr!("kind-opportunity"),
        K::Product => crate::tr!("kind-product"),
        K::Activity => crate::tr!("kind-activity"),
    }
}

/// An activity's kind as shown (call → 电话).
pub fn activity_kind(kind: crate::domain::ActivityKind) -> String {
    use crate::domain::ActivityKind as K;
    match kind {
        K::Call => crate::tr!("activity-call"),
        K::Visit => crate::tr!("activity-visit"),
        K::Meeting => crate::tr!("activity-meeting"),
        K::Email => crate::tr!("activity-email"),
        K::Note => crate::tr!("activity-note"),
        K::Campaign => crate::tr!("activity-campaign"),
    }
}

/// A customer's kind as shown (enterprise → 企业).
pub fn customer_kind(kind: crate::domain::CustomerKind) -> String {
    use crate::domain::CustomerKind as K;
    t(match kind {
        K::Individual => "customer-kind-individual",
        K::Enterprise => "customer-kind-enterprise",
    })
}

/// A customer's channel as shown (offline → 线下).
pub fn channel(c: crate::domain::Channel) -> String {
    use crate::domain::Channel as C;
    t(match c {
        C::Online => "channel-online",
        C::Offline => "channel-offline",
        C::Unknown => "channel-unknown",
    })
}

/// A campaign's form as shown (exhibition → 展会).
pub fn campaign_channel(c: crate::domain::CampaignChannel) -> String {
    use crate::domain::CampaignChannel as C;
    t(match c {
        C::LiveStream => "campaign-channel-live-stream",
        C::Social => "campaign-channel-social",
        C::Webinar => "campaign-channel-webinar",
        C::Ads => "campaign-channel-ads",
        C::Exhibition => "campaign-channel-exhibition",
        C::Seminar => "campaign-channel-seminar",
        C::StoreEvent => "campaign-channel-store-event",
    })
}

/// A campaign's reach as shown (national → 全国).
pub fn region(r: crate::domain::Region) -> String {
    use crate::domain::Region as R;
    t(match r {
        R::Local => "region-local",
        R::Regional => "region-regional",
        R::National => "region-national",
        R::International => "region-international",
    })
}

/// What a campaign is for, as shown (sales → 销售).
pub fn goal(g: crate::domain::Goal) -> String {
    use crate::domain::Goal as G;
    t(match g {
        G::BrandAwareness => "goal-brand-awareness",
        G::Sales => "goal-sales",
        G::LeadCollection => "goal-lead-collection",
    })
}

/// A customer list's sort column as shown ("last contact" / 最近联系).
pub fn customer_sort(sort: crate::store::CustomerSort) -> String {
    use crate::store::CustomerSort as S;
    t(match sort {
        S::Id => "sort-id",
        S::Name => "sort-name",
        S::Company => "sort-company",
        S::City => "sort-city",
        S::Value => "sort-value",
        S::Lifecycle => "sort-lifecycle",
        S::LastContact => "sort-last-contact",
    })
}

/// A record's noun as the forms and messages say it (deal → 商机).
pub fn noun(noun: &str) -> String {
    match noun {
        "customer" => t("noun-customer"),
        "deal" => t("noun-deal"),
        "product" => t("noun-product"),
        "touch" => t("noun-touch"),
        "campaign" => t("noun-campaign"),
        other => other.to_string(),
    }
}

/// A touch's sentiment as shown (positive → 积极).
pub fn sentiment(s: crate::domain::Sentiment) -> String {
    use crate::domain::Sentiment;
    t(match s {
        Sentiment::Positive => "sentiment-positive",
        Sentiment::Neutral => "sentiment-neutral",
        Sentiment::Negative => "sentiment-negative",
    })
}

/// A date's weekday, short: "Fri" / "周五".
pub fn weekday(date: chrono::NaiveDate) -> String {
    use chrono::{Datelike, Weekday};
    t(match date.weekday() {
        Weekday::Mon => "weekday-mon",
        Weekday::Tue => "weekday-tue",
        Weekday::Wed => "weekday-wed",
        Weekday::Thu => "weekday-thu",
        Weekday::Fri => "weekday-fri",
        Weekday::Sat => "weekday-sat",
        Weekday::Sun => "weekday-sun",
    })
}

/// A form choice as shown: the stored option of the field `key` in the
/// language in force (a stage, a kind, a sentiment, yes/no); other options
/// (sources, currencies) as they are.
pub fn choice(key: &str, option: &str) -> String {
    use crate::domain::{ActivityKind, CustomerKind, Sentiment};
    if i18n::current() == Lang::En {
        return option.to_string();
    }
    match (key, option) {
        ("stage", s) => stage(s),
        // The sources a customer's form offers are the source tag's values.
        ("source", s) => value(Subject::Customer, "source", s),
        (_, "yes") => t("choice-yes"),
        (_, "no") => t("choice-no"),
        ("sentiment", s) => s
            .parse::<Sentiment>()
            .map(sentiment)
            .unwrap_or_else(|_| s.into()),
        ("kind", s) => match (s.parse::<CustomerKind>(), s.parse::<ActivityKind>()) {
            (Ok(k), _) => customer_kind(k),
            (_, Ok(k)) => activity_kind(k),
            _ => s.to_string(),
        },
        (_, s) => s.to_string(),
    }
}

/// `text` padded with spaces to `width` display columns (CJK counts two).
pub fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// `text` padded on the left to `width` display columns.
pub fn pad_left(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{}{text}", " ".repeat(width.saturating_sub(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_by_display_width() {
        assert_eq!(pad("公司", 6), "公司  ");
        assert_eq!(pad("Company", 9), "Company  ");
        assert_eq!(pad("很长的标签名", 4), "很长的标签名");
        assert_eq!(pad_left("高", 4), "  高");
    }
}
