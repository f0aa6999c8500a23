//! Stored tags and their history. The classifier decides the tags; this
//! module writes them (inside the caller's transaction) and reads them back.

use super::{Result, Store};
use crate::domain::Kind;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;
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

fn stored(conn: &Connection, kind: Kind, id: i64) -> Result<BTreeMap<String, (String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT dimension, value, reason FROM tags WHERE record_kind = ?1 AND record_id = ?2",
    )?;
    let rows = stmt.query_map(params![kind.as_str(), id], |r| {
        Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces a record's tags with `tags` inside the caller's transaction.
/// Writes a history row for every value that changed (a reason that changes
/// with the same value is updated silently) and returns the changes.
pub(crate) fn write_tags(
    conn: &Connection,
    kind: Kind,
    id: i64,
    tags: &[Tag],
    now: DateTime<Utc>,
) -> Result<Vec<TagChange>> {
    let old = stored(conn, kind, id)?;
    let mut changes = Vec::new();
    let mut upsert = conn.prepare_cached(
        "INSERT INTO tags (record_kind, record_id, dimension, value, reason, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(record_kind, record_id, dimension) DO UPDATE SET value = excluded.value, reason = excluded.reason, updated_at = excluded.updated_at",
    )?;
    let mut history = conn.prepare_cached(
        "INSERT INTO tag_history (at, record_kind, record_id, dimension, old_value, new_value, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for t in tags {
        match old.get(&t.dimension) {
            Some((v, r)) if *v == t.value && *r == t.reason => continue,
            Some((v, _)) if *v == t.value => {}
            prev => {
                let change = TagChange {
                    kind,
                    id,
                    dimension: t.dimension.clone(),
                    old: prev.map(|p| p.0.clone()),
                    new: Some(t.value.clone()),
                    reason: t.reason.clone(),
                };
                history.execute(params![
                    now,
                    kind.as_str(),
                    id,
                    change.dimension,
                    change.old,
                    change.new,
                    change.reason
                ])?;
                changes.push(change);
            }
        }
        upsert.execute(params![
            kind.as_str(),
            id,
            t.dimension,
            t.value,
            t.reason,
            now
        ])?;
    }
    for (dim, (value, _)) in &old {
        if !tags.iter().any(|t| &t.dimension == dim) {
            conn.execute(
                "DELETE FROM tags WHERE record_kind = ?1 AND record_id = ?2 AND dimension = ?3",
                params![kind.as_str(), id, dim],
            )?;
            let change = TagChange {
                kind,
                id,
                dimension: dim.clone(),
                old: Some(value.clone()),
                new: None,
                reason: "no rule applies any more".into(),
            };
            history.execute(params![
                now,
                kind.as_str(),
                id,
                change.dimension,
                change.old,
                change.new,
                change.reason
            ])?;
            changes.push(change);
        }
    }
    Ok(changes)
}

impl Store {
    /// A record's current tags, by dimension.
    pub fn tags(&self, kind: Kind, id: i64) -> Result<Vec<Tag>> {
        Ok(stored(&self.conn, kind, id)?
            .into_iter()
            .map(|(dimension, (value, reason))| Tag {
                dimension,
                value,
                reason,
            })
            .collect())
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

    /// The tag changes made by the writes since the last call (for the
    /// status line: "value: low → high").
    pub fn take_tag_changes(&mut self) -> Vec<TagChange> {
        std::mem::take(&mut self.tag_changes)
    }

    /// Ids of live records of `kind` carrying `dimension = value`.
    pub fn ids_with_tag(&self, kind: Kind, dimension: &str, value: &str) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record_id FROM tags WHERE record_kind = ?1 AND dimension = ?2 AND value = ?3 ORDER BY record_id",
        )?;
        let rows = stmt.query_map(params![kind.as_str(), dimension, value], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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
    fn writes_changes_and_history() {
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
        // Same value, new reason: no history row.
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
        let ch = write_tags(s.conn(), Kind::Customer, id, &[], now).unwrap();
        assert_eq!(ch[0].new, None);
        assert_eq!(s.tag_history(Kind::Customer, id).unwrap().len(), 3);
        assert!(s.tags(Kind::Customer, id).unwrap().is_empty());
    }
}
