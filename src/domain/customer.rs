use super::card::Card;
use super::validate::{
    check_multiline_text, check_required, check_text, email_problem, phone_problem, MAX_LONG,
    MAX_SHORT,
};
use super::{labelled_enum, Meta, ValidationErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

labelled_enum!(
    /// Individual (个人) or enterprise (企业) customer.
    CustomerKind {
        Individual => "individual" | "person" | "个人",
        Enterprise => "enterprise" | "company" | "business" | "企业",
    }
);

// The enum is declared by labelled_enum!, which derives no Default.
#[allow(clippy::derivable_impls)]
impl Default for CustomerKind {
    fn default() -> Self {
        CustomerKind::Individual
    }
}

labelled_enum!(
    /// Whether a customer came in through an online or offline channel.
    Channel {
        Online => "online" | "线上",
        Offline => "offline" | "线下",
        Unknown => "unknown",
    }
);

/// Sources that count as offline. A source on neither list is one the
/// rules do not know: its channel is unknown, not guessed.
const OFFLINE_SOURCES: &[&str] = &[
    "referral",
    "exhibition",
    "trade show",
    "expo",
    "store",
    "event",
    "seminar",
    "cold call",
    "phone",
    "visit",
    "partner",
    "walk-in",
    "转介绍",
    "推荐",
    "展会",
    "门店",
    "活动",
    "电话",
];

/// Sources that count as online.
const ONLINE_SOURCES: &[&str] = &[
    "website",
    "web",
    "social media",
    "social",
    "e-commerce",
    "ecommerce",
    "search ads",
    "ads",
    "online marketing",
    "email",
    "webinar",
    "live stream",
    "wechat",
    "app",
    "官网",
    "社交媒体",
    "电商",
    "搜索广告",
    "微信",
];

/// A customer file (客户).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Customer {
    #[serde(flatten)]
    pub meta: Meta,
    pub name: String,
    pub kind: CustomerKind,
    pub company: String,
    pub title: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub country: String,
    /// Province or state.
    pub province: String,
    pub city: String,
    pub address: String,
    pub industry: String,
    /// Number of employees.
    pub size: Option<u32>,
    pub source: String,
    /// Free tags such as price-sensitive, quality-first, after-sales.
    pub needs: Vec<String>,
    pub notes: String,
    pub owner: String,
    /// Custom fields, key → value.
    pub custom: BTreeMap<String, String>,
    /// Name parts, labels, further addresses, days, websites, IM handles
    /// and groups, as address books carry them.
    /// Boxed: most customers have none of it, and lists hold many customers.
    #[serde(flatten)]
    pub card: Box<Card>,
}

impl Customer {
    /// A new, unsaved customer with just a name.
    pub fn named(name: &str) -> Self {
        Customer {
            name: name.to_string(),
            ..Default::default()
        }
    }

    /// Online or offline, derived from the source.
    pub fn channel(&self) -> Channel {
        channel_of_source(&self.source)
    }

    /// Checks every field; the messages name the field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        check_required(&mut e, "name", &self.name);
        for (field, value) in [
            ("name", &self.name),
            ("company", &self.company),
            ("title", &self.title),
            ("country", &self.country),
            ("province", &self.province),
            ("city", &self.city),
            ("industry", &self.industry),
            ("source", &self.source),
            ("owner", &self.owner),
        ] {
            check_text(&mut e, field, value, MAX_SHORT);
        }
        // Address books keep a street address on several lines.
        check_multiline_text(&mut e, "address", &self.address, MAX_SHORT * 2);
        check_text(&mut e, "notes", &self.notes, MAX_LONG);
        for p in &self.phones {
            if let Some(m) = phone_problem(p) {
                e.add("phones", m);
            }
        }
        for m in &self.emails {
            if let Some(msg) = email_problem(m) {
                e.add("emails", msg);
            } else {
                check_text(&mut e, "emails", m, MAX_SHORT);
            }
        }
        for n in &self.needs {
            check_text(&mut e, "needs", n, MAX_SHORT);
        }
        if self.phones.len() > 20 || self.emails.len() > 20 {
            e.add("phones", "at most 20 phones and 20 emails per customer");
        }
        if self.size == Some(0) && self.kind == CustomerKind::Enterprise {
            e.add(
                "size",
                "an enterprise has at least 1 employee — leave blank if unknown",
            );
        }
        for (k, v) in &self.custom {
            if k.trim().is_empty() {
                e.add("custom", "a custom field needs a name");
            }
            check_text(&mut e, "custom", k, MAX_SHORT);
            check_text(&mut e, "custom", v, MAX_LONG);
        }
        self.card.validate(&mut e);
        e.into_result()
    }

    /// Family and given name: the ones kept, else the name typed as one
    /// string split by the compound-surname list (欧阳娜娜 → 欧阳 / 娜娜,
    /// "Ann Lee" → Lee / Ann) without its prefix and suffix. An enterprise
    /// has none unless they were given.
    pub fn name_parts(&self) -> (String, String) {
        let card = &self.card;
        if !card.given_name.is_empty() || !card.family_name.is_empty() {
            return (card.family_name.clone(), card.given_name.clone());
        }
        self.split_name_parts()
    }

    /// Family and given name as the name splits into (see [`Self::name_parts`]).
    pub fn split_name_parts(&self) -> (String, String) {
        let card = &self.card;
        if self.kind != CustomerKind::Individual {
            return (String::new(), String::new());
        }
        let mut bare = self.name.trim();
        if !card.prefix.is_empty() {
            bare = bare.strip_prefix(card.prefix.as_str()).unwrap_or(bare);
        }
        if !card.suffix.is_empty() {
            bare = bare.strip_suffix(card.suffix.as_str()).unwrap_or(bare);
        }
        super::text::split_name(bare.trim().trim_end_matches(','))
    }

    /// The first further address becomes the main one when the main one is
    /// empty (what a vCard's first ADR is).
    pub fn settle_addresses(&mut self) {
        let main_empty = [&self.address, &self.city, &self.province, &self.country]
            .iter()
            .all(|s| s.trim().is_empty())
            && self.card.postcode.trim().is_empty();
        if main_empty && !self.card.addresses.is_empty() {
            let a = self.card.addresses.remove(0);
            self.address = a.street;
            self.city = a.city;
            self.province = a.region;
            self.card.postcode = a.postcode;
            self.country = a.country;
            self.card.address_label = a.label;
        } else if main_empty {
            // A label of no address.
            self.card.address_label.clear();
        }
    }

    /// Keeps the name parts only where they say more than the name: a name
    /// left empty is made of the parts; parts that the name splits into
    /// anyway are not stored (so a renamed person's parts follow the name).
    pub fn settle_name_parts(&mut self) {
        let (g, f) = (
            self.card.given_name.trim().to_string(),
            self.card.family_name.trim().to_string(),
        );
        if self.name.trim().is_empty() && !(g.is_empty() && f.is_empty()) {
            let cjk = g.chars().chain(f.chars()).any(super::card::is_cjk);
            self.name = if cjk {
                format!("{f}{g}")
            } else {
                format!("{g} {f}").trim().to_string()
            };
        }
        if g.is_empty() && f.is_empty() {
            return;
        }
        let derived = self.split_name_parts();
        if derived == (f, g) {
            self.card.given_name.clear();
            self.card.family_name.clear();
        }
    }
}

/// Online or offline for a source label (case-insensitive); unknown for a
/// source the lists do not name (`抖音` is not guessed to be offline).
pub fn channel_of_source(source: &str) -> Channel {
    let s = source.trim().to_lowercase();
    if ONLINE_SOURCES.contains(&s.as_str()) {
        Channel::Online
    } else if OFFLINE_SOURCES.contains(&s.as_str()) {
        Channel::Offline
    } else {
        Channel::Unknown
    }
}

/// The source as the source tag shows it: a known source in lower case,
/// any other text `other` (so the tag groups, and a typo does not make a
/// source of its own); `None` when no source is given.
pub fn source_group(source: &str) -> Option<String> {
    let s = source.trim().to_lowercase();
    if s.is_empty() {
        None
    } else if ONLINE_SOURCES.contains(&s.as_str()) || OFFLINE_SOURCES.contains(&s.as_str()) {
        Some(s)
    } else {
        Some("other".into())
    }
}
