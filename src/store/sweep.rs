//! The sweep: classifies the whole book again, for the time-driven tags
//! (churn, new, urgency, stale, follow-up due) and after a rule change.
//!
//! Reads every table once, computes the book's cut points, evaluates all
//! records in parallel (rayon) and writes, in one transaction, only the
//! records whose tag values changed (found by comparing a digest of the
//! values). A record whose values stay keeps its stored reasons.

use super::book::Book;
use super::retag::{digest, first_tags, save_cuts, store_tags};
use super::{Result, Store};
use crate::classify::compute;
use crate::classify::{CutPoints, Facts, RuleSet, Subject, Tag};
use crate::domain::Kind;
use rayon::prelude::*;
use rusqlite::{params, Connection, TransactionBehavior};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

/// Records evaluated per parallel batch: bounds memory on a large book.
const BATCH: usize = 16_384;

/// How many records gained and lost one tag value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagMove {
    pub kind: Kind,
    pub dimension: String,
    pub value: String,
    pub gained: usize,
    pub lost: usize,
}

/// What a sweep did (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SweepReport {
    pub dry_run: bool,
    /// Records classified, per kind.
    pub evaluated: BTreeMap<String, usize>,
    /// Records whose tag values changed.
    pub changed: usize,
    /// Per kind, dimension and value: records gaining and losing it.
    pub moves: Vec<TagMove>,
    pub elapsed_ms: u128,
    /// Where the time went: reading the book, cut points, evaluating,
    /// writing (milliseconds).
    pub phases_ms: BTreeMap<String, u128>,
}

type MoveKey = (Kind, String, String);

#[derive(Default)]
struct Moves(HashMap<MoveKey, (usize, usize)>);

impl Moves {
    fn add(&mut self, kind: Kind, dim: &str, old: Option<&str>, new: Option<&str>) {
        if old == new {
            return;
        }
        if let Some(o) = old {
            self.0
                .entry((kind, dim.to_string(), o.to_string()))
                .or_default()
                .1 += 1;
        }
        if let Some(n) = new {
            self.0
                .entry((kind, dim.to_string(), n.to_string()))
                .or_default()
                .0 += 1;
        }
    }

    fn into_sorted(self) -> Vec<TagMove> {
        let mut v: Vec<TagMove> = self
            .0
            .into_iter()
            .map(|((kind, dimension, value), (gained, lost))| TagMove {
                kind,
                dimension,
                value,
                gained,
                lost,
            })
            .collect();
        v.sort_by(|a, b| (a.kind, &a.dimension, &a.value).cmp(&(b.kind, &b.dimension, &b.value)));
        v
    }
}

/// The digests stored for one kind, sorted by record id.
fn stored_digests(conn: &Connection, kind: Kind) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT record_id, digest FROM tag_digests WHERE record_kind = ?1 ORDER BY record_id",
    )?;
    let rows = stmt.query_map([kind.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored values of a record's tags, by dimension.
fn stored_values(conn: &Connection, kind: Kind, id: i64) -> Result<BTreeMap<String, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT dimension, value FROM tags WHERE record_kind = ?1 AND record_id = ?2",
    )?;
    let rows = stmt.query_map(params![kind.as_str(), id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The day and the rules a sweep ran with: a new day or changed rules
/// call for a new sweep.
pub(crate) fn sweep_stamp(today: chrono::NaiveDate, rules: &RuleSet) -> String {
    let rules = format!("{rules:?}");
    format!("{today} {:016x}", digest([("rules", rules.as_str())]))
}

pub(crate) fn last_sweep_day(conn: &Connection) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT value FROM classify_state WHERE key = ?1",
            [LAST_SWEEP_KEY],
            |r| r.get(0),
        )
        .optional()?)
}

/// One subject's records as the sweep sees them: ids and a way to get
/// each one's facts (without RFM scores).
struct Population<'b> {
    subject: Subject,
    ids: Vec<i64>,
    facts: Box<dyn Fn(usize) -> Facts + Sync + 'b>,
}

fn populations(book: &Book, today: chrono::NaiveDate) -> Vec<Population<'_>> {
    vec![
        Population {
            subject: Subject::Customer,
            ids: book.customers.iter().map(|c| c.0).collect(),
            facts: Box::new(move |i| {
                compute::customer_facts(
                    &book.customers[i].1,
                    book.customer_deals(i),
                    book.customer_touches(i),
                    today,
                )
            }),
        },
        Population {
            subject: Subject::Opportunity,
            ids: book.deals.iter().map(|d| d.id).collect(),
            facts: Box::new(move |i| {
                compute::opportunity_facts(&book.opportunity(&book.deals[i]), today)
            }),
        },
        Population {
            subject: Subject::Product,
            ids: book.products.iter().map(|p| p.0).collect(),
            facts: Box::new(move |i| {
                let (id, p) = &book.products[i];
                compute::product_facts(p, book.product_sales.get(id).copied().unwrap_or_default())
            }),
        },
        Population {
            subject: Subject::Campaign,
            ids: book.campaigns.iter().map(|c| c.0).collect(),
            facts: Box::new(move |i| {
                let (id, start, c) = &book.campaigns[i];
                compute::campaign_facts(
                    c,
                    *start,
                    book.campaign_results.get(id).copied().unwrap_or_default(),
                )
            }),
        },
    ]
}

/// Percentiles the rules need, over each population.
fn cut_points(rules: &RuleSet, pops: &[Population]) -> CutPoints {
    let mut cuts = CutPoints::new();
    for pop in pops {
        let needed = rules.percentiles_needed(pop.subject);
        if needed.is_empty() {
            continue;
        }
        let mut facts: Vec<usize> = needed.iter().map(|n| n.0).collect();
        facts.dedup();
        let values: Vec<Vec<f64>> = (0..pop.ids.len())
            .into_par_iter()
            .map(|i| {
                let f = (pop.facts)(i);
                facts.iter().map(|&k| f.num(k).unwrap_or(0.0)).collect()
            })
            .collect();
        for (k, &fact) in facts.iter().enumerate() {
            let mut column: Vec<f64> = values.iter().map(|v| v[k]).filter(|v| *v != 0.0).collect();
            cuts.add_values(pop.subject, fact, &needed, &mut column);
        }
    }
    cuts
}

/// Key of the day of the last sweep in `classify_state`.
const LAST_SWEEP_KEY: &str = "last_sweep";

/// Forgets the last sweep, so the next `sweep_if_stale` (start of the TUI,
/// commands that show tags) classifies the book again — used after a bulk
/// import that skipped classification.
pub(crate) fn mark_stale(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM classify_state WHERE key = ?1",
        [LAST_SWEEP_KEY],
    )?;
    Ok(())
}

impl Store {
    /// Sweeps unless a sweep already ran today with the same rules:
    /// time-driven tags change by the day, so one sweep a day keeps them true. For the start of the
    /// TUI and of commands that show tags.
    pub fn sweep_if_stale(&mut self) -> Result<Option<SweepReport>> {
        if !self.sweep_due()? {
            return Ok(None);
        }
        self.sweep(false).map(Some)
    }

    /// Whether no sweep ran yet today with the rules in force.
    pub fn sweep_due(&mut self) -> Result<bool> {
        let last: Option<String> = last_sweep_day(&self.conn)?;
        let stamp = sweep_stamp(self.clock.today(), self.rules()?);
        Ok(last.as_deref() != Some(stamp.as_str()))
    }

    /// Classifies every live record again with the rules in force and
    /// writes the tags that changed (with history), in one transaction.
    /// `dry_run`: compute and report only, write nothing.
    pub fn sweep(&mut self, dry_run: bool) -> Result<SweepReport> {
        let rules = self.rules()?.clone();
        self.sweep_with(&rules, dry_run)
    }

    /// Like [`Store::sweep`] with other rules (`classify --dry-run --rules FILE`).
    pub fn sweep_with(&mut self, rules: &RuleSet, dry_run: bool) -> Result<SweepReport> {
        let behavior = if dry_run {
            TransactionBehavior::Deferred
        } else {
            TransactionBehavior::Immediate
        };
        // A large page cache keeps a big first classification from
        // spilling pages mid-transaction; restored afterwards.
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -262_144)?;
        let result = self.sweep_in_tx(rules, dry_run, behavior);
        self.conn.pragma_update(None, "cache_size", cache)?;
        result
    }

    fn sweep_in_tx(
        &mut self,
        rules: &RuleSet,
        dry_run: bool,
        behavior: TransactionBehavior,
    ) -> Result<SweepReport> {
        let started = Instant::now();
        let today = self.clock.today();
        let now = self.clock.now();
        let tx = self.conn.transaction_with_behavior(behavior)?;
        let mut phase = Instant::now();
        let mut phases: BTreeMap<String, u128> = BTreeMap::new();
        let mut lap = |name: &str, phase: &mut Instant| {
            *phases.entry(name.to_string()).or_default() += phase.elapsed().as_millis();
            *phase = Instant::now();
        };
        let book = Book::load(&tx, today)?;
        lap("read", &mut phase);
        let pops = populations(&book, today);
        let cuts = cut_points(rules, &pops);
        lap("cut points", &mut phase);

        let mut report = SweepReport {
            dry_run,
            ..Default::default()
        };
        let mut moves = Moves::default();
        for pop in &pops {
            let kind = pop.subject.kind();
            report
                .evaluated
                .insert(kind.as_str().to_string(), pop.ids.len());
            let old = stored_digests(&tx, kind)?;
            lap("read", &mut phase);
            let old_digest = |id: i64| {
                old.binary_search_by_key(&id, |e| e.0)
                    .ok()
                    .map(|i| old[i].1)
            };
            for start in (0..pop.ids.len()).step_by(BATCH) {
                let end = (start + BATCH).min(pop.ids.len());
                let changed: Vec<(i64, bool, Vec<Tag>)> = (start..end)
                    .into_par_iter()
                    .filter_map(|i| {
                        let mut f = (pop.facts)(i);
                        if pop.subject == Subject::Customer {
                            cuts.add_rfm_scores(&mut f);
                        }
                        let outcomes = rules.evaluate(&f, &cuts);
                        let d = digest(
                            outcomes
                                .iter()
                                .map(|o| (o.dim.name.as_str(), o.value.as_ref())),
                        );
                        let id = pop.ids[i];
                        if old_digest(id) == Some(d) {
                            return None;
                        }
                        let tags = outcomes
                            .iter()
                            .map(|o| Tag {
                                dimension: o.dim.name.clone(),
                                value: o.value.to_string(),
                                reason: o.reason(&f, &cuts),
                            })
                            .collect();
                        Some((id, old_digest(id).is_none(), tags))
                    })
                    .collect();
                lap("evaluate", &mut phase);
                for (id, fresh, tags) in changed {
                    if dry_run {
                        let old = stored_values(&tx, kind, id)?;
                        let mut any = false;
                        for t in &tags {
                            let before = old.get(&t.dimension).map(String::as_str);
                            any |= before != Some(t.value.as_str());
                            moves.add(kind, &t.dimension, before, Some(&t.value));
                        }
                        for (dim, value) in &old {
                            if !tags.iter().any(|t| &t.dimension == dim) {
                                any = true;
                                moves.add(kind, dim, Some(value), None);
                            }
                        }
                        report.changed += usize::from(any);
                    } else {
                        let changes = if fresh {
                            first_tags(&tx, kind, id, &tags, now)?
                        } else {
                            store_tags(&tx, kind, id, &tags, now)?
                        };
                        report.changed += usize::from(!changes.is_empty());
                        for c in &changes {
                            moves.add(kind, &c.dimension, c.old.as_deref(), c.new.as_deref());
                        }
                    }
                }
                lap("write", &mut phase);
            }
        }
        drop(pops);
        drop(book);
        if dry_run {
            tx.rollback()?;
        } else {
            save_cuts(&tx, &cuts)?;
            tx.execute(
                "INSERT INTO classify_state (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![LAST_SWEEP_KEY, sweep_stamp(today, rules)],
            )?;
            tx.commit()?;
            self.classify.set_cuts(cuts);
        }
        report.moves = moves.into_sorted();
        lap("write", &mut phase);
        report.phases_ms = phases;
        report.elapsed_ms = started.elapsed().as_millis();
        Ok(report)
    }
}
