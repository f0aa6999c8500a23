//! The sweep's bookkeeping and writes: the stored sets it compares with,
//! the records it changes, and the count of tags gained and lost.

use super::engine::conn::Conn;
use super::engine::pg_sweep::SweepBatch;
use super::fast_hash::{update, FastMap};
use super::sweep::TagMove;
use super::tags::diff;
use super::Result;
use crate::domain::Kind;
use chrono::{DateTime, Utc};
use rusqlite::params;
use std::collections::HashMap;

/// Per `dim=value` line: records gaining and losing it (one kind). Records
/// tagged for the first time are counted by their whole set (one lookup
/// per record) and spread over their lines at the end.
#[derive(Default)]
pub(super) struct Moves {
    lines: FastMap<(usize, usize)>,
    first_sets: FastMap<usize>,
}

impl Moves {
    fn bump(&mut self, line: &str, gained: usize, lost: usize) {
        update(&mut self.lines, line, |e| {
            e.0 += gained;
            e.1 += lost;
        });
    }

    fn add(&mut self, dim: &str, old: Option<&str>, new: Option<&str>) {
        if old == new {
            return;
        }
        if let Some(o) = old {
            self.bump(&format!("{dim}={o}"), 0, 1);
        }
        if let Some(n) = new {
            self.bump(&format!("{dim}={n}"), 1, 0);
        }
    }

    /// A record tagged for the first time gains every tag of its set.
    fn gain_all(&mut self, set: &str) {
        update(&mut self.first_sets, set, |n| *n += 1);
    }

    pub(super) fn into_moves(mut self, kind: Kind, out: &mut Vec<TagMove>) {
        for (set, n) in std::mem::take(&mut self.first_sets) {
            for line in set.split('\n').filter(|l| !l.is_empty()) {
                self.bump(line, n, 0);
            }
        }
        for (line, (gained, lost)) in self.lines {
            if let Some((dimension, value)) = line.split_once('=') {
                out.push(TagMove {
                    kind,
                    dimension: dimension.to_string(),
                    value: value.to_string(),
                    gained,
                    lost,
                });
            }
        }
    }
}

/// The stored sets of one kind: record ids ascending, and which distinct
/// set each holds. Most records share their set with many others (a
/// million customers have far fewer distinct sets), so each distinct text
/// is kept once, in one buffer.
#[derive(Default)]
pub(super) struct StoredSets {
    ids: Vec<i64>,
    /// Per record: its distinct set.
    set_of: Vec<u32>,
    /// Distinct set `s` is `text[ends[s - 1]..ends[s]]`.
    ends: Vec<usize>,
    text: String,
    /// While reading: distinct set text → its number.
    seen: FastMap<u32>,
}

impl StoredSets {
    pub(super) fn find(&self, id: i64) -> Option<usize> {
        self.ids.binary_search(&id).ok()
    }

    pub(super) fn get(&self, i: usize) -> &str {
        let s = self.set_of[i] as usize;
        let start = if s == 0 { 0 } else { self.ends[s - 1] };
        &self.text[start..self.ends[s]]
    }

    fn push(&mut self, id: i64, set: &str) {
        let n = match self.seen.get(set) {
            Some(&n) => n,
            None => {
                let n = self.ends.len() as u32;
                self.text.push_str(set);
                self.ends.push(self.text.len());
                self.seen.insert(set.to_string(), n);
                n
            }
        };
        self.ids.push(id);
        self.set_of.push(n);
    }

    /// Drops the reading map: only lookups by record follow.
    fn done(mut self) -> Self {
        self.seen = FastMap::default();
        self
    }
}

/// Every stored set, by kind.
pub(super) fn stored_sets(conn: &Conn) -> Result<HashMap<String, StoredSets>> {
    let mut stmt = conn.prepare(
        "SELECT record_kind, record_id, tags FROM tag_sets ORDER BY record_kind, record_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out: HashMap<String, StoredSets> = HashMap::new();
    let mut kind = String::new();
    let mut cur = StoredSets::default();
    while let Some(r) = rows.next()? {
        let k = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        if k != kind {
            out.insert(std::mem::take(&mut kind), std::mem::take(&mut cur).done());
            kind = k.to_string();
        }
        let id = r.get(1)?;
        cur.push(id, r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?);
    }
    out.insert(kind, cur.done());
    Ok(out)
}

/// A record whose tag values the sweep changes.
pub(super) struct Changed {
    pub id: i64,
    /// Index of its stored set, if it had one.
    pub old: Option<usize>,
    pub new: String,
    /// Reasons of the new values that will be history, by dimension.
    pub reasons: Vec<(String, String)>,
}

/// Where the sweep's writes go: on a SQLite book straight in, one cached
/// statement per row (in-process, nothing to save); on a team book into a
/// [`SweepBatch`], written set-based on the server a batch at a time.
pub(super) struct SweepWriter<'c> {
    conn: &'c Conn,
    batch: Option<SweepBatch>,
}

impl<'c> SweepWriter<'c> {
    pub(super) fn new(conn: &'c Conn) -> Self {
        let batch = conn.server().map(|_| SweepBatch::default());
        SweepWriter { conn, batch }
    }

    fn set(&mut self, kind: Kind, id: i64, tags: &str, fresh: bool) -> Result<()> {
        if let Some(b) = &mut self.batch {
            return b.set(kind.as_str(), id, tags, fresh);
        }
        let sql = if fresh {
            "INSERT INTO tag_sets (record_kind, record_id, tags) VALUES (?1, ?2, ?3)"
        } else {
            "UPDATE tag_sets SET tags = ?3 WHERE record_kind = ?1 AND record_id = ?2"
        };
        self.conn
            .prepare_cached(sql)?
            .execute(params![kind.as_str(), id, tags])?;
        Ok(())
    }

    fn history(&mut self, row: [&dyn rusqlite::ToSql; 7]) -> Result<()> {
        if let Some(b) = &mut self.batch {
            return b.history(row);
        }
        self.conn
            .prepare_cached(
                "INSERT INTO tag_history (at, record_kind, record_id, dimension, old_value, new_value, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(row.as_slice())?;
        Ok(())
    }

    /// Writes what is gathered (a team book); call before committing.
    pub(super) fn flush(&mut self) -> Result<()> {
        match &mut self.batch {
            Some(b) => b.flush(self.conn),
            None => Ok(()),
        }
    }

    fn flush_if_full(&mut self) -> Result<()> {
        if self.batch.as_ref().is_some_and(SweepBatch::full) {
            self.flush()?;
        }
        Ok(())
    }
}

/// Writes one changed record's set, its history (when it had tags
/// before) and counts its moves. Returns whether any value changed.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_changed(
    w: &mut SweepWriter<'_>,
    kind: Kind,
    c: &Changed,
    old: Option<&str>,
    dry_run: bool,
    now: DateTime<Utc>,
    moves: &mut Moves,
) -> Result<bool> {
    let Some(old) = old else {
        // First tags of a bulk-loaded record: values only, no history.
        moves.gain_all(&c.new);
        if !dry_run {
            w.set(kind, c.id, &c.new, true)?;
            w.flush_if_full()?;
        }
        return Ok(c.new != "\n");
    };
    let diffs = diff(old, &c.new);
    for d in &diffs {
        moves.add(d.dimension, d.old.as_deref(), d.new.as_deref());
    }
    if dry_run {
        return Ok(!diffs.is_empty());
    }
    w.set(kind, c.id, &c.new, false)?;
    for d in &diffs {
        let reason = match &d.new {
            Some(_) => c
                .reasons
                .iter()
                .find(|r| r.0 == d.dimension)
                .map_or("", |r| r.1.as_str()),
            None => "no rule applies any more",
        };
        w.history([
            &now,
            &kind.as_str(),
            &c.id,
            &d.dimension,
            &d.old,
            &d.new,
            &reason,
        ])?;
    }
    w.flush_if_full()?;
    Ok(!diffs.is_empty())
}

#[cfg(test)]
mod stored_sets_tests {
    use super::StoredSets;

    #[test]
    fn shared_sets_are_kept_once_and_read_back_per_record() {
        let mut s = StoredSets::default();
        let sets = [
            "\nvalue=high\n",
            "\nvalue=low\n",
            "\nvalue=high\n",
            "",
            "\nvalue=low\n",
        ];
        for (i, set) in sets.iter().enumerate() {
            s.push(i as i64 * 10, set);
        }
        let s = s.done();
        for (i, set) in sets.iter().enumerate() {
            assert_eq!(s.find(i as i64 * 10), Some(i));
            assert_eq!(s.get(i), *set);
        }
        assert_eq!(s.find(5), None);
        assert_eq!(s.ends.len(), 3, "three distinct sets");
    }
}
