//! The light daily sweep: on a book whose last sweep kept its due days
//! (`classify_due`, schema step 10), only the customers and deals whose
//! tags can have changed since are evaluated:
//!
//! - the ones whose due day has come (the first day their facts can cross
//!   a rule's fixed number: `classify::due`);
//! - the ones a write touched since (triggers set their due day to '');
//! - the customers whose deal-based facts now stand elsewhere against the
//!   day's cut points than they stood on the last sweep's day against its
//!   cut points (the cut points are recomputed from the deals table, the
//!   only one they depend on: see `due::light_supported`).
//!
//! Products and campaigns (few) are evaluated every time. Any doubt — other
//! rules, a first classification, a floor coming into or out of force, a
//! cascade that moved the cut points, a team book — and the full sweep
//! runs instead. Its results are the full sweep's (`tests/classify_light.rs`
//! runs both side by side over simulated days of writes).

use super::book::{self, DealLine};
use super::engine::conn::Conn;
use super::sweep::{
    catalog_populations, cut_points, due_text, judge, last_sweep_day, rules_digest, SweepReport,
};
use super::sweep_write::{write_changed, Changed, Moves, SweepWriter};
use super::Result;
use crate::classify::compute::{self, CustomerProfile, DealRow, OpportunityProfile, TouchRow};
use crate::classify::due::{self, due_day, Thresholds};
use crate::classify::{CutPoints, Facts, RuleSet, Subject};
use crate::domain::Kind;
use chrono::{DateTime, NaiveDate, Utc};
use rayon::prelude::*;
use rusqlite::OptionalExtension;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

/// The light sweep's page cache, in KiB: room for the pages a day's
/// writes touch at 1M customers (about 12,000).
const LIGHT_CACHE_KB: i64 = 65_536;

/// `classify_state` key: the stamp of the last sweep that kept the due days.
pub(super) const LIGHT_BASE_KEY: &str = "light_base";
/// `classify_state` key: the cut points of that sweep (a cascade on a small
/// book may move the book's own afterwards).
pub(super) const SWEEP_CUTS_KEY: &str = "sweep_cuts";

/// The last sweep a light sweep can start from: its day and cut points.
pub(super) struct LightBase {
    day: NaiveDate,
    cuts: CutPoints,
}

fn state(conn: &Conn, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM classify_state WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

/// The base for a light sweep today with `rules`, if there is one.
pub(super) fn light_base(
    conn: &Conn,
    rules: &RuleSet,
    today: NaiveDate,
) -> Result<Option<LightBase>> {
    if conn.sqlite().is_none() || !due::light_supported(rules) {
        return Ok(None);
    }
    // Its indexes (schema step 11), unless dropped by hand: without them
    // it would read whole tables.
    let indexes: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index'
         AND name IN ('opportunities_purchases', 'classify_due_day')",
        [],
        |r| r.get(0),
    )?;
    if indexes != 2 {
        return Ok(None);
    }
    // The last sweep kept the due days: it is the last sweep there was,
    // or a write that can move cut points forgot it since (`mark_cuts_stale`).
    let Some(base) = state(conn, LIGHT_BASE_KEY)? else {
        return Ok(None);
    };
    if last_sweep_day(conn)?.is_some_and(|last| last != base) {
        return Ok(None);
    }
    let Some((day, digest)) = base.split_once(' ') else {
        return Ok(None);
    };
    if digest != format!("{:016x}", rules_digest(rules)) {
        return Ok(None);
    }
    let Ok(day) = day.parse::<NaiveDate>() else {
        return Ok(None);
    };
    if day > today {
        return Ok(None);
    }
    let Some(cuts) = state(conn, SWEEP_CUTS_KEY)? else {
        return Ok(None);
    };
    if state(conn, "cut_points")?.as_deref() != Some(cuts.as_str()) {
        return Ok(None);
    }
    Ok(Some(LightBase {
        day,
        cuts: CutPoints::from_json(&cuts),
    }))
}

/// Writes due days (`(id, YYYY-MM-DD)`) of records of `kind`.
pub(super) fn write_dues(conn: &Conn, kind: Kind, dues: &[(i64, String)]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO classify_due (record_kind, record_id, due_on) VALUES (?1, ?2, ?3)
         ON CONFLICT (record_kind, record_id) DO UPDATE SET due_on = excluded.due_on",
    )?;
    for (id, day) in dues {
        stmt.execute(rusqlite::params![kind.as_str(), id, day])?;
    }
    Ok(())
}

fn forget_dues(conn: &Conn, kind: Kind, ids: &[i64]) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("DELETE FROM classify_due WHERE record_kind = ?1 AND record_id = ?2")?;
    for id in ids {
        stmt.execute(rusqlite::params![kind.as_str(), id])?;
    }
    Ok(())
}

/// Ids of `kind` due on `today` (a write's '' included), sorted: a range
/// of the due days' index by day (schema step 11, which leaves out
/// "never").
fn due_ids(conn: &Conn, kind: Kind, today: NaiveDate) -> Result<Vec<i64>> {
    let today = today.format("%Y-%m-%d").to_string();
    let mut stmt = conn.prepare(
        "SELECT record_id FROM classify_due INDEXED BY classify_due_day
         WHERE record_kind = ?1 AND due_on <= ?2 AND due_on < '9999'",
    )?;
    let mut ids: Vec<i64> = stmt
        .query_map(rusqlite::params![kind.as_str(), today], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.sort_unstable();
    Ok(ids)
}

/// How many records a full sweep would evaluate: live customers, and live
/// deals of live customers. From the tables' counts and their trash (no
/// table is read).
fn live_counts(conn: &Conn) -> Result<(usize, usize)> {
    let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let customers = count("SELECT count(*) FROM customers")?
        - count("SELECT count(*) FROM customers WHERE deleted_at IS NOT NULL")?;
    let deals = count("SELECT count(*) FROM opportunities")?
        - count("SELECT count(*) FROM opportunities WHERE deleted_at IS NOT NULL")?
        - count(
            "SELECT count(*) FROM opportunities WHERE deleted_at IS NULL
             AND customer_id IN (SELECT id FROM customers WHERE deleted_at IS NOT NULL)",
        )?;
    Ok((customers.max(0) as usize, deals.max(0) as usize))
}

fn stored_set(conn: &Conn, kind: Kind, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT tags FROM tag_sets WHERE record_kind = ?1 AND record_id = ?2")?
        .query_row(rusqlite::params![kind.as_str(), id], |r| r.get(0))
        .optional()?)
}

/// A live customer's fields, as the full sweep reads them.
fn customer_profile(
    conn: &Conn,
    id: i64,
    texts: &mut book::Interner,
) -> Result<Option<CustomerProfile>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {} FROM customers WHERE id = ?1 AND deleted_at IS NULL",
            book::PROFILE_COLUMNS
        ))?
        .query_row([id], |r| book::customer_profile(r, 0, texts))
        .optional()?)
}

/// A customer's touches, in date order, as the full sweep reads them.
fn customer_touches(conn: &Conn, id: i64) -> Result<Vec<TouchRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM activities
         WHERE customer_id = ?1 AND deleted_at IS NULL AND kind != 'campaign'",
        book::TOUCH_COLUMNS
    ))?;
    let mut rows = stmt.query([id])?;
    let mut out: Vec<(NaiveDate, i64, TouchRow)> = Vec::new();
    while let Some(r) = rows.next()?.as_ref() {
        out.extend(book::touch(r, 0)?);
    }
    out.sort_unstable_by_key(|t| (t.0, t.1));
    Ok(out.into_iter().map(|t| t.2).collect())
}

/// Live deals whose `key` column is `id`, in id order, as the full sweep
/// reads them.
fn deal_lines(
    conn: &Conn,
    key: &str,
    id: i64,
    rates: &crate::domain::Rates,
    sources: &mut book::Sources,
) -> Result<Vec<DealLine>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM opportunities WHERE {key} = ?1 AND deleted_at IS NULL ORDER BY id",
        book::DEAL_COLUMNS
    ))?;
    let mut rows = stmt.query([id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()?.as_ref() {
        out.push(book::deal_line(r, rates, sources)?);
    }
    Ok(out)
}

/// A live deal's profile, as the full sweep builds it.
fn deal_profile(conn: &Conn, d: &DealLine, sources: &[String]) -> Result<OpportunityProfile> {
    let industry: String = conn
        .prepare_cached("SELECT industry FROM customers WHERE id = ?1")?
        .query_row([d.customer_id], |r| {
            Ok(book::opt_str_at(r, 0)?.unwrap_or("").to_string())
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT date FROM activities
         WHERE opportunity_id = ?1 AND deleted_at IS NULL AND kind != 'campaign'
               AND customer_id IS NOT NULL",
    )?;
    let mut rows = stmt.query([d.id])?;
    let mut last_touch: Option<NaiveDate> = None;
    while let Some(r) = rows.next()?.as_ref() {
        if let Some(day) = book::date_at(r, 0)? {
            last_touch = Some(last_touch.map_or(day, |l| l.max(day)));
        }
    }
    Ok(d.profile(sources, industry, last_touch))
}

/// Records read for evaluation, with the ids found gone (no longer live).
struct Read<T> {
    records: Vec<(i64, Option<String>, T)>,
    gone: Vec<i64>,
}

impl<T> Read<T> {
    fn with_capacity(n: usize) -> Self {
        Read {
            records: Vec::with_capacity(n),
            gone: Vec::new(),
        }
    }
}

type CustomerRec = (CustomerProfile, Vec<DealRow>, Vec<TouchRow>);

enum Records {
    Customers(Read<CustomerRec>, Read<CustomerRec>),
    Deals(Read<OpportunityProfile>),
}

/// The customers `ids`, as the full sweep reads them, with stored sets.
fn read_customers(
    conn: &Conn,
    ids: &[i64],
    rates: &crate::domain::Rates,
) -> Result<Read<CustomerRec>> {
    let mut sources = book::Sources::default();
    let mut texts = book::Interner::default();
    let mut out = Read::with_capacity(ids.len());
    for &id in ids {
        let Some(profile) = customer_profile(conn, id, &mut texts)? else {
            out.gone.push(id);
            continue;
        };
        let deals = deal_lines(conn, "customer_id", id, rates, &mut sources)?
            .into_iter()
            .map(|d| d.row)
            .collect();
        let touches = customer_touches(conn, id)?;
        let before = stored_set(conn, Kind::Customer, id)?;
        out.records.push((id, before, (profile, deals, touches)));
    }
    Ok(out)
}

/// The deals `ids`, as the full sweep reads them, with stored sets (a
/// deal of a customer in the trash keeps its tags: gone here).
fn read_deals(
    conn: &Conn,
    ids: &[i64],
    trashed: &[i64],
    rates: &crate::domain::Rates,
) -> Result<Read<OpportunityProfile>> {
    let mut sources = book::Sources::default();
    let mut out = Read::with_capacity(ids.len());
    for &id in ids {
        let deal = deal_lines(conn, "id", id, rates, &mut sources)?
            .pop()
            .filter(|d| trashed.binary_search(&d.customer_id).is_err());
        let Some(deal) = deal else {
            out.gone.push(id);
            continue;
        };
        let profile = deal_profile(conn, &deal, &sources.names)?;
        let before = stored_set(conn, Kind::Opportunity, id)?;
        out.records.push((id, before, profile));
    }
    Ok(out)
}

/// One record to evaluate: its facts today and a way to its due day.
struct Judged {
    id: i64,
    before: Option<String>,
    changed: Option<Changed>,
    due: String,
}

/// Evaluates `records` (facts today, tomorrow's, next kink), with stored sets.
fn evaluate<T: Send + Sync>(
    rules: &RuleSet,
    cuts: &CutPoints,
    subject: Subject,
    records: Vec<(i64, Option<String>, T)>,
    facts: impl Fn(&T, NaiveDate) -> Facts + Sync,
    kink: impl Fn(&T, NaiveDate) -> Option<NaiveDate> + Sync,
    today: NaiveDate,
) -> Vec<Judged> {
    let thresholds = Thresholds::of(rules, subject);
    let tomorrow = today.succ_opt().unwrap_or(today);
    records
        .into_par_iter()
        .map(|(id, before, rec)| {
            let mut f = facts(&rec, today);
            if subject == Subject::Customer {
                cuts.add_rfm_scores(&mut f);
            }
            let changed = judge(rules, cuts, &f, before.as_deref()).map(|(new, reasons)| Changed {
                id,
                old: None,
                new,
                reasons,
            });
            let day = due_day(
                &thresholds,
                &f,
                || facts(&rec, tomorrow),
                kink(&rec, today),
                today,
            );
            Judged {
                id,
                before,
                changed,
                due: due_text(day),
            }
        })
        .collect()
}

/// Writes what `judged` changed (counting moves); returns the due days.
fn write_judged(
    conn: &Conn,
    kind: Kind,
    judged: &[Judged],
    dry_run: bool,
    now: DateTime<Utc>,
    report: &mut SweepReport,
) -> Result<Vec<(i64, String)>> {
    let mut moves = Moves::default();
    let mut writer = SweepWriter::new(conn);
    for j in judged {
        if let Some(c) = &j.changed {
            if write_changed(
                &mut writer,
                kind,
                c,
                j.before.as_deref(),
                dry_run,
                now,
                &mut moves,
            )? {
                report.changed += 1;
            }
        }
    }
    writer.flush()?;
    moves.into_moves(kind, &mut report.moves);
    Ok(judged.iter().map(|j| (j.id, j.due.clone())).collect())
}

/// Runs the light sweep inside the sweep's transaction, filling `report`;
/// returns the day's cut points, or `None` (nothing written) when the full
/// sweep must run instead.
pub(super) fn sweep(
    tx: &Conn,
    path: Option<&std::path::Path>,
    rules: &RuleSet,
    base: &LightBase,
    today: NaiveDate,
    now: DateTime<Utc>,
    report: &mut SweepReport,
) -> Result<Option<CutPoints>> {
    let dry_run = report.dry_run;
    // Room for every page the day's writes touch (spilled to the log before
    // the commit, a page is written there again with each later change).
    tx.pragma_update(None, "cache_size", -LIGHT_CACHE_KB)?;
    let mut phase = Instant::now();
    let mut phases: BTreeMap<String, u128> = BTreeMap::new();
    let mut lap = |name: &str, phase: &mut Instant| {
        *phases.entry(name.to_string()).or_default() += phase.elapsed().as_millis();
        *phase = Instant::now();
    };
    let rates = rules.rates();
    let needed = rules.percentiles_needed(Subject::Customer);
    let mut facts: Vec<usize> = needed.iter().map(|n| n.0).collect();
    facts.dedup();
    // The default rules take percentiles of won deals' figures alone.
    let won_only = !facts.iter().any(|f| {
        compute::FACTS_OF_OPEN_AND_LOST_DEALS
            .iter()
            .any(|o| usize::from(*o) == *f)
    });

    // The deals' purchase figures (the customers' cut points are taken
    // over them) on a second reader while this connection takes the rest:
    // both see the book as this transaction does (it holds the write lock
    // and has written nothing yet).
    type Rest = (
        Vec<i64>,
        super::book::Catalog,
        HashMap<i64, compute::CampaignResults>,
        Vec<i64>,
        Vec<i64>,
        (usize, usize),
    );
    let rest = |c: &Conn| -> Result<Rest> {
        let mut stmt = c.prepare("SELECT id FROM customers WHERE deleted_at IS NOT NULL")?;
        let mut trashed: Vec<i64> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        trashed.sort_unstable();
        Ok((
            trashed,
            book::read_catalog(c, today)?,
            book::read_campaign_results(c, &rates)?,
            due_ids(c, Kind::Customer, today)?,
            due_ids(c, Kind::Opportunity, today)?,
            live_counts(c)?,
        ))
    };
    let (mut purchases, rest) = book::in_parallel(
        tx,
        path,
        |c| book::read_purchases(c, &rates, won_only),
        rest,
    )?;
    let (
        trashed,
        (products, product_sales, campaigns),
        campaign_results,
        due_customers,
        due_deals,
        (live_customers, live_deals),
    ) = rest;
    purchases.retain(|(c, _)| trashed.binary_search(c).is_err());
    let deal_rows: Vec<DealRow> = purchases.iter().map(|p| p.1).collect();
    // Customers with such deals: id and their rows' range.
    let mut buyers: Vec<(i64, std::ops::Range<usize>)> = Vec::new();
    for (i, (customer, _)) in purchases.iter().enumerate() {
        match buyers.last_mut() {
            Some((id, r)) if id == customer => r.end = i + 1,
            _ => buyers.push((*customer, i..i + 1)),
        }
    }
    drop(purchases);
    lap("read", &mut phase);

    // The day's cut points: products and campaigns as in the full sweep,
    // customers from their deals (the facts percentiles are taken of).
    let catalog = catalog_populations(&products, &product_sales, &campaigns, &campaign_results);
    let mut cuts = cut_points(rules, &catalog, today);
    let w = facts.len();
    // Per buyer: the needed facts today, then on the last sweep's day.
    let mut values = vec![f64::NAN; buyers.len() * 2 * w];
    if w > 0 {
        values
            .par_chunks_mut(2 * w)
            .zip(buyers.par_iter())
            .for_each_init(
                || Facts::new(Subject::Customer),
                |f, (row, (_, r))| {
                    let rows = &deal_rows[r.clone()];
                    for (at, day) in [(0, today), (w, base.day)] {
                        f.clear();
                        compute::purchase_facts(f, rows, day);
                        for (k, &fact) in facts.iter().enumerate() {
                            row[at + k] = f.num(fact).unwrap_or(f64::NAN);
                        }
                    }
                },
            );
    }
    drop(deal_rows);
    for (k, &fact) in facts.iter().enumerate() {
        let mut column: Vec<f64> = values
            .chunks(2 * w)
            .map(|r| r[k])
            .filter(|v| !v.is_nan() && *v != 0.0)
            .collect();
        cuts.add_values(Subject::Customer, fact, &needed, &mut column);
    }
    // A floor coming into or out of force changes every record's test,
    // and a cut point coming or going every record's standing (the
    // customers without such deals are not looked at below).
    let floors_moved = [Subject::Customer, Subject::Opportunity]
        .into_iter()
        .any(|s| {
            rules.percentiles_needed(s).iter().any(|&(f, p)| {
                base.cuts.too_few(s, f) != cuts.too_few(s, f)
                    || base.cuts.get(s, f, p).is_some() != cuts.get(s, f, p).is_some()
            })
        });
    if floors_moved {
        return Ok(None);
    }
    // Customers whose values stand elsewhere against the cut points.
    let at = |v: f64| (!v.is_nan()).then_some(v);
    let tests: Vec<(usize, Option<f64>, Option<f64>)> = needed
        .iter()
        .map(|&(fact, p)| {
            (
                facts.iter().position(|f| *f == fact).unwrap_or(0),
                base.cuts.get(Subject::Customer, fact, p),
                cuts.get(Subject::Customer, fact, p),
            )
        })
        .collect();
    let moved: Vec<i64> = buyers
        .par_iter()
        .enumerate()
        .filter(|(_, (id, _))| due_customers.binary_search(id).is_err())
        .filter(|(j, _)| {
            let row = &values[j * 2 * w..(j + 1) * 2 * w];
            tests.iter().any(|&(k, then, now)| {
                due::standing(at(row[w + k]), then) != due::standing(at(row[k]), now)
            })
        })
        .map(|(_, (id, _))| *id)
        .collect();
    drop(values);
    drop(buyers);
    lap("cut points", &mut phase);

    // The customers and deals to evaluate, read record by record, on two
    // connections (nothing is written before both kinds are read).
    let mut ids: Vec<i64> = due_customers.iter().chain(&moved).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    // A customer costs about 5/3 of a deal to read: the reader takes the
    // deals and as many customers as leave both sides even.
    let (first, second) = ids.split_at(ids.len().saturating_sub(due_deals.len() * 3 / 5) / 2);
    let ((customers, deals), more) = book::in_parallel(
        tx,
        path,
        |c| {
            Ok((
                read_customers(c, first, &rates)?,
                read_deals(c, &due_deals, &trashed, &rates)?,
            ))
        },
        |c| read_customers(c, second, &rates),
    )?;
    lap("read", &mut phase);

    for (kind, live, records) in [
        (
            Kind::Customer,
            live_customers,
            Records::Customers(customers, more),
        ),
        (Kind::Opportunity, live_deals, Records::Deals(deals)),
    ] {
        let (judged, gone) = match records {
            Records::Customers(mut a, b) => {
                a.records.extend(b.records);
                a.gone.extend(b.gone);
                let judged = evaluate(
                    rules,
                    &cuts,
                    Subject::Customer,
                    a.records,
                    |(p, d, t), day| compute::customer_facts(p, d, t, day),
                    |(_, d, t), after| compute::customer_next_kink(d, t, after),
                    today,
                );
                (judged, a.gone)
            }
            Records::Deals(d) => {
                let judged = evaluate(
                    rules,
                    &cuts,
                    Subject::Opportunity,
                    d.records,
                    compute::opportunity_facts,
                    compute::opportunity_next_kink,
                    today,
                );
                (judged, d.gone)
            }
        };
        lap("evaluate", &mut phase);
        let dues = write_judged(tx, kind, &judged, dry_run, now, report)?;
        if !dry_run {
            write_dues(tx, kind, &dues)?;
            forget_dues(tx, kind, &gone)?;
        }
        report
            .evaluated
            .insert(kind.as_str().to_string(), judged.len());
        report
            .skipped
            .insert(kind.as_str().to_string(), live.saturating_sub(judged.len()));
        lap("write", &mut phase);
    }

    // Products and campaigns: all of them.
    for pop in &catalog {
        let kind = pop.subject.kind();
        let stored: HashMap<i64, String> = {
            let mut stmt =
                tx.prepare("SELECT record_id, tags FROM tag_sets WHERE record_kind = ?1")?;
            let rows = stmt
                .query_map([kind.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            rows
        };
        let mut moves = Moves::default();
        let mut writer = SweepWriter::new(tx);
        for (i, &id) in pop.ids.iter().enumerate() {
            let f = (pop.facts)(i, today);
            let before = stored.get(&id).map(String::as_str);
            if let Some((new, reasons)) = judge(rules, &cuts, &f, before) {
                let c = Changed {
                    id,
                    old: None,
                    new,
                    reasons,
                };
                if write_changed(&mut writer, kind, &c, before, dry_run, now, &mut moves)? {
                    report.changed += 1;
                }
            }
        }
        writer.flush()?;
        moves.into_moves(kind, &mut report.moves);
        report
            .evaluated
            .insert(kind.as_str().to_string(), pop.ids.len());
    }
    lap("evaluate", &mut phase);
    report.phases_ms = phases;
    Ok(Some(cuts))
}
