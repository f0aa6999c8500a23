//! Printing records for people (sanitised text) and for scripts (JSON).

use super::people::{field_label, stored_reason, Labels, Reason};
use crate::domain::text::{sanitize_for_terminal as clean, sanitize_multiline};
use crate::domain::Kind;
use crate::store::{Store, Tag};
use crate::tr;
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use unicode_width::UnicodeWidthStr;

pub use crate::domain::AnyRecord;

/// Reads a record of any kind.
pub fn load_record(store: &Store, kind: Kind, id: i64) -> Result<AnyRecord> {
    Ok(match kind {
        Kind::Customer => AnyRecord::Customer(store.customer(id)?),
        Kind::Opportunity => AnyRecord::Opportunity(store.opportunity(id)?),
        Kind::Product => AnyRecord::Product(store.product(id)?),
        Kind::Activity => AnyRecord::Activity(store.activity(id)?),
    })
}

/// Name or title for one-line mentions, in the language in force (a
/// touch's kind is a word of it).
pub fn record_label(record: &AnyRecord) -> String {
    match record {
        AnyRecord::Activity(r) => format!(
            "{} {}: {}",
            r.date,
            activity_kind(r.kind.as_str()),
            r.summary
        ),
        other => other.label(),
    }
}

/// The record as JSON with its tags under `"tags"`.
pub fn record_json(record: &AnyRecord, tags: &[Tag]) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(record)?;
    if let serde_json::Value::Object(map) = &mut v {
        map.insert("tags".into(), serde_json::to_value(tags)?);
        // Name parts split from the name are not stored; show them anyway.
        if let AnyRecord::Customer(c) = record {
            let (family, given) = c.name_parts();
            map.entry("given_name").or_insert(given.into());
            map.entry("family_name").or_insert(family.into());
        }
    }
    Ok(v)
}

/// A record's JSON with its owner on a team book (`owned_by`); as it was
/// on a local book, which has no owners.
pub fn owned_json(mut value: serde_json::Value, owner: Option<&str>) -> serde_json::Value {
    if let (Some(owner), serde_json::Value::Object(map)) = (owner, &mut value) {
        map.insert("owned_by".into(), owner.into());
    }
    value
}

/// JSON on one line, safe to print to a terminal (see [`terminal_safe_json`]).
pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    Ok(terminal_safe_json(serde_json::to_string(value)?))
}

/// Indented JSON, safe to print to a terminal.
pub fn to_json_pretty<T: Serialize>(value: &T) -> Result<String> {
    Ok(terminal_safe_json(serde_json::to_string_pretty(value)?))
}

/// serde_json escapes C0 controls but leaves DEL, C1 controls (U+009B is an
/// 8-bit CSI) and bidirectional overrides raw; they become `\uXXXX` escapes,
/// which a JSON reader decodes to the same text. Outside strings JSON has
/// none of these characters, so replacing them anywhere is safe.
pub fn terminal_safe_json(json: String) -> String {
    let risky = |c: char| {
        c.is_control() && c != '\n'
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !json.chars().any(risky) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if risky(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Pads `s` to `width` terminal columns (CJK counts double), cutting with … if longer.
pub fn pad(s: &str, width: usize) -> String {
    let s = clean(s);
    if s.width() <= width {
        let fill = width - s.width();
        return format!("{s}{}", " ".repeat(fill));
    }
    let mut out = String::new();
    let mut w = 0;
    for ch in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(ch);
        w += cw;
    }
    out.push('…');
    w += 1;
    out.push_str(&" ".repeat(width.saturating_sub(w)));
    out
}

/// The kind of a loaded record.
pub fn kind_of(record: &AnyRecord) -> Kind {
    match record {
        AnyRecord::Customer(_) => Kind::Customer,
        AnyRecord::Opportunity(_) => Kind::Opportunity,
        AnyRecord::Product(_) => Kind::Product,
        AnyRecord::Activity(_) => Kind::Activity,
    }
}

/// A record's fields as (label, value) for people, in the language in
/// force: empty fields left out, choices shown as their labels.
pub fn field_rows(record: &AnyRecord, labels: &Labels) -> Vec<(String, String)> {
    let kind = kind_of(record);
    let fields = record.fields();
    let mut rows = Vec::new();
    let specs = fields.specs();
    for spec in specs {
        let value = match (record, spec.name) {
            // The name's split is shown though not stored.
            (AnyRecord::Customer(c), "given_name") => c.name_parts().1,
            (AnyRecord::Customer(c), "family_name") => c.name_parts().0,
            _ => fields.get(spec.name),
        };
        if value.is_empty() {
            continue;
        }
        let value = match (kind, spec.name) {
            (Kind::Opportunity, "stage") => labels.stage(&value),
            (Kind::Activity, "kind") => activity_kind(&value),
            (Kind::Customer, "kind") => labels.tag(Kind::Customer, "type", &value).1,
            (Kind::Activity, "sentiment") => labels.tag(Kind::Customer, "feedback", &value).1,
            (Kind::Activity, "region" | "goal") => labels.tag(Kind::Activity, spec.name, &value).1,
            _ => value,
        };
        rows.push((field_label(specs, spec), value));
    }
    if let AnyRecord::Customer(c) = record {
        for (k, v) in &c.custom {
            rows.push((k.clone(), v.clone()));
        }
    }
    if let AnyRecord::Opportunity(o) = record {
        for (i, item) in o.items.iter().enumerate() {
            rows.push((
                if i == 0 {
                    tr!("cli-field-lines")
                } else {
                    String::new()
                },
                tr!(
                    "cli-line-item",
                    product = item.product_id,
                    quantity = item.quantity.to_string(),
                    price = item.unit_price.to_string(),
                    total = item.total().to_string()
                ),
            ));
        }
    }
    rows
}

/// A tag as (dimension label, value label, reason) for people.
pub fn tag_rows(
    kind: Kind,
    tags: &[Tag],
    labels: &Labels,
    reasons: &BTreeMap<(String, String), Reason>,
) -> Vec<(String, String, String)> {
    tags.iter()
        .map(|t| {
            let (dim, value) = labels.tag(kind, &t.dimension, &t.value);
            let reason = reasons
                .get(&(t.dimension.clone(), t.value.clone()))
                .map_or_else(|| stored_reason(&t.reason).to_string(), |r| r.text.clone());
            (dim, value, reason)
        })
        .collect()
}

/// Prints one record as `label: value` lines, then its tags.
pub fn print_record(
    record: &AnyRecord,
    tags: &[Tag],
    labels: &Labels,
    reasons: &BTreeMap<(String, String), Reason>,
) {
    let meta = record.meta();
    let rows = field_rows(record, labels);
    let width = rows
        .iter()
        .map(|(l, _)| l.width())
        .max()
        .unwrap_or(8)
        .max(8);
    println!("{} {}", pad("id", width), meta.id);
    for (label, value) in &rows {
        let value =
            sanitize_multiline(value).replace('\n', &format!("\n{}", " ".repeat(width + 1)));
        println!("{} {}", pad(label, width), value);
    }
    let trashed = meta
        .deleted_at
        .map(|d| {
            tr!(
                "cli-in-trash-since",
                at = d.format("%Y-%m-%d %H:%M").to_string()
            )
        })
        .unwrap_or_default();
    println!(
        "{} {}{}",
        pad("", width),
        tr!(
            "cli-version-line",
            version = meta.version,
            created = meta.created_at.format("%Y-%m-%d %H:%M").to_string(),
            updated = meta.updated_at.format("%Y-%m-%d %H:%M").to_string()
        ),
        trashed
    );
    let rows = tag_rows(kind_of(record), tags, labels, reasons);
    if !rows.is_empty() {
        println!("\n{}", tr!("cli-heading-tags"));
        for (dim, value, reason) in rows {
            println!("  {}: {}  ({})", clean(&dim), clean(&value), clean(&reason));
        }
    }
}

/// One line per record for `list`.
pub fn list_line(record: &AnyRecord, labels: &Labels) -> String {
    let id = format!("{:>7}", record.meta().id);
    match record {
        AnyRecord::Customer(c) => format!(
            "{id}  {}  {}  {}",
            pad(&c.name, 20),
            pad(&c.company, 28),
            pad(&c.city, 10)
        ),
        AnyRecord::Opportunity(o) => format!(
            "{id}  {}  {}  {:>14}  {}",
            pad(&o.title, 30),
            pad(&labels.stage(o.stage.as_str()), 11),
            o.amount.display_with(&o.currency),
            o.close_date().map(|d| d.to_string()).unwrap_or_default()
        ),
        AnyRecord::Product(p) => format!(
            "{id}  {}  {}  {}  {:>12}",
            pad(&p.name, 26),
            pad(&p.sku, 12),
            pad(&p.category, 14),
            p.price.display_with(&p.currency)
        ),
        AnyRecord::Activity(a) => format!(
            "{id}  {}  {}  {}  {}",
            a.date,
            pad(&activity_kind(a.kind.as_str()), 8),
            pad(
                &a.customer_id
                    .map(|c| tr!("cli-customer-ref", id = c))
                    .unwrap_or_default(),
                15
            ),
            pad(&a.summary, 40)
        ),
    }
}

/// An activity kind for people (call → 电话).
pub fn activity_kind(kind: &str) -> String {
    match kind {
        "call" => tr!("activity-call"),
        "visit" => tr!("activity-visit"),
        "meeting" => tr!("activity-meeting"),
        "email" => tr!("activity-email"),
        "note" => tr!("activity-note"),
        "campaign" => tr!("activity-campaign"),
        other => other.to_string(),
    }
}
