//! The whole book as the sweep reads it: set-based scans of each table
//! (in rowid order, no per-record queries), grouped in memory.

use super::engine::conn::{Conn, Row};
use super::Result;
use crate::classify::compute::{
    CampaignResults, CustomerProfile, DealRow, OpportunityProfile, ProductProfile, ProductSales,
    TouchRow,
};
use crate::domain::{Campaign, Sentiment, Stage};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// A live deal, with what the customer, product and campaign facts need.
pub(crate) struct DealLine {
    pub id: i64,
    pub customer_id: i64,
    pub campaign_id: Option<i64>,
    pub row: DealRow,
    /// Index into `Book::sources`.
    pub source: u32,
    pub competitors: usize,
    pub probability: Option<u8>,
    pub expected_close: Option<NaiveDate>,
    pub next_step_date: Option<NaiveDate>,
    pub updated: NaiveDate,
}

impl DealLine {
    /// The deal's profile for the rules: `sources` as the line was read
    /// with, its customer's industry, its latest touch.
    pub(crate) fn profile(
        &self,
        sources: &[String],
        industry: String,
        last_touch: Option<NaiveDate>,
    ) -> OpportunityProfile {
        OpportunityProfile {
            stage: self.row.stage,
            amount: self.row.amount,
            source: sources[self.source as usize].clone(),
            competitors: self.competitors,
            probability: self.probability,
            expected_close: self.expected_close,
            next_step_date: self.next_step_date,
            updated: self.updated,
            industry,
            last_touch,
        }
    }
}

pub(crate) struct Book {
    /// Live customers by id.
    pub customers: Vec<(i64, CustomerProfile)>,
    /// Live deals, sorted by customer id.
    pub deals: Vec<DealLine>,
    /// `deals[i].row`, side by side, so a customer's rows are one slice.
    pub deal_rows: Vec<DealRow>,
    /// `deal_ranges[i]`: the deals of `customers[i]`.
    pub deal_ranges: Vec<std::ops::Range<usize>>,
    /// Live touches, sorted by customer, date, id.
    pub touches: Vec<TouchRow>,
    pub touch_ranges: Vec<std::ops::Range<usize>>,
    /// Latest touch per deal.
    pub last_touch: HashMap<i64, NaiveDate>,
    pub sources: Vec<String>,
    pub products: Vec<(i64, ProductProfile)>,
    pub product_sales: HashMap<i64, ProductSales>,
    /// Live campaigns: id, start date, details.
    pub campaigns: Vec<(i64, NaiveDate, Campaign)>,
    pub campaign_results: HashMap<i64, CampaignResults>,
}

/// Stage labels as stored; anything else goes through the full parser.
fn stage(s: &str) -> Stage {
    match s {
        "prospect" => Stage::Prospect,
        "qualified" => Stage::Qualified,
        "negotiation" => Stage::Negotiation,
        "closing" => Stage::Closing,
        "won" => Stage::Won,
        "lost" => Stage::Lost,
        other => other.parse().unwrap_or_default(),
    }
}

pub(super) fn sentiment(s: Option<&str>) -> Option<Sentiment> {
    match s? {
        "positive" => Some(Sentiment::Positive),
        "neutral" => Some(Sentiment::Neutral),
        "negative" => Some(Sentiment::Negative),
        other => other.parse().ok(),
    }
}

/// Contiguous ranges of `keys` (sorted) matching each of `ids` (sorted).
pub(super) fn ranges(ids: impl Iterator<Item = i64>, keys: &[i64]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for id in ids {
        while at < keys.len() && keys[at] < id {
            at += 1;
        }
        let start = at;
        while at < keys.len() && keys[at] == id {
            at += 1;
        }
        out.push(start..at);
    }
    out
}

pub(super) fn str_at<'r>(r: &'r Row, i: usize) -> rusqlite::Result<&'r str> {
    Ok(r.get_ref(i)?.as_str()?)
}

pub(super) fn opt_str_at<'r>(r: &'r Row, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(r.get_ref(i)?.as_str_or_null()?)
}

/// `YYYY-MM-DD` at the start of `s`, parsed by hand (chrono's parser is
/// most of the cost of reading a million rows).
fn ymd(s: &[u8]) -> Option<NaiveDate> {
    if s.len() < 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        s[r].iter().try_fold(0u32, |a, &c| {
            c.is_ascii_digit().then(|| a * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// A date column (`YYYY-MM-DD`), NULL as `None`.
pub(super) fn date_at(r: &Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    if let rusqlite::types::ValueRef::Text(t) = r.get_ref(i)? {
        if t.len() == 10 {
            if let Some(d) = ymd(t) {
                return Ok(Some(d));
            }
        }
    }
    r.get(i)
}

/// The UTC day of a timestamp column. Timestamps are written in UTC, so
/// the day is their first ten characters; anything else is parsed fully.
pub(super) fn day_of_timestamp(r: &Row, i: usize) -> rusqlite::Result<NaiveDate> {
    if let rusqlite::types::ValueRef::Text(t) = r.get_ref(i)? {
        let utc = t.ends_with(b"Z") || t.ends_with(b"+00:00");
        if utc && t.len() > 10 && matches!(t[10], b'T' | b' ') {
            if let Some(d) = ymd(t) {
                return Ok(d);
            }
        }
    }
    Ok(r.get::<_, DateTime<Utc>>(i)?.date_naive())
}

type Keyed = Vec<(i64, NaiveDate, i64, TouchRow)>;

/// Each distinct text once: a million customers share a few hundred
/// countries, cities, industries and sources.
#[derive(Default)]
pub(super) struct Interner(super::fast_hash::FastMap<Arc<str>>);

impl Interner {
    fn text(&mut self, r: &Row, i: usize) -> rusqlite::Result<Arc<str>> {
        let s = opt_str_at(r, i)?.unwrap_or("");
        if let Some(t) = self.0.get(s) {
            return Ok(t.clone());
        }
        let t: Arc<str> = Arc::from(s);
        self.0.insert(s.to_string(), t.clone());
        Ok(t)
    }
}

/// Room for every row of `table` (one of the book's own): growing a
/// vector of a million rows by doubling copies it and faults in fresh
/// pages several times over.
fn rows_in(conn: &Conn, table: &str) -> Result<usize> {
    let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
    Ok(n.max(0) as usize)
}

/// The columns [`customer_profile`] decodes, in order.
pub(super) const PROFILE_COLUMNS: &str =
    "kind, country, province, city, industry, source, size, created_at";

/// A customer's profile, selected with [`PROFILE_COLUMNS`] from column `at`
/// on, as every sweep reads it.
pub(super) fn customer_profile(
    r: &Row,
    at: usize,
    texts: &mut Interner,
) -> rusqlite::Result<CustomerProfile> {
    Ok(CustomerProfile {
        kind: str_at(r, at)?.parse().unwrap_or_default(),
        country: texts.text(r, at + 1)?,
        province: texts.text(r, at + 2)?,
        city: texts.text(r, at + 3)?,
        industry: texts.text(r, at + 4)?,
        source: texts.text(r, at + 5)?,
        size: r.get(at + 6)?,
        since: day_of_timestamp(r, at + 7)?,
    })
}

fn read_customers(conn: &Conn) -> Result<Vec<(i64, CustomerProfile)>> {
    let mut customers: Vec<(i64, CustomerProfile)> =
        Vec::with_capacity(rows_in(conn, "customers")?);
    let mut texts = Interner::default();
    let mut stmt = conn.prepare(&format!(
        "SELECT id, {PROFILE_COLUMNS} FROM customers WHERE deleted_at IS NULL ORDER BY id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()?.as_ref() {
        customers.push((r.get(0)?, customer_profile(r, 1, &mut texts)?));
    }
    Ok(customers)
}

/// The columns [`deal_line`] decodes, in order.
pub(super) const DEAL_COLUMNS: &str =
    "id, customer_id, campaign_id, stage, closed_on, amount, source,
     json_array_length(competitors), probability, expected_close, next_step_date,
     coalesce(moved_at, updated_at), created_at, currency";

/// Deal sources, each distinct text once (`DealLine::source` indexes them).
#[derive(Default)]
pub(super) struct Sources {
    pub names: Vec<String>,
    ids: super::fast_hash::FastMap<u32>,
}

impl Sources {
    fn id(&mut self, src: &str) -> u32 {
        if let Some(i) = self.ids.get(src) {
            return *i;
        }
        self.names.push(src.to_string());
        let i = (self.names.len() - 1) as u32;
        self.ids.insert(src.to_string(), i);
        i
    }
}

/// A deal row selected with [`DEAL_COLUMNS`], as every sweep reads it.
pub(super) fn deal_line(
    r: &Row,
    rates: &crate::domain::Rates,
    sources: &mut Sources,
) -> rusqlite::Result<DealLine> {
    Ok(DealLine {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        campaign_id: r.get(2)?,
        row: DealRow {
            stage: stage(str_at(r, 3)?),
            closed_on: date_at(r, 4)?,
            // In the book's currency, as in the cascade.
            amount: rates.to_book(str_at(r, 13)?, r.get(5)?).unwrap_or(0),
            opened: Some(day_of_timestamp(r, 12)?),
        },
        source: sources.id(str_at(r, 6)?),
        competitors: r.get::<_, Option<i64>>(7)?.unwrap_or(0).max(0) as usize,
        probability: r.get(8)?,
        expected_close: date_at(r, 9)?,
        next_step_date: date_at(r, 10)?,
        updated: day_of_timestamp(r, 11)?,
    })
}

pub(super) fn read_deals(
    conn: &Conn,
    rates: &crate::domain::Rates,
) -> Result<(Vec<String>, Vec<DealLine>)> {
    let mut sources = Sources::default();
    let mut stmt = conn.prepare(&format!(
        "SELECT {DEAL_COLUMNS} FROM opportunities WHERE deleted_at IS NULL"
    ))?;
    let mut rows = stmt.query([])?;
    let mut deals = Vec::with_capacity(rows_in(conn, "opportunities")?);
    while let Some(r) = rows.next()?.as_ref() {
        deals.push(deal_line(r, rates, &mut sources)?);
    }
    drop(rows);
    Ok((sources.names, deals))
}

/// Live deals' purchase figures, `(customer id, row)` in customer order:
/// what the customers' cut points are taken over. `won_only`: the won
/// deals alone, from the covering index `opportunities_purchases` (schema
/// step 11) without reading the deals table; else every live deal, from
/// the table. The rows carry no open day (the purchase facts do not read
/// it). SQLite only (the light sweep's).
pub(super) fn read_purchases(
    conn: &Conn,
    rates: &crate::domain::Rates,
    won_only: bool,
) -> Result<Vec<(i64, DealRow)>> {
    let mut stmt = conn.prepare(if won_only {
        "SELECT customer_id, 'won', closed_on, amount, currency FROM opportunities
         INDEXED BY opportunities_purchases WHERE stage = 'won' AND deleted_at IS NULL"
    } else {
        "SELECT customer_id, stage, closed_on, amount, currency FROM opportunities
         WHERE deleted_at IS NULL"
    })?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()?.as_ref() {
        out.push((
            r.get(0)?,
            DealRow {
                stage: stage(str_at(r, 1)?),
                closed_on: date_at(r, 2)?,
                amount: rates.to_book(str_at(r, 4)?, r.get(3)?).unwrap_or(0),
                opened: None,
            },
        ));
    }
    drop(rows);
    out.sort_unstable_by_key(|p| p.0);
    Ok(out)
}

/// The columns [`touch`] decodes, in order.
pub(super) const TOUCH_COLUMNS: &str =
    "date, id, sentiment, CASE WHEN follow_up_done_on IS NULL THEN next_follow_up END,
     kind != 'note'";

/// A touch selected with [`TOUCH_COLUMNS`] from column `at` on: its day,
/// id and row, as every sweep reads it; `None` without a day.
pub(super) fn touch(r: &Row, at: usize) -> rusqlite::Result<Option<(NaiveDate, i64, TouchRow)>> {
    let Some(date) = date_at(r, at)? else {
        return Ok(None);
    };
    Ok(Some((
        date,
        r.get(at + 1)?,
        TouchRow {
            date,
            sentiment: sentiment(opt_str_at(r, at + 2)?),
            open_follow_up: date_at(r, at + 3)?,
            contact: r.get(at + 4)?,
        },
    )))
}

fn read_touches(conn: &Conn) -> Result<(Keyed, HashMap<i64, NaiveDate>)> {
    let mut stmt = conn.prepare(&format!(
        "SELECT customer_id, opportunity_id, {TOUCH_COLUMNS}
         FROM activities
         WHERE deleted_at IS NULL AND kind != 'campaign' AND customer_id IS NOT NULL"
    ))?;
    let mut rows = stmt.query([])?;
    let mut keyed: Vec<(i64, NaiveDate, i64, TouchRow)> =
        Vec::with_capacity(rows_in(conn, "activities")?);
    let mut last_touch: HashMap<i64, NaiveDate> = HashMap::new();
    while let Some(r) = rows.next()?.as_ref() {
        let Some((date, id, row)) = touch(r, 2)? else {
            continue;
        };
        if let Some(o) = r.get::<_, Option<i64>>(1)? {
            let e = last_touch.entry(o).or_insert(date);
            *e = (*e).max(date);
        }
        keyed.push((r.get(0)?, date, id, row));
    }
    drop(rows);
    Ok((keyed, last_touch))
}

/// Runs `f` on a fresh reader of `path` in another thread while `main`
/// runs here; without a path (a book in memory), both run here on `conn`.
pub(crate) fn in_parallel<A: Send, B: Send>(
    conn: &Conn,
    path: Option<&std::path::Path>,
    f: impl FnOnce(&Conn) -> Result<A> + Send,
    main: impl FnOnce(&Conn) -> Result<B>,
) -> Result<(A, B)> {
    match path {
        None => {
            let b = main(conn)?;
            Ok((f(conn)?, b))
        }
        Some(p) => std::thread::scope(|sc| {
            let other = sc.spawn(move || {
                let reader = super::open_reader(p)?;
                // Read, not mapped: a mapped book counts in full as memory.
                reader.pragma_update(None, "mmap_size", 0)?;
                f(&reader)
            });
            let b = main(conn);
            let a = other
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            Ok((a?, b?))
        }),
    }
}

/// What a campaign's deals brought, from `(campaign id, stage, amount)`:
/// every live deal counts, as in the cascade (a deal of a customer in the
/// trash too).
pub(super) fn campaign_results(
    deals: impl IntoIterator<Item = (i64, Stage, i64)>,
) -> HashMap<i64, CampaignResults> {
    let mut campaign_results: HashMap<i64, CampaignResults> = HashMap::new();
    for (c, stage, amount) in deals {
        let e = campaign_results.entry(c).or_default();
        e.sourced_deals += 1;
        if stage == Stage::Won {
            e.won_revenue += amount;
        }
    }
    campaign_results
}

/// [`campaign_results`] read from the campaigns' own index.
pub(super) fn read_campaign_results(
    conn: &Conn,
    rates: &crate::domain::Rates,
) -> Result<HashMap<i64, CampaignResults>> {
    let mut stmt = conn.prepare(
        "SELECT campaign_id, stage, amount, currency FROM opportunities
         WHERE campaign_id IS NOT NULL AND deleted_at IS NULL",
    )?;
    let mut rows = stmt.query([])?;
    let mut deals = Vec::new();
    while let Some(r) = rows.next()?.as_ref() {
        deals.push((
            r.get(0)?,
            stage(str_at(r, 1)?),
            rates.to_book(str_at(r, 3)?, r.get(2)?).unwrap_or(0),
        ));
    }
    Ok(campaign_results(deals))
}

pub(super) type Catalog = (
    Vec<(i64, ProductProfile)>,
    HashMap<i64, ProductSales>,
    Vec<(i64, NaiveDate, Campaign)>,
);

/// Live products with their sales of the last 90 days, and live campaigns
/// (found by their own index, not by reading every touch).
pub(super) fn read_catalog(conn: &Conn, today: NaiveDate) -> Result<Catalog> {
    let mut stmt = conn.prepare(
        "SELECT id, category, brand, audience, price, active FROM products
             WHERE deleted_at IS NULL ORDER BY id",
    )?;
    let products = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                ProductProfile {
                    category: r.get(1)?,
                    brand: r.get(2)?,
                    audience: super::rows::from_json_list(&r.get::<_, String>(3)?),
                    price: r.get(4)?,
                    active: r.get(5)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT li.product_id, sum(li.quantity), sum(li.quantity * li.unit_price)
             FROM opportunities o INDEXED BY opportunities_purchases
             JOIN line_items li ON li.opportunity_id = o.id
             WHERE o.stage = 'won' AND o.deleted_at IS NULL AND o.closed_on > ?1
             GROUP BY li.product_id",
    )?;
    let product_sales = stmt
        .query_map([super::retag::quarter_start(today)], |r| {
            Ok((
                r.get(0)?,
                ProductSales {
                    units_90d: r.get(1)?,
                    revenue_90d: r.get(2)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;

    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM activities WHERE kind = 'campaign' AND deleted_at IS NULL ORDER BY id",
        super::activities::COLUMNS
    ))?;
    let campaigns = stmt
        .query_map([], super::activities::from_row)?
        .filter_map(|a| match a {
            Ok(a) => a.campaign.map(|c| Ok((a.meta.id, a.date, c))),
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<_>>()?;

    Ok((products, product_sales, campaigns))
}

impl Book {
    /// Reads the book. With `path`, deals and touches are read on a second
    /// connection while this one reads customers: a sweep holds the write
    /// lock, so both see the same book.
    pub(crate) fn load(
        conn: &Conn,
        path: Option<&std::path::Path>,
        today: NaiveDate,
        rates: &crate::domain::Rates,
    ) -> Result<Book> {
        let (((sources, mut deals), (mut keyed, last_touch)), customers) = in_parallel(
            conn,
            path,
            |c| Ok((read_deals(c, rates)?, read_touches(c)?)),
            read_customers,
        )?;
        let campaign_results = campaign_results(
            deals
                .iter()
                .filter_map(|d| Some((d.campaign_id?, d.row.stage, d.row.amount))),
        );
        // Deals of a customer in the trash keep their tags, as in the cascade.
        deals.retain(|d| {
            customers
                .binary_search_by_key(&d.customer_id, |c| c.0)
                .is_ok()
        });
        deals.sort_unstable_by_key(|d| (d.customer_id, d.id));
        let deal_keys: Vec<i64> = deals.iter().map(|d| d.customer_id).collect();
        let deal_ranges = ranges(customers.iter().map(|c| c.0), &deal_keys);
        drop(deal_keys);
        let deal_rows = deals.iter().map(|d| d.row).collect();

        keyed.sort_unstable_by_key(|t| (t.0, t.1, t.2));
        let touch_keys: Vec<i64> = keyed.iter().map(|t| t.0).collect();
        let touch_ranges = ranges(customers.iter().map(|c| c.0), &touch_keys);
        drop(touch_keys);
        let touches: Vec<TouchRow> = keyed.into_iter().map(|t| t.3).collect();

        let (products, product_sales, campaigns) = read_catalog(conn, today)?;
        Ok(Book {
            customers,
            deals,
            deal_rows,
            deal_ranges,
            touches,
            touch_ranges,
            last_touch,
            sources,
            products,
            product_sales,
            campaigns,
            campaign_results,
        })
    }

    /// The deal rows of the customer at index `i`.
    pub(crate) fn customer_deals(&self, i: usize) -> &[DealRow] {
        &self.deal_rows[self.deal_ranges[i].clone()]
    }

    pub(crate) fn customer_touches(&self, i: usize) -> &[TouchRow] {
        &self.touches[self.touch_ranges[i].clone()]
    }

    /// A deal's profile; its industry is its customer's.
    pub(crate) fn opportunity(&self, d: &DealLine) -> OpportunityProfile {
        let industry = self
            .customers
            .binary_search_by_key(&d.customer_id, |c| c.0)
            .map(|i| self.customers[i].1.industry.to_string())
            .unwrap_or_default();
        d.profile(&self.sources, industry, self.last_touch.get(&d.id).copied())
    }
}
