//! Stored tags and their history. The classifier decides the tags; this
//! module writes them (inside the caller's transaction) and reads them back.
//!
//! A record's tag values are one row of `tag_sets`: the text
//! `"\ndim=value\ndim=value\n"`, sorted by dimension, so a sweep compares a
//! record's new tags with one string and writes one row, and a filter by tag
//! is `instr(tags, '\nvalue=high\n')`. Reasons are not stored with the
//! values: they are rendered from the record's facts when shown, so they are
//! always today's. `tag_history` keeps each change with the reason for
//! it. A record's first tags are history when the record is saved one at a
//! time; the sweep's first classification of a bulk-loaded book (`dossier
//! gen`, a large import) writes values only — millions of "– → x" rows
//! would say nothing the values do not.

use super::engine::conn::Conn;
use super::{Result, Store};
use crate::domain::Kind;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

pub use crate::classify::Tag;

/// A change of one tag caused by a write or a sweep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagChange {
    pub kind: Kind,
    pub id: i64,
    pub dimension: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: String,
}

impl std::fmt::Display for TagChange {
    /// `value: low → high`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} → {}",
            self.dimension,
            self.old.as_deref().unwrap_or("–"),
            self.new.as_deref().unwrap_or("–")
        )
    }
}

/// One row of a record's tag history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagHistoryEntry {
    pub at: DateTime<Utc>,
    pub dimension: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: String,
}

/// Reason written to history when a tag no longer applies.
const GONE: &str = "no rule applies any more";

/// A value as it can be stored: one line.
fn clean_value(v: &str) -> std::borrow::Cow<'_, str> {
    if v.bytes().any(|b| b == b'\n' || b == b'\r') {
        v.replace(['\n', '\r'], " ").into()
    } else {
        v.into()
    }
}

/// The stored text of a set of tag values: `"\ndim=value\n…"`, sorted by
/// dimension (an empty set is `"\n"`: classified, no tag applies).
pub(crate) fn encode<'a>(values: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut v: Vec<(&str, &str)> = values.into_iter().collect();
    // By dimension; the values of a list-valued dimension in order.
    v.sort_unstable();
    let mut out =
        String::with_capacity(1 + v.iter().map(|p| p.0.len() + p.1.len() + 2).sum::<usize>());
    out.push('\n');
    for (d, val) in v {
        out.push_str(d);
        out.push('=');
        out.push_str(&clean_value(val));
        out.push('\n');
    }
    out
}

/// The `(dimension, value)` pairs of a stored set, in dimension order.
pub(crate) fn decode(set: &str) -> impl Iterator<Item = (&str, &str)> {
    set.split('\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once('='))
}

/// The `(dimension, value)` pairs of a stored set, owned.
pub fn decode_tags(set: &str) -> Vec<(String, String)> {
    decode(set)
        .map(|(d, v)| (d.to_string(), v.to_string()))
        .collect()
}

/// The needle that finds `dimension = value` in a stored set.
pub(crate) fn needle(dimension: &str, value: &str) -> String {
    format!("\n{dimension}={}\n", clean_value(value))
}

/// A record's stored set, if it was ever classified.
pub(crate) fn stored_set(conn: &Conn, kind: Kind, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT tags FROM tag_sets WHERE record_kind = ?1 AND record_id = ?2")?
        .query_row(params![kind.as_str(), id], |r| r.get(0))
        .optional()?)
}

/// A record's stored tag values, by dimension.
pub(crate) fn stored_values(conn: &Conn, kind: Kind, id: i64) -> Result<BTreeMap<String, String>> {
    Ok(stored_set(conn, kind, id)?
        .map(|s| {
            grouped(&s)
                .into_iter()
                .map(|(d, v)| (d.to_string(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default())
}

/// One dimension whose value differs between two sets. The values of a
/// list-valued dimension (several lines of one dimension) are compared
/// together and shown joined: `audience: adults, seniors → adults`.
pub(crate) struct Diff<'a> {
    pub dimension: &'a str,
    pub old: Option<Cow<'a, str>>,
    pub new: Option<Cow<'a, str>>,
}

/// The `(dimension, value)` pairs of a stored set with the values of a
/// repeated dimension joined by ", ", in dimension order.
fn grouped(set: &str) -> Vec<(&str, Cow<'_, str>)> {
    let mut out: Vec<(&str, Cow<'_, str>)> = Vec::new();
    for (d, v) in decode(set) {
        match out.last_mut() {
            Some((last, joined)) if *last == d => {
                let j = joined.to_mut();
                j.push_str(", ");
                j.push_str(v);
            }
            _ => out.push((d, Cow::Borrowed(v))),
        }
    }
    out
}

/// Tag values by dimension, the values of a list-valued dimension sorted
/// and joined by ", " as [`stored_values`] gives them.
pub(crate) fn joined_values<'a>(
    tags: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<String, String> {
    grouped(&encode(tags))
        .into_iter()
        .map(|(d, v)| (d.to_string(), v.into_owned()))
        .collect()
}

/// The dimensions whose values differ between the stored set `old` and
/// `new` (both sorted by dimension, as [`encode`] writes them).
pub(crate) fn diff<'a>(old: &'a str, new: &'a str) -> Vec<Diff<'a>> {
    let mut out = Vec::new();
    let mut a = grouped(old).into_iter().peekable();
    let mut b = grouped(new).into_iter().peekable();
    loop {
        let order = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some((da, _)), Some((db, _))) => da.cmp(db),
        };
        match order {
            std::cmp::Ordering::Less => {
                let (d, v) = a.next().expect("peeked");
                out.push(Diff {
                    dimension: d,
                    old: Some(v),
                    new: None,
                });
            }
            std::cmp::Ordering::Greater => {
                let (d, v) = b.next().expect("peeked");
                out.push(Diff {
                    dimension: d,
                    old: None,
                    new: Some(v),
                });
            }
            std::cmp::Ordering::Equal => {
                let (d, va) = a.next().expect("peeked");
                let (_, vb) = b.next().expect("peeked");
                if va != vb {
                    out.push(Diff {
                        dimension: d,
                        old: Some(va),
                        new: Some(vb),
                    });
                }
            }
        }
    }
    out
}

/// Writes a record's set (`old` is what is stored, if anything) and a
/// history row for each changed value (for a record never tagged before,
/// only with `first_is_history`).
/// `reason` gives the reason of a new value by dimension. Returns the
/// changes; nothing is written when the set is unchanged.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_set(
    conn: &Conn,
    kind: Kind,
    id: i64,
    old: Option<&str>,
    new: &str,
    reason: &dyn Fn(&str) -> String,
    first_is_history: bool,
    now: DateTime<Utc>,
) -> Result<Vec<TagChange>> {
    if old == Some(new) {
        return Ok(Vec::new());
    }
    conn.prepare_cached(
        "INSERT INTO tag_sets (record_kind, record_id, tags) VALUES (?1, ?2, ?3)
         ON CONFLICT(record_kind, record_id) DO UPDATE SET tags = excluded.tags",
    )?
    .execute(params![kind.as_str(), id, new])?;
    let mut history = conn.prepare_cached(
        "INSERT INTO tag_history (at, record_kind, record_id, dimension, old_value, new_value, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let changes: Vec<TagChange> = diff(old.unwrap_or("\n"), new)
        .into_iter()
        .map(|d| TagChange {
            kind,
            id,
            dimension: d.dimension.to_string(),
            reason: if d.new.is_some() {
                reason(d.dimension)
            } else {
                GONE.to_string()
            },
            old: d.old.map(Cow::into_owned),
            new: d.new.map(Cow::into_owned),
        })
        .collect();
    if old.is_some() || first_is_history {
        for c in &changes {
            history.execute(params![
                now,
                kind.as_str(),
                id,
                c.dimension,
                c.old,
                c.new,
                c.reason
            ])?;
        }
    }
    Ok(changes)
}

/// Replaces a record's tags with `tags` inside the caller's transaction;
/// returns the changes (see [`write_set`]).
pub(crate) fn write_tags(
    conn: &Conn,
    kind: Kind,
    id: i64,
    tags: &[Tag],
    now: DateTime<Utc>,
) -> Result<Vec<TagChange>> {
    let new = encode(
        tags.iter()
            .map(|t| (t.dimension.as_str(), t.value.as_str())),
    );
    let old = stored_set(conn, kind, id)?;
    let reason = |dim: &str| {
        tags.iter()
            .find(|t| t.dimension == dim)
            .map(|t| t.reason.clone())
            .unwrap_or_default()
    };
    write_set(conn, kind, id, old.as_deref(), &new, &reason, true, now)
}

/// Forgets a record's tags (the record was purged).
pub(crate) fn forget(conn: &Conn, kind: Kind, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM tag_sets WHERE record_kind = ?1 AND record_id = ?2")?
        .execute(params![kind.as_str(), id])?;
    Ok(())
}

/// Calls `f(record_id, set)` for the stored set of every record of `kind`
/// that is not in the trash, in record order. One scan of `tag_sets`: the
/// trash is read from its partial index instead of joining every record.
/// Ids of live records of `kind` carrying `dimension = value`, on any
/// connection (the TUI reads it on a background one).
pub fn ids_with_tag(conn: &Conn, kind: Kind, dimension: &str, value: &str) -> Result<Vec<i64>> {
    if kind == Kind::Customer && dimension == super::customers::GROUP_DIMENSION {
        return super::customers::ids_in_group(conn, value);
    }
    let needle = needle(dimension, value);
    let mut out = Vec::new();
    for_each_live_set(conn, kind, |id, set| {
        if set.contains(&needle) {
            out.push(id);
        }
    })?;
    Ok(out)
}

pub(crate) fn for_each_live_set(
    conn: &Conn,
    kind: Kind,
    mut f: impl FnMut(i64, &str),
) -> Result<()> {
    let trashed: std::collections::HashSet<i64> = conn
        .prepare_cached(&format!(
            "SELECT id FROM {} WHERE deleted_at IS NOT NULL",
            kind.table()
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT record_id, tags FROM tag_sets WHERE record_kind = ?1 ORDER BY record_id",
    )?;
    let mut rows = stmt.query([kind.as_str()])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if trashed.contains(&id) {
            continue;
        }
        if let rusqlite::types::ValueRef::Text(t) = r.get_ref(1)? {
            f(id, std::str::from_utf8(t).unwrap_or_default());
        }
    }
    Ok(())
}

/// Finds one dimension's value in stored sets (a substring search for
/// `"\ndim="`, not a walk over every tag).
pub(crate) struct DimFinder(String);

impl DimFinder {
    pub(crate) fn new(dimension: &str) -> DimFinder {
        DimFinder(format!("\n{dimension}="))
    }

    /// The value of the dimension in `set`, if the record has one.
    pub(crate) fn value_in<'a>(&self, set: &'a str) -> Option<&'a str> {
        let start = set.find(&self.0)? + self.0.len();
        let rest = &set[start..];
        Some(&rest[..rest.find('\n').unwrap_or(rest.len())])
    }
}

/// Counts of each `dim=value` line of many sets (one hash lookup per tag).
#[derive(Default)]
pub(crate) struct LineCounts(super::fast_hash::FastMap<i64>);

impl LineCounts {
    pub(crate) fn add(&mut self, line: &str) {
        super::fast_hash::update(&mut self.0, line, |n| *n += 1);
    }

    /// By dimension, then value.
    pub(crate) fn by_dimension(self) -> BTreeMap<String, BTreeMap<String, i64>> {
        let mut out: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        for (line, n) in self.0 {
            if let Some((d, v)) = line.split_once('=') {
                out.entry(d.to_string())
                    .or_default()
                    .insert(v.to_string(), n);
            }
        }
        out
    }
}

impl Store {
    /// A record's current tags, by dimension, each with the reason the
    /// rules give it today. A stored value that today's facts no longer
    /// give (the day's sweep has not run yet) says so in its reason.
    pub fn tags(&self, kind: Kind, id: i64) -> Result<Vec<Tag>> {
        let mut tags = self.classified_tags(kind, id)?;
        if kind == Kind::Customer {
            if let Ok(c) = self.customer(id) {
                tags.extend(super::customers::group_tags(&c));
            }
        }
        Ok(tags)
    }

    fn classified_tags(&self, kind: Kind, id: i64) -> Result<Vec<Tag>> {
        let stored = stored_values(&self.conn, kind, id)?;
        if stored.is_empty() {
            return Ok(Vec::new());
        }
        let cls = self.classify.get(&self.conn)?;
        let today = self.clock.today();
        let Some(current) = super::retag::expected_tags(&self.conn, cls, kind, id, today)? else {
            // In the trash (or a deal of a customer in the trash): the tags
            // are kept as they were, and no facts are read for it today.
            return Ok(stored
                .into_iter()
                .map(|(dimension, value)| Tag {
                    dimension,
                    value,
                    reason: "kept from the last classification while it is in the trash".into(),
                })
                .collect());
        };
        let today_values = joined_values(
            current
                .iter()
                .map(|t| (t.dimension.as_str(), t.value.as_str())),
        );
        Ok(stored
            .into_iter()
            .map(|(dimension, value)| {
                let now = current.iter().find(|t| t.dimension == dimension);
                let reason = match (now, today_values.get(&dimension)) {
                    (Some(t), Some(v)) if *v == value => t.reason.clone(),
                    (Some(_), Some(v)) => format!(
                        "given at the last classification; today's facts give {v} (dossier classify updates it)"
                    ),
                    _ => "given at the last classification; no rule gives it today (dossier classify updates it)".to_string(),
                };
                Tag {
                    dimension,
                    value,
                    reason,
                }
            })
            .collect())
    }

    /// A record's stored tag values by dimension, without reasons (cheap:
    /// one row read).
    pub fn tag_values(&self, kind: Kind, id: i64) -> Result<BTreeMap<String, String>> {
        stored_values(&self.conn, kind, id)
    }

    /// A record's tag history, oldest first.
    pub fn tag_history(&self, kind: Kind, id: i64) -> Result<Vec<TagHistoryEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, dimension, old_value, new_value, reason FROM tag_history
             WHERE record_kind = ?1 AND record_id = ?2 ORDER BY at, id",
        )?;
        let rows = stmt.query_map(params![kind.as_str(), id], |r| {
            Ok(TagHistoryEntry {
                at: r.get(0)?,
                dimension: r.get(1)?,
                old: r.get(2)?,
                new: r.get(3)?,
                reason: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Ids of live records of `kind` carrying `dimension = value`.
    pub fn ids_with_tag(&self, kind: Kind, dimension: &str, value: &str) -> Result<Vec<i64>> {
        ids_with_tag(&self.conn, kind, dimension, value)
    }

    /// For every dimension, how many live records of `kind` carry each
    /// value (one scan).
    pub fn tag_distributions(&self, kind: Kind) -> Result<BTreeMap<String, BTreeMap<String, i64>>> {
        let mut counts = LineCounts::default();
        for_each_live_set(&self.conn, kind, |_, set| {
            set.split('\n')
                .filter(|l| !l.is_empty())
                .for_each(|l| counts.add(l));
        })?;
        let mut out = counts.by_dimension();
        if kind == Kind::Customer {
            let groups = out
                .entry(super::customers::GROUP_DIMENSION.to_string())
                .or_default();
            super::customers::each_with_groups(&self.conn, |_, list| {
                for g in list {
                    *groups.entry(g.clone()).or_insert(0) += 1;
                }
            })?;
            if groups.is_empty() {
                out.remove(super::customers::GROUP_DIMENSION);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Customer;

    fn tag(d: &str, v: &str, r: &str) -> Tag {
        Tag {
            dimension: d.into(),
            value: v.into(),
            reason: r.into(),
        }
    }

    #[test]
    fn sets_encode_sorted_and_decode_back() {
        let s = encode([
            ("value", "high"),
            ("lifecycle", "new"),
            ("location", "a\nb"),
        ]);
        assert_eq!(s, "\nlifecycle=new\nlocation=a b\nvalue=high\n");
        let back: Vec<_> = decode(&s).collect();
        assert_eq!(
            back,
            [("lifecycle", "new"), ("location", "a b"), ("value", "high")]
        );
        assert_eq!(encode([]), "\n");
        assert_eq!(decode("\n").count(), 0);
        // A value may hold '=': only the first one splits.
        assert_eq!(
            decode("\nnote=a=b\n").collect::<Vec<_>>(),
            [("note", "a=b")]
        );
    }

    #[test]
    fn diff_lists_changed_added_and_removed_dimensions() {
        let d = diff("\na=1\nb=2\nc=3\n", "\nb=2\nc=4\nd=5\n");
        let got: Vec<_> = d
            .iter()
            .map(|d| (d.dimension, d.old.as_deref(), d.new.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", Some("1"), None),
                ("c", Some("3"), Some("4")),
                ("d", None, Some("5"))
            ]
        );
        assert!(diff("\na=1\n", "\na=1\n").is_empty());
    }

    #[test]
    fn a_list_valued_dimension_is_one_line_per_value_and_diffs_as_a_whole() {
        let set = encode([
            ("audience", "seniors"),
            ("brand", "Acme"),
            ("audience", "adults"),
        ]);
        assert_eq!(set, "\naudience=adults\naudience=seniors\nbrand=Acme\n");
        // A filter by one value finds the record among the others.
        assert!(set.contains(&needle("audience", "seniors")));
        assert!(!set.contains(&needle("audience", "adults, seniors")));
        let d = diff(&set, "\naudience=adults\nbrand=Acme\n");
        let got: Vec<_> = d
            .iter()
            .map(|d| (d.dimension, d.old.as_deref(), d.new.as_deref()))
            .collect();
        assert_eq!(got, [("audience", Some("adults, seniors"), Some("adults"))]);
        assert!(diff(&set, &set).is_empty());
        assert_eq!(
            joined_values([("audience", "seniors"), ("audience", "adults")])["audience"],
            "adults, seniors"
        );
    }

    #[test]
    fn counts_and_ids_leave_the_trash_out() {
        let mut s = Store::open_in_memory().unwrap();
        let a = s.add_customer(&Customer::named("Ann")).unwrap().meta.id;
        let b = s.add_customer(&Customer::named("Bo")).unwrap().meta.id;
        let now = s.clock().now();
        for id in [a, b] {
            write_tags(
                s.conn(),
                Kind::Customer,
                id,
                &[tag("value", "high", "r")],
                now,
            )
            .unwrap();
        }
        assert_eq!(
            s.ids_with_tag(Kind::Customer, "value", "high").unwrap(),
            [a, b]
        );
        s.delete(Kind::Customer, b, None).unwrap();
        assert_eq!(
            s.ids_with_tag(Kind::Customer, "value", "high").unwrap(),
            [a]
        );
        assert_eq!(
            s.tag_distribution(Kind::Customer, "value").unwrap(),
            [("high".to_string(), 1)]
        );
        assert_eq!(
            s.tag_distributions(Kind::Customer).unwrap()["value"]["high"],
            1
        );
        assert!(s
            .ids_with_tag(Kind::Customer, "value", "hig")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn writes_changes_and_history_after_the_first_tags() {
        let mut s = Store::open_in_memory().unwrap();
        let c = s.add_customer(&Customer::named("Ann")).unwrap();
        let now = s.clock().now();
        // A record the cascade has not tagged (write_tags does not look the record up).
        let id = c.meta.id + 1000;
        let ch = write_tags(
            s.conn(),
            Kind::Customer,
            id,
            &[tag("value", "low", "r1")],
            now,
        )
        .unwrap();
        assert_eq!(ch.len(), 1);
        assert_eq!(ch[0].to_string(), "value: – → low");
        assert_eq!(s.tag_history(Kind::Customer, id).unwrap().len(), 1);
        // Same value, new reason: nothing written.
        let ch = write_tags(
            s.conn(),
            Kind::Customer,
            id,
            &[tag("value", "low", "r2")],
            now,
        )
        .unwrap();
        assert!(ch.is_empty());
        let ch = write_tags(
            s.conn(),
            Kind::Customer,
            id,
            &[tag("value", "high", "r3")],
            now,
        )
        .unwrap();
        assert_eq!(ch[0].to_string(), "value: low → high");
        assert_eq!(ch[0].reason, "r3");
        let ch = write_tags(s.conn(), Kind::Customer, id, &[], now).unwrap();
        assert_eq!(ch[0].new, None);
        let h = s.tag_history(Kind::Customer, id).unwrap();
        assert_eq!(h.len(), 3);
        assert_eq!(h[1].reason, "r3");
        assert_eq!(h[2].reason, GONE);
        assert!(stored_values(s.conn(), Kind::Customer, id)
            .unwrap()
            .is_empty());
        // Classified with no tag is still "classified": the next tag is history.
        write_tags(
            s.conn(),
            Kind::Customer,
            id,
            &[tag("value", "low", "r4")],
            now,
        )
        .unwrap();
        assert_eq!(s.tag_history(Kind::Customer, id).unwrap().len(), 4);
        // Without first_is_history (the sweep of a bulk-loaded book) a
        // record's first tags are written without history; later changes are.
        let id = id + 1;
        let first = encode([("value", "low")]);
        let r = |_: &str| "r".to_string();
        write_set(s.conn(), Kind::Customer, id, None, &first, &r, false, now).unwrap();
        assert!(s.tag_history(Kind::Customer, id).unwrap().is_empty());
        let next = encode([("value", "high")]);
        write_set(
            s.conn(),
            Kind::Customer,
            id,
            Some(&first),
            &next,
            &r,
            false,
            now,
        )
        .unwrap();
        assert_eq!(s.tag_history(Kind::Customer, id).unwrap().len(), 1);
    }
}
