//! One wording for what a write changed, for every kind of record: the
//! tags that moved, most important first (the status line may be cut on a
//! narrow terminal), then how many moved elsewhere.

use crate::domain::Kind;
use crate::store::TagChange;

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

fn list(mut v: Vec<&TagChange>) -> String {
    v.sort_by_key(|c| rank(c));
    v.iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ")
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
        out.push_str(" · no tag changed");
    }
    // The customer's changes first: they are what a save is usually for.
    if let (false, Some((_, name))) = (theirs.is_empty(), customer) {
        out.push_str(&format!(" · {name} {}", list(theirs)));
    }
    if !mine.is_empty() {
        out.push_str(&format!(" · {}", list(mine)));
    }
    if rest > 0 {
        out.push_str(&format!(" (+{rest} on related records)"));
    }
    out
}
