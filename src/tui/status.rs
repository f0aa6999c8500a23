//! One wording for what a write changed, for every kind of record: the
//! tags that moved, most important first (the status line may be cut on a
//! narrow terminal), then how many moved elsewhere.

use crate::domain::Kind;
use crate::store::TagChange;
use crate::tui::labels;

/// Dimensions in the order a salesperson reads them; others follow.
const IMPORTANCE: [&str; 10] = [
    "status",
    "value",
    "lifecycle",
    "loyalty",
    "follow_up",
    "stage",
    "urgency",
    "sales",
    "frequency",
    "amount",
];

fn rank(c: &TagChange) -> usize {
    IMPORTANCE
        .iter()
        .position(|d| *d == c.dimension)
        .unwrap_or(IMPORTANCE.len())
}

/// The rules' subject of a record kind (an activity's tags are its
/// campaign's).
fn subject(kind: Kind) -> crate::classify::Subject {
    use crate::classify::Subject;
    match kind {
        Kind::Customer => Subject::Customer,
        Kind::Opportunity => Subject::Opportunity,
        Kind::Product => Subject::Product,
        Kind::Activity => Subject::Campaign,
    }
}

/// `value: low → high` (`客户价值: 低 → 高` in Chinese).
pub fn change(c: &TagChange) -> String {
    let shown = |v: &Option<String>| match v {
        Some(v) => labels::tag(subject(c.kind), &c.dimension, v).1,
        None => "–".to_string(),
    };
    let (dimension, _) = labels::tag(subject(c.kind), &c.dimension, "");
    format!("{dimension}: {} → {}", shown(&c.old), shown(&c.new))
}

fn list(mut v: Vec<&TagChange>) -> String {
    v.sort_by_key(|c| rank(c));
    v.iter().map(|c| change(c)).collect::<Vec<_>>().join(", ")
}

/// ` · value: low, lifecycle: new, 14 more tags`: the tags a new customer
/// `id` was given, value and lifecycle named.
pub fn describe_new(changes: &[TagChange], id: i64) -> String {
    let own: Vec<&TagChange> = changes
        .iter()
        .filter(|c| c.kind == Kind::Customer && c.id == id)
        .collect();
    if own.is_empty() {
        return format!(" · {}", labels::t("status-no-tags-yet"));
    }
    let mut parts: Vec<String> = ["value", "lifecycle"]
        .iter()
        .filter_map(|d| own.iter().find(|c| c.dimension == *d))
        .filter_map(|c| {
            let (d, v) = labels::tag(subject(c.kind), &c.dimension, c.new.as_deref()?);
            Some(format!("{d}: {v}"))
        })
        .collect();
    let rest = own.len() - parts.len();
    if rest > 0 {
        parts.push(crate::tr!("status-more-tags", count = rest));
    }
    format!(" · {}", parts.join(", "))
}

/// "Added 张伟" / "已添加 张伟": what a save did, before its tag changes.
pub fn saved(added: bool, name: &str) -> String {
    if added {
        crate::tr!("status-added", name = name)
    } else {
        crate::tr!("status-saved", name = name)
    }
}

/// ` · 张伟 status: prospect → existing, value: low → high · size: – → big
/// (+2 on related records)`: the customer's changes (when the record is not
/// the customer), the record's own, and how many moved on other records.
pub fn describe(
    changes: &[TagChange],
    own: (Kind, i64),
    customer: Option<&(i64, String)>,
) -> String {
    let mine: Vec<&TagChange> = changes.iter().filter(|c| (c.kind, c.id) == own).collect();
    let theirs: Vec<&TagChange> = changes
        .iter()
        .filter(|c| customer.is_some_and(|(id, _)| c.kind == Kind::Customer && c.id == *id))
        .filter(|c| (c.kind, c.id) != own)
        .collect();
    let rest = changes.len() - mine.len() - theirs.len();
    let mut out = String::new();
    if mine.is_empty() && theirs.is_empty() {
        out.push_str(&format!(" · {}", labels::t("status-no-tag-changed")));
    }
    // The customer's changes first: they are what a save is usually for.
    if let (false, Some((_, name))) = (theirs.is_empty(), customer) {
        out.push_str(&format!(" · {name} {}", list(theirs)));
    }
    if !mine.is_empty() {
        out.push_str(&format!(" · {}", list(mine)));
    }
    if rest > 0 {
        out.push_str(&format!(" {}", crate::tr!("status-related", count = rest)));
    }
    out
}
