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
use crate::classify::due::{due_day, Thresholds};
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

/// The due days' index by day, as schema step 11 creates it.
const DUE_DAY_INDEX: &str =
    "CREATE INDEX classify_due_day ON classify_due(record_kind, due_on) WHERE due_on < '9999'";

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
    /// Records a light sweep left as they were, per kind: nothing they
    /// depend on changed since the last sweep (no write, no day of theirs,
    /// no cut point crossing their values). Empty after a full sweep.
    pub skipped: BTreeMap<String, usize>,
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
/// each one's facts on a day (without RFM scores), and for customers and
/// deals, the first day after a given one their facts stop moving in a
/// straight line (see `classify::due`).
pub(super) struct Population<'b> {
    pub subject: Subject,
    pub ids: Vec<i64>,
    pub facts: Box<dyn Fn(usize, chrono::NaiveDate) -> Facts + Sync + 'b>,
    pub kink: Option<KinkFn<'b>>,
}

/// A population's next kink after a day (see `classify::due`).
pub(super) type KinkFn<'b> =
    Box<dyn Fn(usize, chrono::NaiveDate) -> Option<chrono::NaiveDate> + Sync + 'b>;

/// The catalogue's populations: products and campaigns (few; every sweep
/// evaluates them all).
pub(super) fn catalog_populations<'b>(
    products: &'b [(i64, compute::ProductProfile)],
    product_sales: &'b std::collections::HashMap<i64, compute::ProductSales>,
    campaigns: &'b [(i64, chrono::NaiveDate, crate::domain::Campaign)],
    campaign_results: &'b std::collections::HashMap<i64, compute::CampaignResults>,
) -> [Population<'b>; 2] {
    [
        Population {
            subject: Subject::Product,
            ids: products.iter().map(|p| p.0).collect(),
            facts: Box::new(move |i, _| {
                let (id, p) = &products[i];
                compute::product_facts(p, product_sales.get(id).copied().unwrap_or_default())
            }),
            kink: None,
        },
        Population {
            subject: Subject::Campaign,
            ids: campaigns.iter().map(|c| c.0).collect(),
            facts: Box::new(move |i, _| {
                let (id, start, c) = &campaigns[i];
                compute::campaign_facts(
                    c,
                    *start,
                    campaign_results.get(id).copied().unwrap_or_default(),
                )
            }),
            kink: None,
        },
    ]
}

fn populations(book: &Book) -> Vec<Population<'_>> {
    let [products, campaigns] = catalog_populations(
        &book.products,
        &book.product_sales,
        &book.campaigns,
        &book.campaign_results,
    );
    vec![
        Population {
            subject: Subject::Customer,
            ids: book.customers.iter().map(|c| c.0).collect(),
            facts: Box::new(move |i, day| {
                compute::customer_facts(
                    &book.customers[i].1,
                    book.customer_deals(i),
                    book.customer_touches(i),
                    day,
                )
            }),
            kink: Some(Box::new(move |i, after| {
                compute::customer_next_kink(book.customer_deals(i), book.customer_touches(i), after)
            })),
        },
        Population {
            subject: Subject::Opportunity,
            ids: book.deals.iter().map(|d| d.id).collect(),
            facts: Box::new(move |i, day| {
                compute::opportunity_facts(&book.opportunity(&book.deals[i]), day)
            }),
            kink: Some(Box::new(move |i, after| {
                compute::opportunity_next_kink(&book.opportunity(&book.deals[i]), after)
            })),
        },
        products,
        campaigns,
    ]
}

/// Percentiles the rules need, over each population.
pub(super) fn cut_points(
    rules: &RuleSet,
    pops: &[Population],
    today: chrono::NaiveDate,
) -> CutPoints {
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
                let f = (pop.facts)(i, today);
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
    let pops = populations(&book);
    Ok(cut_points(rules, &pops, today))
}

/// Key of the day of the last sweep in `classify_state`.
const LAST_SWEEP_KEY: &str = "last_sweep";

/// Forgets the last sweep, so the next `sweep_if_stale` (start of the TUI,
/// commands that show tags) classifies the book again — used after a bulk
/// import that skipped classification. That sweep is a full one.
pub(crate) fn mark_stale(conn: &Conn) -> Result<()> {
    conn.execute(
        "DELETE FROM classify_state WHERE key IN (?1, ?2)",
        [LAST_SWEEP_KEY, super::sweep_light::LIGHT_BASE_KEY],
    )?;
    Ok(())
}

/// Like [`mark_stale`] after a write that can move the cut points on a big
/// book: the next sweep recomputes them, and may be a light one (the
/// written records are marked due by the triggers).
pub(crate) fn mark_cuts_stale(conn: &Conn) -> Result<()> {
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

    /// Like [`Store::sweep`], always evaluating every record (never the
    /// light sweep): what the light sweep is checked against.
    pub fn sweep_full(&mut self, dry_run: bool) -> Result<SweepReport> {
        let rules = self.rules()?.clone();
        self.sweep_mode(&rules, dry_run, true)
    }

    /// Like [`Store::sweep`] with other rules (`classify --dry-run --rules FILE`).
    pub fn sweep_with(&mut self, rules: &RuleSet, dry_run: bool) -> Result<SweepReport> {
        self.sweep_mode(rules, dry_run, false)
    }

    fn sweep_mode(&mut self, rules: &RuleSet, dry_run: bool, full: bool) -> Result<SweepReport> {
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
        let result = self.sweep_in_tx(rules, dry_run, full, behavior);
        self.conn.pragma_update(None, "cache_size", cache)?;
        result
    }

    fn sweep_in_tx(
        &mut self,
        rules: &RuleSet,
        dry_run: bool,
        full: bool,
        behavior: TransactionBehavior,
    ) -> Result<SweepReport> {
        let started = Instant::now();
        let today = self.clock.today();
        let now = self.clock.now();
        let tx = self.conn.transaction_with_behavior(behavior)?;
        let stamp = sweep_stamp(today, rules_digest(rules));
        // Due days are kept on SQLite, where triggers mark what writes touch.
        let track_due = tx.sqlite().is_some();
        let mut report = SweepReport {
            dry_run,
            ..Default::default()
        };
        let base = match full {
            true => None,
            false => super::sweep_light::light_base(&tx, rules, today)?,
        };
        let light = match base {
            Some(base) => {
                let path = self.path.clone();
                super::sweep_light::sweep(
                    &tx,
                    path.as_deref(),
                    rules,
                    &base,
                    today,
                    now,
                    &mut report,
                )?
            }
            None => None,
        };
        let cuts = match light {
            Some(cuts) => cuts,
            None => {
                report = SweepReport {
                    dry_run,
                    ..Default::default()
                };
                let path = self.path.clone();
                full_sweep(
                    &tx,
                    path.as_deref(),
                    rules,
                    today,
                    now,
                    track_due,
                    &mut report,
                )?
            }
        };
        let mut phase = Instant::now();
        if dry_run {
            tx.rollback()?;
        } else {
            save_cuts(&tx, &cuts)?;
            let mut state = tx.prepare_cached(
                "INSERT INTO classify_state (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            )?;
            state.execute(params![LAST_SWEEP_KEY, stamp])?;
            if track_due {
                // The due days are kept for this sweep's day and cut points.
                state.execute(params![super::sweep_light::LIGHT_BASE_KEY, stamp])?;
                state.execute(params![super::sweep_light::SWEEP_CUTS_KEY, cuts.to_json()])?;
            }
            drop(state);
            tx.commit()?;
            self.classify.set_cuts(cuts);
        }
        report.moves.sort_by(|a, b| {
            (a.kind, &a.dimension, &a.value).cmp(&(b.kind, &b.dimension, &b.value))
        });
        *report.phases_ms.entry("write".into()).or_default() += phase.elapsed().as_millis();
        phase = Instant::now();
        let _ = phase;
        report.elapsed_ms = started.elapsed().as_millis();
        Ok(report)
    }
}

/// Every live record evaluated; with `track_due`, each customer's and
/// deal's due day written afresh.
fn full_sweep(
    tx: &Conn,
    path: Option<&std::path::Path>,
    rules: &RuleSet,
    today: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
    track_due: bool,
    report: &mut SweepReport,
) -> Result<CutPoints> {
    let mut phase = Instant::now();
    let mut phases: BTreeMap<String, u128> = BTreeMap::new();
    let mut lap = |name: &str, phase: &mut Instant| {
        *phases.entry(name.to_string()).or_default() += phase.elapsed().as_millis();
        *phase = Instant::now();
    };
    let dry_run = report.dry_run;
    let rates = rules.rates();
    // A team book: whole tables come through cursors, writes go set-based
    // (`engine::pg_sweep`).
    let stream = tx.stream_reads();
    let mut writer = SweepWriter::new(tx);
    let (mut sets, book) = super::book::in_parallel(tx, path, stored_sets, |c| {
        Book::load(c, path, today, &rates)
    })?;
    lap("read", &mut phase);
    let pops = populations(&book);
    let cuts = cut_points(rules, &pops, today);
    lap("cut points", &mut phase);
    let write_due = track_due && !dry_run;
    if write_due {
        // Every due day is written afresh, in id order; the index by day
        // (schema step 11) is built once afterwards: kept row by row, its
        // inserts in day order would land all over it.
        tx.execute("DROP INDEX IF EXISTS classify_due_day", [])?;
        tx.execute("DELETE FROM classify_due", [])?;
    }
    let tomorrow = today.succ_opt().unwrap_or(today);

    let mut all_moves = Vec::new();
    for pop in &pops {
        let kind = pop.subject.kind();
        let mut moves = Moves::default();
        report
            .evaluated
            .insert(kind.as_str().to_string(), pop.ids.len());
        let old = sets.remove(kind.as_str()).unwrap_or_default();
        let kink = pop.kink.as_ref().filter(|_| write_due);
        let thresholds = Thresholds::of(rules, pop.subject);
        // Batch i+1 is evaluated (in parallel) while batch i is written.
        let evaluate = |range: std::ops::Range<usize>| -> (Vec<Changed>, Vec<(i64, String)>) {
            let judged: Vec<Judged> = range
                .into_par_iter()
                .map(|i| {
                    let mut f = (pop.facts)(i, today);
                    if pop.subject == Subject::Customer {
                        cuts.add_rfm_scores(&mut f);
                    }
                    let id = pop.ids[i];
                    let at = old.find(id);
                    let changed =
                        judge(rules, &cuts, &f, at.map(|j| old.get(j))).map(|(new, reasons)| {
                            Changed {
                                id,
                                old: at,
                                new,
                                reasons,
                            }
                        });
                    let due = kink.map(|kink| {
                        let day = due_day(
                            &thresholds,
                            &f,
                            || (pop.facts)(i, tomorrow),
                            kink(i, today),
                            today,
                        );
                        (id, due_text(day))
                    });
                    (changed, due)
                })
                .collect();
            let mut changed = Vec::new();
            let mut dues = Vec::new();
            for (c, d) in judged {
                changed.extend(c);
                dues.extend(d);
            }
            (changed, dues)
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
                let (changed, dues) = handle
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
                if !dues.is_empty() {
                    super::sweep_light::write_dues(tx, kind, &dues)?;
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
    if write_due {
        tx.execute(DUE_DAY_INDEX, [])?;
    }
    report.moves = all_moves;
    lap("write", &mut phase);
    report.phases_ms = phases;
    Ok(cuts)
}

/// Evaluates one record's facts: its new set of tag values and, for a
/// record that had tags, the reasons of the values it gains (its history);
/// `None` when its stored set `old` stays.
pub(super) fn judge(
    rules: &RuleSet,
    cuts: &CutPoints,
    f: &Facts,
    old: Option<&str>,
) -> Option<(String, Vec<(String, String)>)> {
    let outcomes = rules.evaluate(f, cuts);
    let new = encode(outcomes.iter().flat_map(|o| o.values()));
    let reasons = match old {
        Some(o) if o == new => return None,
        // Only a record that had tags gets history.
        Some(o) => diff(o, &new)
            .iter()
            .filter(|d| d.new.is_some())
            .filter_map(|d| {
                let o = outcomes.iter().find(|o| o.dim.name == d.dimension)?;
                Some((d.dimension.to_string(), o.reason(f, cuts)))
            })
            .collect(),
        None => Vec::new(),
    };
    Some((new, reasons))
}

/// A record's change (if any) and its due day (when kept).
type Judged = (Option<Changed>, Option<(i64, String)>);

/// A due day as stored: `YYYY-MM-DD`; "never" is the last day of 9999.
pub(super) fn due_text(day: chrono::NaiveDate) -> String {
    let last = chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(day);
    day.min(last).format("%Y-%m-%d").to_string()
}
