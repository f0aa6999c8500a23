//! `dossier doctor`: checks a database's integrity, orphans and tags.
//! Reads only; it never repairs, so it is safe to run on a damaged book.

use super::{retag, sweep, Result, Store};
use crate::domain::Kind;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// At most this many problems are listed per check.
const LIMIT: usize = 50;

/// At most this many live records of each kind are compared with the rules
/// (all of them in a book this size or smaller).
pub const RULES_SAMPLE: usize = 5_000;

/// How many records without a tag set doctor evaluates per kind (each one
/// reads its facts); one that the rules tag is enough to fail the check.
const UNTAGGED_SAMPLE: usize = 500;

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
                "SELECT DISTINCT format('tags of {k} %d, which does not exist', record_id) FROM tag_sets
                 WHERE record_kind = '{k}' AND record_id NOT IN (SELECT id FROM {t})"
            ),
        )?);
    }
    let known: Vec<String> = Kind::ALL.iter().map(|k| format!("'{k}'")).collect();
    out.extend(strings(
        conn,
        &format!(
            "SELECT DISTINCT format('tags of an unknown record kind ''%s''', record_kind) FROM tag_sets
             WHERE record_kind NOT IN ({})",
            known.join(", ")
        ),
    )?);
    Ok(out)
}

/// Each tag that has a history agrees with the last entry of it (a
/// record's first tags have none), and no tag is blank or malformed.
fn tag_consistency(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT h.record_kind, h.record_id, h.dimension, h.new_value, s.tags
         FROM tag_history h
         JOIN tag_sets s ON s.record_kind = h.record_kind AND s.record_id = h.record_id
         WHERE h.id IN (SELECT max(id) FROM tag_history GROUP BY record_kind, record_id, dimension)
         ORDER BY h.record_kind, h.record_id, h.dimension",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (kind, id, dim): (String, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let last: Option<String> = r.get(3)?;
        let set: String = r.get(4)?;
        // A list-valued dimension's values read together, as its history
        // writes them.
        let now = super::tags::joined_values(super::tags::decode(&set)).remove(&dim);
        let now = now.as_deref();
        if now != last.as_deref() {
            out.push(match now {
                Some(v) => format!(
                    "{kind} {id}: tag {dim}={v} but its history last says {}",
                    last.as_deref().unwrap_or("nothing")
                ),
                None => format!(
                    "{kind} {id}: history says {dim}={} but the tag is missing",
                    last.as_deref().unwrap_or("nothing")
                ),
            });
            if out.len() >= LIMIT {
                return Ok(out);
            }
        }
    }
    out.extend(strings(
        conn,
        "SELECT format('%s %d: a tag has an empty value, or the stored tags are malformed', record_kind, record_id)
         FROM tag_sets
         WHERE substr(tags, 1, 1) != char(10) OR substr(tags, -1) != char(10)
            OR instr(tags, '=' || char(10)) > 0 OR instr(tags, char(10) || char(10)) > 0",
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
        // Backups and a team server match records by UUID.
        out.extend(strings(
            conn,
            &format!(
                "SELECT format('{k} %d has no uuid', id) FROM {t} WHERE uuid IS NULL OR uuid = ''"
            ),
        )?);
    }
    Ok(out)
}

impl Store {
    /// Every live record's stored tags against what the rules in force give
    /// it today. `None` when today's sweep has not run: time-driven tags are
    /// only refreshed by it, so a comparison would report them.
    fn tags_follow_rules(&mut self) -> Result<Option<Vec<String>>> {
        let today = self.clock.today();
        let stamp = self.sweep_stamp()?;
        if sweep::last_sweep_day(&self.conn)?.as_deref() != Some(stamp.as_str()) {
            return Ok(None);
        }
        let conn = &self.conn;
        let cls = self.classify.get(conn)?;
        let mut problems = Vec::new();
        for kind in Kind::ALL {
            // Each record's facts are read one by one: on a big book a
            // random sample keeps doctor to seconds.
            let mut stmt = conn.prepare(&format!(
                "SELECT id FROM {} WHERE deleted_at IS NULL ORDER BY random() LIMIT {RULES_SAMPLE}",
                kind.table()
            ))?;
            let ids: Vec<i64> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                let Some(expected) = retag::expected_tags(conn, cls, kind, id, today)? else {
                    continue;
                };
                let expected: BTreeMap<String, String> = super::tags::joined_values(
                    expected
                        .iter()
                        .map(|t| (t.dimension.as_str(), t.value.as_str())),
                );
                let stored = super::tags::stored_values(conn, kind, id)?;
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

    /// Live records that carry no tags at all although the rules give them
    /// some — what the batches of an interrupted import leave. Runs whether
    /// or not today's sweep has run: a missing tag set is never time-driven.
    fn untagged(&mut self) -> Result<Vec<String>> {
        let today = self.clock.today();
        let conn = &self.conn;
        let cls = self.classify.get(conn)?;
        let mut problems = Vec::new();
        let mut more = 0usize;
        for kind in Kind::ALL {
            let (k, t) = (kind.as_str(), kind.table());
            let only = if kind == Kind::Activity {
                "AND r.kind = 'campaign'"
            } else {
                ""
            };
            let mut stmt = conn.prepare(&format!(
                "SELECT r.id FROM {t} r WHERE r.deleted_at IS NULL {only}
                 AND NOT EXISTS (SELECT 1 FROM tag_sets s WHERE s.record_kind = '{k}' AND s.record_id = r.id)
                 ORDER BY r.id LIMIT {UNTAGGED_SAMPLE}"
            ))?;
            let ids: Vec<i64> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                let Some(expected) = retag::expected_tags(conn, cls, kind, id, today)? else {
                    continue;
                };
                if expected.is_empty() {
                    continue;
                }
                if problems.len() < LIMIT {
                    problems.push(format!(
                        "{kind} {id} has no tags but the rules give it {} — dossier classify tags it",
                        expected.len()
                    ));
                } else {
                    more += 1;
                }
            }
        }
        if more > 0 {
            problems.push(crate::tr!("doctor-more-untagged", count = more));
        }
        Ok(problems)
    }

    /// Runs every check. Reads only.
    pub fn doctor(&mut self) -> Result<DoctorReport> {
        let conn = &self.conn;
        // A check that cannot run (a damaged page) is itself a problem;
        // the others still run.
        let run = |name: &'static str, check: fn(&Connection) -> Result<Vec<String>>| {
            let started = std::time::Instant::now();
            let problems = check(conn).unwrap_or_else(|e| {
                vec![crate::tr!("doctor-could-not-run", error = e.to_string())]
            });
            let ms = started.elapsed().as_millis() as u64;
            tracing::info!(check = name, ms, problems = problems.len(), "doctor");
            DoctorCheck { name, problems }
        };
        let mut checks = vec![
            run("integrity", integrity),
            run("links between records", foreign_keys),
            run("orphan tags", orphans),
            run("tags agree with their history", tag_consistency),
            run("records agree with their parts", record_consistency),
        ];
        let untagged = self
            .untagged()
            .unwrap_or_else(|e| vec![crate::tr!("doctor-could-not-run", error = e.to_string())]);
        checks.push(DoctorCheck {
            name: "every record carries the tags the rules give it",
            problems: untagged,
        });
        let mut notes = Vec::new();
        let healthy_so_far = checks.iter().all(|c| c.problems.is_empty());
        let started = std::time::Instant::now();
        let rules = self.tags_follow_rules();
        let ms = started.elapsed().as_millis() as u64;
        tracing::info!(check = "tags agree with the rules", ms, "doctor");
        match rules {
            Ok(Some(problems)) => {
                checks.push(DoctorCheck {
                    name: "tags agree with the rules",
                    problems,
                });
                let live = self.counts()?;
                if [
                    live.customers,
                    live.opportunities,
                    live.products,
                    live.activities,
                ]
                .iter()
                .any(|&n| n as usize > RULES_SAMPLE)
                {
                    notes.push(crate::tr!("doctor-note-sample", sample = RULES_SAMPLE));
                }
            }
            Ok(None) => notes.push(crate::tr!("doctor-note-no-sweep")),
            // On a damaged file the integrity check already says why.
            Err(e) if !healthy_so_far => notes.push(crate::tr!(
                "doctor-note-not-compared",
                error = e.to_string()
            )),
            Err(e) => checks.push(DoctorCheck {
                name: "tags agree with the rules",
                problems: vec![crate::tr!("doctor-could-not-run", error = e.to_string())],
            }),
        }
        let conn = &self.conn;
        let trashed_tags: i64 = Kind::ALL
            .iter()
            .map(|k| {
                conn.query_row(
                    &format!(
                        "SELECT count(*) FROM tag_sets WHERE record_kind = '{}' AND record_id IN
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
            notes.push(crate::tr!("doctor-note-trash-tags", count = trashed_tags));
        }
        Ok(DoctorReport { checks, notes })
    }
}

/// A check's name (its id in `doctor --json`) as a person reads it, in
/// the language in force.
pub fn doctor_check_name(name: &str) -> String {
    match name {
        "integrity" => crate::tr!("doctor-check-integrity"),
        "links between records" => crate::tr!("doctor-check-links"),
        "orphan tags" => crate::tr!("doctor-check-orphans"),
        "tags agree with their history" => crate::tr!("doctor-check-history"),
        "records agree with their parts" => crate::tr!("doctor-check-parts"),
        "every record carries the tags the rules give it" => crate::tr!("doctor-check-untagged"),
        "tags agree with the rules" => crate::tr!("doctor-check-rules"),
        other => other.to_string(),
    }
}
