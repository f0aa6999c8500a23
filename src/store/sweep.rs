//! The sweep: classifies the whole book again, for the time-driven tags
//! (churn, new, urgency, stale, follow-up due) and after a rule change.
//!
//! Reads every table once (the book and the stored tag sets on separate
//! read connections, in parallel), computes the book's cut points,
//! evaluates all records in parallel (rayon), a batch ahead of the writer,
//! and writes, in one transaction, only the records whose stored set of
//! tag values changed (`sweep_write.rs`).

use super::book::Book;
use super::engine::conn::Conn;
use super::retag::save_cuts;
use super::sweep_write::{stored_sets, write_changed, Changed, Moves, SweepWriter};
use super::tags::{diff, encode};
use super::{Result, Store};
use crate::classify::compute;
use crate::classify::{CutPoints, Facts, RuleSet, Subject};
use crate::domain::Kind;
use rayon::prelude::*;
use rusqlite::{params, TransactionBehavior};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Instant;

/// Records evaluated per parallel batch: bounds memory on a large book.
const BATCH: usize = 16_384;

/// The sweep's page cache, in KiB.
const SWEEP_CACHE_KB: i64 = 16_384;

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

/// FNV-1a digest of `(name, text)` pairs: stable across builds.
fn digest<'a>(parts: impl IntoIterator<Item = (&'a str, &'a str)>) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (d, v) in parts {
        for b in d.bytes().chain([0]).chain(v.bytes()).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h as i64
}

/// A digest of everything in a rule set: changed rules call for a new
/// sweep.
pub(crate) fn rules_digest(rules: &RuleSet) -> u64 {
    let rules = format!("{rules:?}");
    digest([("rules", rules.as_str())]) as u64
}

/// The day and the rules (by [`rules_digest`]) a sweep ran with: a new day
/// or changed rules call for a new sweep.
pub(crate) fn sweep_stamp(today: chrono::NaiveDate, rules_digest: u64) -> String {
    format!("{today} {rules_digest:016x}")
}

pub(crate) fn last_sweep_day(conn: &Conn) -> Result<Option<String>> {
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
        // One flat row of the needed facts per record (a million small
        // vectors would cost a million allocations).
        let width = facts.len();
        let mut values = vec![0.0f64; pop.ids.len() * width];
        values
            .par_chunks_mut(width)
            .enumerate()
            .for_each(|(i, row)| {
                let f = (pop.facts)(i);
                for (v, &k) in row.iter_mut().zip(&facts) {
                    *v = f.num(k).unwrap_or(0.0);
                }
            });
        for (k, &fact) in facts.iter().enumerate() {
            let mut column: Vec<f64> = values
                .iter()
                .skip(k)
                .step_by(width)
                .copied()
                .filter(|v| *v != 0.0)
                .collect();
            cuts.add_values(pop.subject, fact, &needed, &mut column);
        }
    }
    cuts
}

/// The book's cut points as they are now, read on `conn` (inside a write's
/// transaction, so the write itself counts). For small books only: it reads
/// every record.
pub(crate) fn fresh_cut_points(
    conn: &Conn,
    rules: &RuleSet,
    today: chrono::NaiveDate,
) -> Result<CutPoints> {
    let book = Book::load(conn, None, today, &rules.rates())?;
    let pops = populations(&book, today);
    Ok(cut_points(rules, &pops))
}

/// Key of the day of the last sweep in `classify_state`.
const LAST_SWEEP_KEY: &str = "last_sweep";

/// Forgets the last sweep, so the next `sweep_if_stale` (start of the TUI,
/// commands that show tags) classifies the book again — used after a bulk
/// import that skipped classification.
pub(crate) fn mark_stale(conn: &Conn) -> Result<()> {
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
        let stamp = self.sweep_stamp()?;
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
        // The page cache bounds what a big first classification holds before
        // spilling to the WAL; the book is read through it, not through a
        // memory map, whose touched pages would all count as the sweep's
        // memory (a 1M book is over a gigabyte). Restored afterwards.
        let cache: i64 = self.conn.pragma_i64("cache_size")?;
        self.conn
            .pragma_update(None, "cache_size", -SWEEP_CACHE_KB)?;
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
        // A team book: whole tables come through cursors, writes go
        // set-based (`engine::pg_sweep`).
        let stream = tx.stream_reads();
        let mut writer = SweepWriter::new(&tx);
        let mut phase = Instant::now();
        let mut phases: BTreeMap<String, u128> = BTreeMap::new();
        let mut lap = |name: &str, phase: &mut Instant| {
            *phases.entry(name.to_string()).or_default() += phase.elapsed().as_millis();
            *phase = Instant::now();
        };
        let rates = rules.rates();
        let path = self.path.clone();
        let (mut sets, book) = super::book::in_parallel(&tx, path.as_deref(), stored_sets, |c| {
            Book::load(c, path.as_deref(), today, &rates)
        })?;
        lap("read", &mut phase);
        let pops = populations(&book, today);
        let cuts = cut_points(rules, &pops);
        lap("cut points", &mut phase);

        let mut report = SweepReport {
            dry_run,
            ..Default::default()
        };
        let mut all_moves = Vec::new();
        for pop in &pops {
            let kind = pop.subject.kind();
            let mut moves = Moves::default();
            report
                .evaluated
                .insert(kind.as_str().to_string(), pop.ids.len());
            let old = sets.remove(kind.as_str()).unwrap_or_default();
            // Batch i+1 is evaluated (in parallel) while batch i is written.
            let evaluate = |range: std::ops::Range<usize>| -> Vec<Changed> {
                range
                    .into_par_iter()
                    .filter_map(|i| {
                        let mut f = (pop.facts)(i);
                        if pop.subject == Subject::Customer {
                            cuts.add_rfm_scores(&mut f);
                        }
                        let outcomes = rules.evaluate(&f, &cuts);
                        let new = encode(outcomes.iter().flat_map(|o| o.values()));
                        let id = pop.ids[i];
                        let at = old.find(id);
                        let reasons = match at {
                            Some(j) if old.get(j) == new => return None,
                            // Only a record that had tags gets history.
                            Some(j) => diff(old.get(j), &new)
                                .iter()
                                .filter(|d| d.new.is_some())
                                .filter_map(|d| {
                                    let o = outcomes.iter().find(|o| o.dim.name == d.dimension)?;
                                    Some((d.dimension.to_string(), o.reason(&f, &cuts)))
                                })
                                .collect(),
                            None => Vec::new(),
                        };
                        Some(Changed {
                            id,
                            old: at,
                            new,
                            reasons,
                        })
                    })
                    .collect()
            };
            let n = pop.ids.len();
            let batches: Vec<std::ops::Range<usize>> = (0..n)
                .step_by(BATCH)
                .map(|start| start..(start + BATCH).min(n))
                .collect();
            let evaluate = &evaluate;
            std::thread::scope(|sc| -> Result<()> {
                let mut next = batches
                    .first()
                    .cloned()
                    .map(|r| sc.spawn(move || evaluate(r)));
                for i in 0..batches.len() {
                    let Some(handle) = next.take() else { break };
                    let changed = handle
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e));
                    next = batches
                        .get(i + 1)
                        .cloned()
                        .map(|r| sc.spawn(move || evaluate(r)));
                    lap("evaluate", &mut phase);
                    for c in &changed {
                        let before = c.old.map(|j| old.get(j));
                        if write_changed(&mut writer, kind, c, before, dry_run, now, &mut moves)? {
                            report.changed += 1;
                        }
                    }
                    lap("write", &mut phase);
                }
                Ok(())
            })?;
            writer.flush()?;
            lap("write", &mut phase);
            moves.into_moves(kind, &mut all_moves);
        }
        drop(stream);
        drop(pops);
        drop(book);
        if dry_run {
            tx.rollback()?;
        } else {
            save_cuts(&tx, &cuts)?;
            tx.execute(
                "INSERT INTO classify_state (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![LAST_SWEEP_KEY, sweep_stamp(today, rules_digest(rules))],
            )?;
            tx.commit()?;
            self.classify.set_cuts(cuts);
        }
        all_moves.sort_by(|a, b| {
            (a.kind, &a.dimension, &a.value).cmp(&(b.kind, &b.dimension, &b.value))
        });
        report.moves = all_moves;
        lap("write", &mut phase);
        report.phases_ms = phases;
        report.elapsed_ms = started.elapsed().as_millis();
        Ok(report)
    }
}
