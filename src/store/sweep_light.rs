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

/// Ids of `kind` due on `today` (a write's '' included), and how many are
/// not. One pass over the narrow table (no index on the day: every sweep
/// rewrites many days, and an index in day order costs far more to keep
/// than reading the table).
fn due_ids(conn: &Conn, kind: Kind, today: NaiveDate) -> Result<(Vec<i64>, usize)> {
    let today = today.format("%Y-%m-%d").to_string();
    let mut stmt =
        conn.prepare("SELECT record_id, due_on FROM classify_due WHERE record_kind = ?1")?;
    let mut rows = stmt.query([kind.as_str()])?;
    let (mut due, mut later) = (Vec::new(), 0usize);
    while let Some(r) = rows.next()?.as_ref() {
        if book::str_at(r, 1)? <= today.as_str() {
            due.push(r.get(0)?);
        } else {
            later += 1;
        }
    }
    Ok((due, later))
}

fn stored_set(conn: &Conn, kind: Kind, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT tags FROM tag_sets WHERE record_kind = ?1 AND record_id = ?2")?
        .query_row(rusqlite::params![kind.as_str(), id], |r| r.get(0))
        .optional()?)
}

/// A live customer's fields, as the full sweep reads them.
fn customer_profile(conn: &Conn, id: i64) -> Result<Option<CustomerProfile>> {
    let text = |r: &super::engine::conn::Row, i: usize| -> rusqlite::Result<std::sync::Arc<str>> {
        Ok(book::opt_str_at(r, i)?.unwrap_or("").into())
    };
    Ok(conn
        .prepare_cached(
            "SELECT kind, country, province, city, industry, source, size, created_at
             FROM customers WHERE id = ?1 AND deleted_at IS NULL",
        )?
        .query_row([id], |r| {
            Ok(CustomerProfile {
                kind: book::str_at(r, 0)?.parse().unwrap_or_default(),
                country: text(r, 1)?,
                province: text(r, 2)?,
                city: text(r, 3)?,
                industry: text(r, 4)?,
                source: text(r, 5)?,
                size: r.get(6)?,
                since: book::day_of_timestamp(r, 7)?,
            })
        })
        .optional()?)
}

/// A customer's touches, in date order, as the full sweep reads them.
fn customer_touches(conn: &Conn, id: i64) -> Result<Vec<TouchRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT date, sentiment, CASE WHEN follow_up_done_on IS NULL THEN next_follow_up END,
                kind != 'note', id
         FROM activities
         WHERE customer_id = ?1 AND deleted_at IS NULL AND kind != 'campaign'",
    )?;
    let mut rows = stmt.query([id])?;
    let mut out: Vec<(NaiveDate, i64, TouchRow)> = Vec::new();
    while let Some(r) = rows.next()?.as_ref() {
        let Some(date) = book::date_at(r, 0)? else {
            continue;
        };
        out.push((
            date,
            r.get(4)?,
            TouchRow {
                date,
                sentiment: book::sentiment(book::opt_str_at(r, 1)?),
                open_follow_up: book::date_at(r, 2)?,
                contact: r.get(3)?,
            },
        ));
    }
    out.sort_unstable_by_key(|t| (t.0, t.1));
    Ok(out.into_iter().map(|t| t.2).collect())
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
    Ok(OpportunityProfile {
        stage: d.row.stage,
        amount: d.row.amount,
        source: sources[d.source as usize].clone(),
        competitors: d.competitors,
        probability: d.probability,
        expected_close: d.expected_close,
        next_step_date: d.next_step_date,
        updated: d.updated,
        industry,
        last_touch,
    })
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
    let mut phase = Instant::now();
    let mut phases: BTreeMap<String, u128> = BTreeMap::new();
    let mut lap = |name: &str, phase: &mut Instant| {
        *phases.entry(name.to_string()).or_default() += phase.elapsed().as_millis();
        *phase = Instant::now();
    };
    let rates = rules.rates();

    // Every live deal (the customers' cut points are taken over them),
    // while a second reader takes the rest: both see the book as this
    // transaction does (it holds the write lock and has written nothing).
    type Rest = (
        Vec<i64>,
        super::book::Catalog,
        (Vec<i64>, usize),
        (Vec<i64>, usize),
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
            due_ids(c, Kind::Customer, today)?,
            due_ids(c, Kind::Opportunity, today)?,
        ))
    };
    let (rest, (sources, mut deals)) =
        book::in_parallel(tx, path, rest, |c| book::read_deals(c, &rates))?;
    let (
        trashed,
        (products, product_sales, campaigns),
        (due_customers, later_customers),
        (due_deals, later_deals),
    ) = rest;
    let campaign_results = book::campaign_results(&deals);
    deals.retain(|d| trashed.binary_search(&d.customer_id).is_err());
    deals.sort_unstable_by_key(|d| (d.customer_id, d.id));
    let deal_rows: Vec<DealRow> = deals.iter().map(|d| d.row).collect();
    // Customers with deals: id and their deals' range.
    let mut buyers: Vec<(i64, std::ops::Range<usize>)> = Vec::new();
    for (i, d) in deals.iter().enumerate() {
        match buyers.last_mut() {
            Some((id, r)) if *id == d.customer_id => r.end = i + 1,
            _ => buyers.push((d.customer_id, i..i + 1)),
        }
    }
    lap("read", &mut phase);

    // The day's cut points: products and campaigns as in the full sweep,
    // customers from their deals (the facts percentiles are taken of).
    let catalog = catalog_populations(&products, &product_sales, &campaigns, &campaign_results);
    let mut cuts = cut_points(rules, &catalog, today);
    let needed = rules.percentiles_needed(Subject::Customer);
    let mut facts: Vec<usize> = needed.iter().map(|n| n.0).collect();
    facts.dedup();
    let w = facts.len();
    let empty = CustomerProfile::default();
    // Per buyer: the needed facts today, then on the last sweep's day.
    let mut values = vec![f64::NAN; buyers.len() * 2 * w];
    if w > 0 {
        values
            .par_chunks_mut(2 * w)
            .zip(buyers.par_iter())
            .for_each(|(row, (_, r))| {
                let rows = &deal_rows[r.clone()];
                let now = compute::customer_facts(&empty, rows, &[], today);
                let then = compute::customer_facts(&empty, rows, &[], base.day);
                for (k, &f) in facts.iter().enumerate() {
                    row[k] = now.num(f).unwrap_or(f64::NAN);
                    row[w + k] = then.num(f).unwrap_or(f64::NAN);
                }
            });
    }
    for (k, &fact) in facts.iter().enumerate() {
        let mut column: Vec<f64> = values
            .chunks(2 * w)
            .map(|r| r[k])
            .filter(|v| !v.is_nan() && *v != 0.0)
            .collect();
        cuts.add_values(Subject::Customer, fact, &needed, &mut column);
    }
    // A floor coming into or out of force changes every record's test.
    let floors_moved = [Subject::Customer, Subject::Opportunity]
        .into_iter()
        .any(|s| {
            rules
                .percentiles_needed(s)
                .iter()
                .any(|(f, _)| base.cuts.too_few(s, *f) != cuts.too_few(s, *f))
        });
    if floors_moved {
        return Ok(None);
    }
    // Customers whose values stand elsewhere against the cut points.
    let at = |v: f64| (!v.is_nan()).then_some(v);
    let moved: Vec<i64> = buyers
        .par_iter()
        .enumerate()
        .filter(|(_, (id, _))| due_customers.binary_search(id).is_err())
        .filter(|(j, _)| {
            let row = &values[j * 2 * w..(j + 1) * 2 * w];
            needed.iter().any(|&(fact, p)| {
                let k = facts.iter().position(|f| *f == fact).unwrap_or(0);
                due::standing(at(row[w + k]), base.cuts.get(Subject::Customer, fact, p))
                    != due::standing(at(row[k]), cuts.get(Subject::Customer, fact, p))
            })
        })
        .map(|(_, (id, _))| *id)
        .collect();
    drop(values);
    lap("cut points", &mut phase);

    // The customers to evaluate, read record by record.
    let mut ids: Vec<i64> = due_customers.iter().chain(&moved).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let mut gone: Vec<i64> = Vec::new();
    type CustomerRec = (CustomerProfile, std::ops::Range<usize>, Vec<TouchRow>);
    let mut records: Vec<(i64, Option<String>, CustomerRec)> = Vec::with_capacity(ids.len());
    for &id in &ids {
        let Some(profile) = customer_profile(tx, id)? else {
            gone.push(id);
            continue;
        };
        let range = buyers
            .binary_search_by_key(&id, |b| b.0)
            .map(|j| buyers[j].1.clone())
            .unwrap_or(0..0);
        let touches = customer_touches(tx, id)?;
        let before = stored_set(tx, Kind::Customer, id)?;
        records.push((id, before, (profile, range, touches)));
    }
    lap("read", &mut phase);
    let evaluated = records.len();
    let judged = evaluate(
        rules,
        &cuts,
        Subject::Customer,
        records,
        |(p, r, t), day| compute::customer_facts(p, &deal_rows[r.clone()], t, day),
        |(_, r, t), after| compute::customer_next_kink(&deal_rows[r.clone()], t, after),
        today,
    );
    lap("evaluate", &mut phase);
    let dues = write_judged(tx, Kind::Customer, &judged, dry_run, now, report)?;
    drop(judged);
    if !dry_run {
        write_dues(tx, Kind::Customer, &dues)?;
        forget_dues(tx, Kind::Customer, &gone)?;
    }
    report.evaluated.insert("customer".into(), evaluated);
    report.skipped.insert(
        "customer".into(),
        later_customers.saturating_sub(moved.len()),
    );
    lap("write", &mut phase);

    // The deals due.
    let mut by_id: Vec<(i64, usize)> = deals.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    by_id.sort_unstable();
    let mut gone: Vec<i64> = Vec::new();
    let mut records: Vec<(i64, Option<String>, OpportunityProfile)> = Vec::new();
    for &id in &due_deals {
        let Ok(j) = by_id.binary_search_by_key(&id, |b| b.0) else {
            gone.push(id);
            continue;
        };
        let profile = deal_profile(tx, &deals[by_id[j].1], &sources)?;
        let before = stored_set(tx, Kind::Opportunity, id)?;
        records.push((id, before, profile));
    }
    drop(by_id);
    lap("read", &mut phase);
    let evaluated = records.len();
    let judged = evaluate(
        rules,
        &cuts,
        Subject::Opportunity,
        records,
        compute::opportunity_facts,
        compute::opportunity_next_kink,
        today,
    );
    lap("evaluate", &mut phase);
    let dues = write_judged(tx, Kind::Opportunity, &judged, dry_run, now, report)?;
    drop(judged);
    if !dry_run {
        write_dues(tx, Kind::Opportunity, &dues)?;
        forget_dues(tx, Kind::Opportunity, &gone)?;
    }
    report.evaluated.insert("opportunity".into(), evaluated);
    report.skipped.insert("opportunity".into(), later_deals);
    lap("write", &mut phase);

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
