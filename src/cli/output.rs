//! Printing records for people (sanitised text) and for scripts (JSON).

use crate::domain::text::{sanitize_for_terminal as clean, sanitize_multiline};
use crate::domain::Kind;
use crate::store::{Store, Tag};
use anyhow::Result;
use serde::Serialize;
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

/// The record as JSON with its tags under `"tags"`.
pub fn record_json(record: &AnyRecord, tags: &[Tag]) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(record)?;
    if let serde_json::Value::Object(map) = &mut v {
        map.insert("tags".into(), serde_json::to_value(tags)?);
    }
    Ok(v)
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

/// Prints one record as `label: value` lines, then its tags.
pub fn print_record(record: &AnyRecord, tags: &[Tag]) {
    let meta = record.meta();
    let fields = record.fields();
    let width = fields
        .specs()
        .iter()
        .map(|s| s.label.width())
        .max()
        .unwrap_or(8)
        .max(8);
    println!("{} {}", pad("id", width), meta.id);
    for spec in fields.specs() {
        let value = fields.get(spec.name);
        if value.is_empty() {
            continue;
        }
        let value = if matches!(spec.ty, crate::domain::fields::FieldType::LongText) {
            sanitize_multiline(&value).replace('\n', &format!("\n{}", " ".repeat(width + 1)))
        } else {
            clean(&value)
        };
        println!("{} {}", pad(spec.label, width), value);
    }
    if let AnyRecord::Customer(c) = record {
        for (k, v) in &c.custom {
            println!("{} {}", pad(k, width), clean(v));
        }
    }
    if let AnyRecord::Opportunity(o) = record {
        for (i, item) in o.items.iter().enumerate() {
            println!(
                "{} product {} × {} @ {} = {}",
                pad(if i == 0 { "Lines" } else { "" }, width),
                item.product_id,
                item.quantity,
                item.unit_price,
                item.total()
            );
        }
    }
    println!(
        "{} version {}, created {}, updated {}{}",
        pad("", width),
        meta.version,
        meta.created_at.format("%Y-%m-%d %H:%M"),
        meta.updated_at.format("%Y-%m-%d %H:%M"),
        meta.deleted_at
            .map(|d| format!(", in the trash since {}", d.format("%Y-%m-%d %H:%M")))
            .unwrap_or_default()
    );
    if !tags.is_empty() {
        println!("\nTags");
        for t in tags {
            println!(
                "  {}={}  ({})",
                clean(&t.dimension),
                clean(&t.value),
                clean(&t.reason)
            );
        }
    }
}

/// One line per record for `list`.
pub fn list_line(record: &AnyRecord) -> String {
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
            pad(o.stage.as_str(), 11),
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
            pad(a.kind.as_str(), 8),
            pad(
                &a.customer_id
                    .map(|c| format!("customer {c}"))
                    .unwrap_or_default(),
                15
            ),
            pad(&a.summary, 40)
        ),
    }
}
