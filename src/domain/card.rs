//! What an address book carries about a person beyond dossier's first
//! fields: name parts, labels of phones and emails, further addresses,
//! birthday and anniversary, websites, IM handles and groups.
//!
//! Each has a text form a person can type (and CSV cells hold):
//! labelled values are `label: value` (`mobile: +86 138 0013 8000`), an
//! address is `label: street; city; region; postcode; country`, a day is
//! `1990-03-15` or `--03-15` when the year is not known.

use super::validate::{check_multiline_text, check_text, ValidationErrors, MAX_SHORT};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The labels address books give phones, emails and addresses; others are
/// kept as typed.
pub const COMMON_LABELS: &[&str] = &["work", "mobile", "home", "fax", "pager", "main", "other"];

/// One further address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Address {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Street, possibly over several lines.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub street: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub city: String,
    /// Province or state.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub postcode: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub country: String,
}

impl Address {
    pub fn is_empty(&self) -> bool {
        [
            &self.street,
            &self.city,
            &self.region,
            &self.postcode,
            &self.country,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

/// The address-book fields of a customer. Empty ones are left out of JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Card {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub given_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub family_name: String,
    /// Honorific before the name (Dr., Mr., 先生 is a suffix in Chinese use).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub suffix: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub nickname: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub department: String,
    /// Phone (as in `phones`) → its label (work, mobile, home, fax, …).
    /// The first phone is the preferred one.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub phone_labels: BTreeMap<String, String>,
    /// Email (as in `emails`) → its label.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub email_labels: BTreeMap<String, String>,
    /// Postcode of the main address (address, city, province, country).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub postcode: String,
    /// Label of the main address (work, home, …).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address_label: String,
    /// Addresses after the main one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    /// `YYYY-MM-DD`, or `--MM-DD` without a year.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub birthday: String,
    /// `YYYY-MM-DD`, or `--MM-DD` without a year.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub anniversary: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub websites: Vec<String>,
    /// Website (as in `websites`) → its label (Apple's `X-ABLabel`: blog,
    /// `_$!<HomePage>!$_`), given back on a vCard export.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub website_labels: BTreeMap<String, String>,
    /// IM handles as `service: handle` (`wechat: zhangwei88`, `qq: 10001`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ims: Vec<String>,
    /// Categories / groups of the address book; each is a `group` tag.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

impl Card {
    pub fn is_empty(&self) -> bool {
        *self == Card::default()
    }

    /// The stored JSON text (`{}` when empty).
    pub fn to_json(&self) -> String {
        if self.is_empty() {
            return "{}".into();
        }
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Reads the stored JSON text; unreadable text gives an empty card.
    pub fn from_json(s: &str) -> Card {
        if s.len() <= 2 {
            return Card::default();
        }
        serde_json::from_str(s).unwrap_or_default()
    }

    /// Trims text, drops empty entries and labels of values that are gone.
    pub fn tidy(&mut self, phones: &[String], emails: &[String]) {
        for s in [
            &mut self.given_name,
            &mut self.family_name,
            &mut self.prefix,
            &mut self.suffix,
            &mut self.nickname,
            &mut self.department,
            &mut self.postcode,
            &mut self.address_label,
            &mut self.birthday,
            &mut self.anniversary,
        ] {
            if s.trim().len() != s.len() {
                *s = s.trim().to_string();
            }
        }
        for list in [&mut self.websites, &mut self.ims, &mut self.groups] {
            for s in list.iter_mut() {
                if s.trim().len() != s.len() {
                    *s = s.trim().to_string();
                }
            }
            list.retain(|s| !s.is_empty());
        }
        let mut seen = std::collections::HashSet::new();
        self.groups.retain(|g| seen.insert(g.to_lowercase()));
        self.phone_labels
            .retain(|k, v| !v.trim().is_empty() && phones.contains(k));
        self.email_labels
            .retain(|k, v| !v.trim().is_empty() && emails.contains(k));
        for a in &mut self.addresses {
            for s in [
                &mut a.label,
                &mut a.street,
                &mut a.city,
                &mut a.region,
                &mut a.postcode,
                &mut a.country,
            ] {
                if s.trim().len() != s.len() {
                    *s = s.trim().to_string();
                }
            }
        }
        self.addresses.retain(|a| !a.is_empty());
    }

    /// Adds the card's problems to `e`, by field name.
    pub fn validate(&self, e: &mut ValidationErrors) {
        for (field, value) in [
            ("given_name", &self.given_name),
            ("family_name", &self.family_name),
            ("prefix", &self.prefix),
            ("suffix", &self.suffix),
            ("nickname", &self.nickname),
            ("department", &self.department),
            ("postcode", &self.postcode),
            ("address_label", &self.address_label),
        ] {
            check_text(e, field, value, MAX_SHORT);
        }
        for (field, day) in [
            ("birthday", &self.birthday),
            ("anniversary", &self.anniversary),
        ] {
            if !day.is_empty() {
                match parse_day(day) {
                    Ok(d) if d == *day => {}
                    Ok(d) => e.add(field, format!("is stored as '{d}'")),
                    Err(m) => e.add(field, m),
                }
            }
        }
        for (field, labels) in [
            ("phones", &self.phone_labels),
            ("emails", &self.email_labels),
        ] {
            for label in labels.values() {
                check_text(e, field, label, 40);
            }
        }
        for (field, list) in [
            ("websites", &self.websites),
            ("ims", &self.ims),
            ("groups", &self.groups),
        ] {
            if list.len() > 50 {
                e.add(field, "at most 50 entries");
            }
            for v in list {
                check_text(e, field, v, MAX_SHORT);
            }
        }
        if self.addresses.len() > 20 {
            e.add("addresses", "at most 20 further addresses");
        }
        for a in &self.addresses {
            check_multiline_text(e, "addresses", &a.street, MAX_SHORT * 2);
            for s in [&a.label, &a.city, &a.region, &a.postcode, &a.country] {
                check_text(e, "addresses", s, MAX_SHORT);
            }
        }
    }
}

/// A Chinese (CJK) character: names of them are written family name first.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Splits `label: value` into its label (lower case) and value; a value
/// without a label (or a `tel:`/`mailto:`/`http:` scheme) has none.
/// A label is one or two words without digits, at most 24 characters.
pub fn split_label(item: &str) -> (Option<String>, &str) {
    let item = item.trim();
    let Some((label, rest)) = item.split_once(':') else {
        return (None, item);
    };
    let l = label.trim();
    let ok = !l.is_empty()
        && l.chars().count() <= 24
        && l.split_whitespace().count() <= 2
        && l.chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '_')
        && !matches!(
            l.to_ascii_lowercase().as_str(),
            "tel" | "mailto" | "sip" | "http" | "https" | "sms" | "xmpp" | "im" | "ftp"
        )
        && !rest.starts_with("//");
    if ok {
        (Some(l.to_lowercase()), rest.trim())
    } else {
        (None, item)
    }
}

/// A label as other programs write it, in dossier's words: `Work Fax` →
/// fax, `Cell` → mobile, `* Work` (Google's preferred mark) → work.
pub fn normalise_label(label: &str) -> String {
    let l = label.trim().trim_start_matches('*').trim().to_lowercase();
    match l.as_str() {
        "cell" | "mobile phone" | "cell phone" | "iphone" => "mobile".into(),
        "work fax" | "home fax" | "business fax" | "other fax" => "fax".into(),
        "business" | "office" => "work".into(),
        "personal" | "private" => "home".into(),
        _ => l,
    }
}

/// `label: value`, or the value alone without a label.
pub fn with_label(label: Option<&str>, value: &str) -> String {
    match label.filter(|l| !l.is_empty()) {
        Some(l) => format!("{l}: {value}"),
        None => value.to_string(),
    }
}

/// Reads a birthday or anniversary: `1990-03-15`, `19900315`,
/// `1990/3/15`, `1990.03.15`, `--03-15` / `--0315` (no year), `03-15`,
/// an ISO date-time (`1990-03-15T00:00:00Z`). Gives `YYYY-MM-DD` or
/// `--MM-DD`; empty text gives empty text.
pub fn parse_day(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let bad = || {
        format!(
            "'{}' is not a date — use YYYY-MM-DD (1990-03-15), or --MM-DD without the year",
            super::text::cut_for_message(t)
        )
    };
    let date_part = t.split(['T', ' ']).next().unwrap_or(t);
    if let Some(md) = date_part.strip_prefix("--") {
        let digits: String = md.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() != 4 || md.chars().any(|c| !c.is_ascii_digit() && c != '-') {
            return Err(bad());
        }
        let (m, d) = (
            digits[..2].parse().unwrap_or(0),
            digits[2..].parse().unwrap_or(0),
        );
        return month_day(m, d).ok_or_else(bad);
    }
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
    match (parts.len(), nums) {
        (1, Some(_)) if date_part.len() == 8 => {
            let y = date_part[..4].parse().map_err(|_| bad())?;
            let m = date_part[4..6].parse().map_err(|_| bad())?;
            let d = date_part[6..].parse().map_err(|_| bad())?;
            full(y, m, d).ok_or_else(bad)
        }
        (3, Some(n)) if parts[0].len() == 4 => full(n[0] as i32, n[1], n[2]).ok_or_else(bad),
        (2, Some(n)) => month_day(n[0], n[1]).ok_or_else(bad),
        _ => Err(bad()),
    }
}

fn full(y: i32, m: u32, d: u32) -> Option<String> {
    // Apple writes 1604 for "year not known".
    if y == 1604 {
        return month_day(m, d);
    }
    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.to_string())
}

fn month_day(m: u32, d: u32) -> Option<String> {
    // 2000 is a leap year, so --02-29 is a day.
    NaiveDate::from_ymd_opt(2000, m, d).map(|_| format!("--{m:02}-{d:02}"))
}

/// Month and day of a stored day (`YYYY-MM-DD` or `--MM-DD`), and its year
/// when known.
pub fn day_parts(day: &str) -> Option<(Option<i32>, u32, u32)> {
    if let Some(md) = day.strip_prefix("--") {
        let (m, d) = md.split_once('-')?;
        return Some((None, m.parse().ok()?, d.parse().ok()?));
    }
    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    Some((Some(d.year()), d.month(), d.day()))
}

/// The next date on or after `from` on which a yearly day falls (29
/// February falls on 28 February in other years).
pub fn next_occurrence(day: &str, from: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    let (_, m, d) = day_parts(day)?;
    for year in [from.year(), from.year() + 1] {
        let date = NaiveDate::from_ymd_opt(year, m, d)
            .or_else(|| (m == 2 && d == 29).then(|| NaiveDate::from_ymd_opt(year, 2, 28))?)?;
        if date >= from {
            return Some(date);
        }
    }
    None
}

/// Escapes `\`, `;`, `:` and newlines of an address part for the text form.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ':' => out.push_str("\\:"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Splits on unescaped `;` and undoes [`esc`].
fn unesc_parts(s: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut it = s.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some('n') => parts.last_mut().unwrap_or(&mut String::new()).push('\n'),
                Some(o) => {
                    if let Some(p) = parts.last_mut() {
                        p.push(o)
                    }
                }
                None => {}
            },
            ';' => parts.push(String::new()),
            c => {
                if let Some(p) = parts.last_mut() {
                    p.push(c)
                }
            }
        }
    }
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

/// One address in its text form: `label: street; city; region; postcode; country`
/// (empty trailing parts left out).
pub fn address_text(a: &Address) -> String {
    let mut parts: Vec<String> = [&a.street, &a.city, &a.region, &a.postcode, &a.country]
        .iter()
        .map(|s| esc(s))
        .collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    with_label(Some(&esc(&a.label)), &parts.join("; "))
}

/// Further addresses, one per line.
pub fn addresses_text(list: &[Address]) -> String {
    list.iter().map(address_text).collect::<Vec<_>>().join("\n")
}

/// Reads addresses typed one per line (or separated by ` | `).
pub fn parse_addresses(s: &str) -> Result<Vec<Address>, String> {
    let mut out = Vec::new();
    for line in s.split('\n').flat_map(|l| l.split(" | ")) {
        if line.trim().is_empty() {
            continue;
        }
        let (label, rest) = split_unescaped_label(line);
        let p = unesc_parts(rest);
        if p.len() > 5 {
            return Err(format!(
                "address '{}' has more than 5 parts — street; city; region; postcode; country",
                super::text::cut_for_message(line.trim())
            ));
        }
        let get = |i: usize| p.get(i).cloned().unwrap_or_default();
        out.push(Address {
            label: label.unwrap_or_default(),
            street: get(0),
            city: get(1),
            region: get(2),
            postcode: get(3),
            country: get(4),
        });
    }
    Ok(out)
}

/// The label of an address line: text before the first unescaped `:`.
fn split_unescaped_label(line: &str) -> (Option<String>, &str) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b':' => {
                let (label, rest) = (&line[..i], &line[i + 1..]);
                let (l, _) = split_label(&format!("{label}: x"));
                return match l {
                    Some(l) => (Some(l), rest),
                    None => (None, line),
                };
            }
            _ => i += 1,
        }
    }
    (None, line)
}

/// Labelled values in their text form: `mobile: +86 138 0013 8000, work: …`.
pub fn labelled_list(values: &[String], labels: &BTreeMap<String, String>) -> String {
    values
        .iter()
        .map(|v| with_label(labels.get(v).map(String::as_str), v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads labelled values: the values in order and their labels.
pub fn parse_labelled(items: Vec<String>) -> (Vec<String>, BTreeMap<String, String>) {
    let mut values = Vec::new();
    let mut labels = BTreeMap::new();
    for item in items {
        let (label, value) = split_label(&item);
        if value.is_empty() {
            continue;
        }
        if let Some(l) = label {
            labels.insert(value.to_string(), l);
        }
        values.push(value.to_string());
    }
    (values, labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_read_but_uri_schemes_are_not_labels() {
        assert_eq!(
            split_label("mobile: +86 138 0013 8000"),
            (Some("mobile".into()), "+86 138 0013 8000")
        );
        assert_eq!(
            split_label("Work:ann@x.com"),
            (Some("work".into()), "ann@x.com")
        );
        assert_eq!(split_label("tel:+1-555-0100"), (None, "tel:+1-555-0100"));
        assert_eq!(split_label("https://x.com"), (None, "https://x.com"));
        assert_eq!(split_label("+1 555 0100"), (None, "+1 555 0100"));
        assert_eq!(split_label("微信: zw88"), (Some("微信".into()), "zw88"));
    }

    #[test]
    fn days_with_and_without_year() {
        assert_eq!(parse_day("1990-03-15").unwrap(), "1990-03-15");
        assert_eq!(parse_day("19900315").unwrap(), "1990-03-15");
        assert_eq!(parse_day("1990/3/5").unwrap(), "1990-03-05");
        assert_eq!(parse_day("--0315").unwrap(), "--03-15");
        assert_eq!(parse_day("--02-29").unwrap(), "--02-29");
        assert_eq!(parse_day("1604-07-01").unwrap(), "--07-01");
        assert_eq!(parse_day("1990-03-15T00:00:00Z").unwrap(), "1990-03-15");
        assert!(parse_day("1990-02-30").is_err());
        assert!(parse_day("soon").is_err());
        let from = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            next_occurrence("1990-03-15", from),
            NaiveDate::from_ymd_opt(2027, 3, 15)
        );
        assert_eq!(
            next_occurrence("--12-01", from),
            NaiveDate::from_ymd_opt(2026, 12, 1)
        );
        assert_eq!(
            next_occurrence("--02-29", from),
            NaiveDate::from_ymd_opt(2027, 2, 28)
        );
    }

    #[test]
    fn addresses_round_trip_through_their_text() {
        let list = vec![
            Address {
                label: "home".into(),
                street: "1 Main St\nFlat 2; back".into(),
                city: "Springfield".into(),
                region: "IL".into(),
                postcode: "62701".into(),
                country: "USA".into(),
            },
            Address {
                street: "Room: 5".into(),
                city: "北京".into(),
                ..Default::default()
            },
        ];
        let text = addresses_text(&list);
        assert_eq!(parse_addresses(&text).unwrap(), list);
    }
}
