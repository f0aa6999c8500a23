//! `dossier doctor`: checks a database's integrity, orphans and tags.
//! Reads only; it never repairs, so it is safe to run on a damaged book.

use super::{retag, sweep, Result, Store};
use crate::domain::Kind;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// At most this many problems are listed per check.
const LIMIT: usize = 50;

/// One check and the problems it found (none means it passed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DoctorCheck {
    pub name: &'static str,
    pub problems: Vec<String>,
}

/// What `dossier doctor` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DoctorReport {
    pub checks: Vec<DoctorCheck>,
    /// Facts worth knowing that are not problems.
    pub notes: Vec<String>,
}

impl DoctorReport {
    /// True when every check passed.
    pub fn is_healthy(&self) -> bool {
        self.checks.iter().all(|c| c.problems.is_empty())
    }
}

fn strings(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.take(LIMIT).collect::<rusqlite::Result<_>>()?)
}

fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let rows = strings(conn, "PRAGMA integrity_check(50)")?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

fn foreign_keys(conn: &Connection) -> Result<Vec<String>> {
    strings(
        conn,
        "SELECT format('%s row %s points to a %s row that does not exist', \"table\", ifnull(rowid, '?'), parent)
         FROM pragma_foreign_key_check",
    )
}

/// Tags and tag history of records that no longer exist or of unknown kinds.
fn orphans(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let (k, t) = (kind.as_str(), kind.table());
        out.extend(strings(
            conn,
            &format!(
                "SELECT DISTINCT format('tags of {k} %d, which does not exist', record_id) FROM tags
                 WHERE record_kind = '{k}' AND record_id NOT IN (SELECT id FROM {t})"
            ),
        )?);
    }
    let known: Vec<String> = Kind::ALL.iter().map(|k| format!("'{k}'")).collect();
    out.extend(strings(
        conn,
        &format!(
            "SELECT DISTINCT format('tags of an unknown record kind ''%s''', record_kind) FROM tags
             WHERE record_kind NOT IN ({})",
            known.join(", ")
        ),
    )?);
    Ok(out)
}

/// Each tag agrees with the last entry of its history, and no tag is blank.
fn tag_consistency(conn: &Connection) -> Result<Vec<String>> {
    let mut out = strings(
        conn,
        "SELECT format('%s %d: tag %s=%s but its history last says %s', t.record_kind, t.record_id,
                t.dimension, t.value, ifnull(h.new_value, 'nothing'))
         FROM tags t
         LEFT JOIN tag_history h ON h.id = (
             SELECT max(id) FROM tag_history x
             WHERE x.record_kind = t.record_kind AND x.record_id = t.record_id AND x.dimension = t.dimension)
         WHERE h.new_value IS NOT t.value",
    )?;
    let mut missing = Vec::new();
    for kind in Kind::ALL {
        let (k, t) = (kind.as_str(), kind.table());
        missing.extend(strings(
            conn,
            &format!(
                "SELECT format('{k} %d: history says %s=%s but the tag is missing', h.record_id, h.dimension, h.new_value)
                 FROM tag_history h
                 WHERE h.record_kind = '{k}' AND h.new_value IS NOT NULL
                   AND h.id = (SELECT max(id) FROM tag_history x WHERE x.record_kind = h.record_kind
                               AND x.record_id = h.record_id AND x.dimension = h.dimension)
                   AND h.record_id IN (SELECT id FROM {t})
                   AND NOT EXISTS (SELECT 1 FROM tags g WHERE g.record_kind = h.record_kind
                                   AND g.record_id = h.record_id AND g.dimension = h.dimension)"
            ),
        )?);
    }
    out.extend(missing);
    out.extend(strings(
        conn,
        "SELECT format('%s %d: tag %s has an empty value or reason', record_kind, record_id, dimension)
         FROM tags WHERE trim(value) = '' OR trim(reason) = ''",
    )?);
    Ok(out)
}

/// Records whose parts disagree: a deal's amount and its lines, versions.
fn record_consistency(conn: &Connection) -> Result<Vec<String>> {
    let mut out = strings(
        conn,
        "SELECT format('opportunity %d: amount %d but its lines add up to %d', o.id, o.amount, s.total)
         FROM opportunities o
         JOIN (SELECT opportunity_id, sum(quantity * unit_price) AS total FROM line_items
               GROUP BY opportunity_id) s ON s.opportunity_id = o.id
         WHERE o.amount != s.total",
    )?;
    for kind in Kind::ALL {
        let (k, t) = (kind.as_str(), kind.table());
        out.extend(strings(
            conn,
            &format!("SELECT format('{k} %d: version %d is below 1', id, version) FROM {t} WHERE version < 1"),
        )?);
    }
    Ok(out)
}

/// A record's stored tag values, by dimension.
fn stored_values(conn: &Connection, kind: Kind, id: i64) -> Result<BTreeMap<String, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT dimension, value FROM tags WHERE record_kind = ?1 AND record_id = ?2",
    )?;
    let rows = stmt.query_map(rusqlite::params![kind.as_str(), id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Every live record's stored tags against what the rules in force give
    /// it today. `None` when today's sweep has not run: time-driven tags are
    /// only refreshed by it, so a comparison would report them.
    fn tags_follow_rules(&mut self) -> Result<Option<Vec<String>>> {
        let today = self.clock.today();
        let stamp = sweep::sweep_stamp(today, self.rules()?);
        if sweep::last_sweep_day(&self.conn)?.as_deref() != Some(stamp.as_str()) {
            return Ok(None);
        }
        let conn = &self.conn;
        let cls = self.classify.get(conn)?;
        let mut problems = Vec::new();
        for kind in Kind::ALL {
            let mut stmt = conn.prepare(&format!(
                "SELECT id FROM {} WHERE deleted_at IS NULL ORDER BY id",
                kind.table()
            ))?;
            let ids: Vec<i64> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                let Some(expected) = retag::expected_tags(conn, cls, kind, id, today)? else {
                    continue;
                };
                let expected: BTreeMap<String, String> = expected
                    .into_iter()
                    .map(|t| (t.dimension, t.value))
                    .collect();
                let stored = stored_values(conn, kind, id)?;
                if stored != expected {
                    let show = |m: &BTreeMap<String, String>| {
                        m.iter()
                            .filter(|(d, v)| stored.get(*d) != expected.get(*d) || v.is_empty())
                            .map(|(d, v)| format!("{d}={v}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    problems.push(format!(
                        "{kind} {id}: stored tags [{}] but the rules give [{}]",
                        show(&stored),
                        show(&expected)
                    ));
                    if problems.len() >= LIMIT {
                        return Ok(Some(problems));
                    }
                }
            }
        }
        Ok(Some(problems))
    }

    /// Runs every check. Reads only.
    pub fn doctor(&mut self) -> Result<DoctorReport> {
        let conn = &self.conn;
        // A check that cannot run (a damaged page) is itself a problem;
        // the others still run.
        let run = |name: &'static str, check: fn(&Connection) -> Result<Vec<String>>| DoctorCheck {
            name,
            problems: check(conn).unwrap_or_else(|e| vec![format!("the check could not run: {e}")]),
        };
        let mut checks = vec![
            run("integrity", integrity),
            run("links between records", foreign_keys),
            run("orphan tags", orphans),
            run("tags agree with their history", tag_consistency),
            run("records agree with their parts", record_consistency),
        ];
        let mut notes = Vec::new();
        let healthy_so_far = checks.iter().all(|c| c.problems.is_empty());
        match self.tags_follow_rules() {
            Ok(Some(problems)) => checks.push(DoctorCheck {
                name: "tags agree with the rules",
                problems,
            }),
            Ok(None) => notes.push(
                "tags were not compared with the rules: today's sweep has not run (dossier classify runs it)".into(),
            ),
            // On a damaged file the integrity check already says why.
            Err(e) if !healthy_so_far => {
                notes.push(format!("tags were not compared with the rules: {e}"))
            }
            Err(e) => checks.push(DoctorCheck {
                name: "tags agree with the rules",
                problems: vec![format!("the check could not run: {e}")],
            }),
        }
        let conn = &self.conn;
        let trashed_tags: i64 = Kind::ALL
            .iter()
            .map(|k| {
                conn.query_row(
                    &format!(
                        "SELECT count(*) FROM tags WHERE record_kind = '{}' AND record_id IN
                         (SELECT id FROM {} WHERE deleted_at IS NOT NULL)",
                        k.as_str(),
                        k.table()
                    ),
                    [],
                    |r| r.get::<_, i64>(0),
                )
            })
            .sum::<rusqlite::Result<i64>>()
            .unwrap_or(0);
        if trashed_tags > 0 {
            notes.push(format!(
                "{trashed_tags} tag(s) belong to records in the trash; they are kept so a restore brings them back"
            ));
        }
        Ok(DoctorReport { checks, notes })
    }
}
