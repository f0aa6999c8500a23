//! The re-tag cascade: after a write, inside its transaction, the records
//! whose facts the write changed are classified again and their tags and
//! tag history written. One small query set per record.

use super::engine::conn::Conn;
use super::tags::{write_tags, TagChange};
use super::{Result, Store};
use crate::classify::compute::{
    self, CampaignResults, CustomerProfile, DealRow, OpportunityProfile, ProductProfile,
    ProductSales, TouchRow,
};
use crate::classify::{CutPoints, Facts, RuleError, RuleSet, Tag};
use crate::domain::{ActivityKind, Kind};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use std::collections::BTreeSet;

/// The rules in force and the book's cut points.
#[derive(Debug, Clone)]
pub(crate) struct Classifier {
    pub rules: RuleSet,
    pub cuts: CutPoints,
    /// Why the user's rule file was refused, if it was.
    pub problem: Option<RuleError>,
    /// The rules' digest for the sweep's stamp, worked out once: every
    /// write asks whether a sweep is due.
    digest: std::cell::OnceCell<u64>,
}

impl Classifier {
    fn new(rules: RuleSet, cuts: CutPoints, problem: Option<RuleError>) -> Classifier {
        Classifier {
            rules,
            cuts,
            problem,
            digest: std::cell::OnceCell::new(),
        }
    }

    /// The digest of the rules in force (see [`super::sweep::rules_digest`]).
    pub(crate) fn rules_digest(&self) -> u64 {
        *self
            .digest
            .get_or_init(|| super::sweep::rules_digest(&self.rules))
    }
}

/// Key of the cut points in `classify_state`.
const CUTS_KEY: &str = "cut_points";

pub(crate) fn load_cuts(conn: &Conn) -> Result<Option<CutPoints>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT value FROM classify_state WHERE key = ?1",
            [CUTS_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(json.map(|j| CutPoints::from_json(&j)))
}

pub(crate) fn save_cuts(conn: &Conn, cuts: &CutPoints) -> Result<()> {
    conn.execute(
        "INSERT INTO classify_state (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![CUTS_KEY, cuts.to_json()],
    )?;
    Ok(())
}

/// The classifier, loaded: the user's rules (or the built-in ones, with
/// the problem kept for showing) and the stored cut points.
fn load_classifier(conn: &Conn) -> Result<Classifier> {
    let (rules, problem) = RuleSet::load(crate::classify::config_dir().as_deref());
    set_phone_region(&rules);
    let cuts = load_cuts(conn)?.unwrap_or_default();
    Ok(Classifier::new(rules, cuts, problem))
}

/// The region phones without a country code are read in: the setting
/// `phone_region` (e.g. "GB"), else the first two-letter `home_country`.
fn set_phone_region(rules: &RuleSet) {
    use crate::classify::Setting;
    let candidates: Vec<String> =
        match (rules.setting("phone_region"), rules.setting("home_country")) {
            (Some(Setting::Text(code)), _) => vec![code.clone()],
            (_, Some(Setting::List(names))) => names.clone(),
            (_, Some(Setting::Text(name))) => vec![name.clone()],
            _ => Vec::new(),
        };
    for code in candidates.iter().filter(|c| c.trim().len() == 2) {
        if crate::domain::identity::set_default_phone_region(code) {
            return;
        }
    }
}

fn date_of(t: DateTime<Utc>) -> NaiveDate {
    t.date_naive()
}

fn customer_facts(
    conn: &Conn,
    id: i64,
    today: NaiveDate,
    rates: &crate::domain::Rates,
) -> Result<Option<Facts>> {
    let profile = conn
        .prepare_cached(
            "SELECT kind, country, province, city, industry, source, size, created_at
             FROM customers WHERE id = ?1 AND deleted_at IS NULL",
        )?
        .query_row([id], |r| {
            Ok(CustomerProfile {
                kind: r.get::<_, String>(0)?.parse().unwrap_or_default(),
                country: r.get::<_, String>(1)?.into(),
                province: r.get::<_, String>(2)?.into(),
                city: r.get::<_, String>(3)?.into(),
                industry: r.get::<_, String>(4)?.into(),
                source: r.get::<_, String>(5)?.into(),
                size: r.get(6)?,
                since: date_of(r.get(7)?),
            })
        })
        .optional()?;
    let Some(profile) = profile else {
        return Ok(None);
    };
    let deals: Vec<DealRow> = conn
        .prepare_cached(
            "SELECT stage, closed_on, amount, created_at, currency FROM opportunities
             WHERE customer_id = ?1 AND deleted_at IS NULL",
        )?
        .query_map([id], |r| {
            Ok(DealRow {
                stage: r.get::<_, String>(0)?.parse().unwrap_or_default(),
                closed_on: r.get(1)?,
                // In the book's currency; no rate: left out, never raw.
                amount: rates
                    .to_book(&r.get::<_, String>(4)?, r.get(2)?)
                    .unwrap_or(0),
                opened: Some(date_of(r.get(3)?)),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let touches: Vec<TouchRow> = conn
        .prepare_cached(
            "SELECT date, sentiment, CASE WHEN follow_up_done_on IS NULL THEN next_follow_up END,
                    kind != 'note'
             FROM activities
             WHERE customer_id = ?1 AND deleted_at IS NULL AND kind != 'campaign'
             ORDER BY date, id",
        )?
        .query_map([id], |r| {
            Ok(TouchRow {
                date: r.get(0)?,
                sentiment: r.get::<_, Option<String>>(1)?.and_then(|s| s.parse().ok()),
                open_follow_up: r.get(2)?,
                contact: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(compute::customer_facts(
        &profile, &deals, &touches, today,
    )))
}

fn opportunity_facts(conn: &Conn, id: i64, today: NaiveDate) -> Result<Option<Facts>> {
    let profile = conn
        .prepare_cached(
            "SELECT o.stage, o.amount, o.source, json_array_length(o.competitors), o.probability,
                    o.expected_close, o.next_step_date, coalesce(o.moved_at, o.updated_at), c.industry,
                    (SELECT max(a.date) FROM activities a
                      WHERE a.opportunity_id = o.id AND a.deleted_at IS NULL)
             FROM opportunities o JOIN customers c ON c.id = o.customer_id
             WHERE o.id = ?1 AND o.deleted_at IS NULL AND c.deleted_at IS NULL",
        )?
        .query_row([id], |r| {
            Ok(OpportunityProfile {
                stage: r.get::<_, String>(0)?.parse().unwrap_or_default(),
                amount: r.get(1)?,
                source: r.get(2)?,
                competitors: r.get::<_, Option<i64>>(3)?.unwrap_or(0).max(0) as usize,
                probability: r.get(4)?,
                expected_close: r.get(5)?,
                next_step_date: r.get(6)?,
                updated: date_of(r.get(7)?),
                industry: r.get(8)?,
                last_touch: r.get(9)?,
            })
        })
        .optional()?;
    Ok(profile.map(|p| compute::opportunity_facts(&p, today)))
}

/// The first day of the "last 90 days" window.
pub(crate) fn quarter_start(today: NaiveDate) -> NaiveDate {
    today - chrono::Days::new(90)
}

fn product_facts(conn: &Conn, id: i64, today: NaiveDate) -> Result<Option<Facts>> {
    let profile = conn
        .prepare_cached(
            "SELECT category, brand, audience, price, active FROM products
             WHERE id = ?1 AND deleted_at IS NULL",
        )?
        .query_row([id], |r| {
            Ok(ProductProfile {
                category: r.get(0)?,
                brand: r.get(1)?,
                audience: super::rows::from_json_list(&r.get::<_, String>(2)?),
                price: r.get(3)?,
                active: r.get(4)?,
            })
        })
        .optional()?;
    let Some(profile) = profile else {
        return Ok(None);
    };
    let sales = conn
        .prepare_cached(
            "SELECT coalesce(sum(li.quantity), 0), coalesce(sum(li.quantity * li.unit_price), 0)
             FROM line_items li JOIN opportunities o ON o.id = li.opportunity_id
             WHERE li.product_id = ?1 AND o.stage = 'won' AND o.deleted_at IS NULL
               AND o.closed_on > ?2",
        )?
        .query_row(params![id, quarter_start(today)], |r| {
            Ok(ProductSales {
                units_90d: r.get(0)?,
                revenue_90d: r.get(1)?,
            })
        })?;
    Ok(Some(compute::product_facts(&profile, sales)))
}

fn campaign_facts(conn: &Conn, id: i64) -> Result<Option<Facts>> {
    let activity = conn
        .prepare_cached(&format!(
            "SELECT {} FROM activities WHERE id = ?1 AND deleted_at IS NULL",
            super::activities::COLUMNS
        ))?
        .query_row([id], super::activities::from_row)
        .optional()?;
    let Some(a) = activity else {
        return Ok(None);
    };
    let Some(campaign) = a.campaign.filter(|_| a.kind == ActivityKind::Campaign) else {
        return Ok(None);
    };
    let results = conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(CASE WHEN stage = 'won' THEN amount END), 0)
             FROM opportunities WHERE campaign_id = ?1 AND deleted_at IS NULL",
        )?
        .query_row([id], |r| {
            Ok(CampaignResults {
                sourced_deals: r.get(0)?,
                won_revenue: r.get(1)?,
            })
        })?;
    Ok(Some(compute::campaign_facts(&campaign, a.date, results)))
}

/// Classifies one record again and writes its tags. A record that is gone
/// or in the trash (or a deal whose customer is) keeps the tags it had.
pub(crate) fn retag(
    conn: &Conn,
    cls: &Classifier,
    kind: Kind,
    id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<TagChange>> {
    match expected_tags(conn, cls, kind, id, today)? {
        Some(tags) => write_tags(conn, kind, id, &tags, now),
        None => Ok(Vec::new()),
    }
}

/// The tags the rules in force give a record on `today`, without writing;
/// `None` for a record that carries no tags (gone, or a touch). `dossier
/// doctor` compares them with the stored tags.
pub(crate) fn expected_tags(
    conn: &Conn,
    cls: &Classifier,
    kind: Kind,
    id: i64,
    today: NaiveDate,
) -> Result<Option<Vec<Tag>>> {
    let facts = match kind {
        Kind::Customer => customer_facts(conn, id, today, &cls.rules.rates())?.map(|mut f| {
            cls.cuts.add_rfm_scores(&mut f);
            f
        }),
        Kind::Opportunity => opportunity_facts(conn, id, today)?,
        Kind::Product => product_facts(conn, id, today)?,
        Kind::Activity => campaign_facts(conn, id)?,
    };
    Ok(facts.map(|facts| {
        debug_assert_eq!(facts.subject().kind(), kind);
        cls.rules.tags(&facts, &cls.cuts)
    }))
}

/// The records a write to `(kind, id)` can re-tag: the record, and for a
/// deal its customer, products and campaign; for a touch its customer and
/// deal; for a customer its deals (they carry the customer's industry).
/// Called before and after the write, so records a deal moved away from
/// are re-tagged too.
pub(crate) fn affected(conn: &Conn, kind: Kind, id: i64) -> Result<BTreeSet<(Kind, i64)>> {
    let mut out = BTreeSet::new();
    out.insert((kind, id));
    match kind {
        Kind::Customer => {
            let mut stmt = conn.prepare_cached(
                "SELECT id FROM opportunities WHERE customer_id = ?1 AND deleted_at IS NULL",
            )?;
            for o in stmt.query_map([id], |r| r.get(0))? {
                out.insert((Kind::Opportunity, o?));
            }
        }
        Kind::Opportunity => {
            let links: Option<(i64, Option<i64>)> = conn
                .prepare_cached("SELECT customer_id, campaign_id FROM opportunities WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((customer, campaign)) = links {
                out.insert((Kind::Customer, customer));
                if let Some(c) = campaign {
                    out.insert((Kind::Activity, c));
                }
            }
            let mut stmt =
                conn.prepare_cached("SELECT product_id FROM line_items WHERE opportunity_id = ?1")?;
            for p in stmt.query_map([id], |r| r.get(0))? {
                out.insert((Kind::Product, p?));
            }
        }
        Kind::Activity => {
            let links: Option<(Option<i64>, Option<i64>)> = conn
                .prepare_cached("SELECT customer_id, opportunity_id FROM activities WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((customer, opportunity)) = links {
                if let Some(c) = customer {
                    out.insert((Kind::Customer, c));
                }
                if let Some(o) = opportunity {
                    out.insert((Kind::Opportunity, o));
                }
            }
        }
        Kind::Product => {}
    }
    Ok(out)
}

/// Re-tags every record in `records`; returns all tag changes.
pub(crate) fn cascade(
    conn: &Conn,
    cls: &Classifier,
    records: &BTreeSet<(Kind, i64)>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<TagChange>> {
    let mut changes = Vec::new();
    for (kind, id) in records {
        changes.extend(retag(conn, cls, *kind, *id, today, now)?);
    }
    Ok(changes)
}

/// Books up to this many customers (or products) keep their cut points
/// current on every save that can move them (each reads the whole book);
/// bigger ones get them from the daily sweep.
pub(crate) const CURRENT_CUTS_MAX: i64 = 2_000;

/// Whether a write to `record` can move a cut point: a product (its price),
/// or a won or closed deal and its customer (revenue, orders, recency). A
/// customer without purchases, an open deal or a touch cannot, so importing
/// contacts does not recompute the book at every row.
fn can_move_cuts(conn: &Conn, record: (Kind, i64)) -> Result<bool> {
    let sql = match record.0 {
        Kind::Product => return Ok(true),
        Kind::Activity => return Ok(false),
        Kind::Opportunity => {
            "SELECT EXISTS (SELECT 1 FROM opportunities WHERE id = ?1
                              AND (stage = 'won' OR closed_on IS NOT NULL))"
        }
        Kind::Customer => {
            "SELECT EXISTS (SELECT 1 FROM opportunities WHERE customer_id = ?1 AND stage = 'won')"
        }
    };
    Ok(conn.query_row(sql, [record.1], |r| r.get(0))?)
}

fn small_book(conn: &Conn) -> Result<bool> {
    let biggest: i64 = conn.query_row(
        "SELECT max(coalesce((SELECT max(id) FROM customers), 0),
                    coalesce((SELECT max(id) FROM products), 0))",
        [],
        |r| r.get(0),
    )?;
    Ok(biggest <= CURRENT_CUTS_MAX)
}

/// Recomputes the cut points; when they moved, keeps the new ones (in
/// `classify_state`, in this transaction) and returns the kinds whose
/// records must be re-tagged.
fn refresh_cuts(conn: &Conn, cls: &mut Classifier, today: NaiveDate) -> Result<Vec<Kind>> {
    use crate::classify::Subject;
    let fresh = super::sweep::fresh_cut_points(conn, &cls.rules, today)?;
    let moved: Vec<Kind> = [Subject::Customer, Subject::Product, Subject::Opportunity]
        .into_iter()
        .filter(|s| fresh.differ_for(&cls.cuts, *s))
        .map(|s| s.kind())
        .collect();
    if !moved.is_empty() {
        save_cuts(conn, &fresh)?;
        cls.cuts = fresh;
    }
    Ok(moved)
}

/// The classifier of an open store, loaded on first use.
#[derive(Debug, Default)]
pub(crate) struct ClassifyState {
    classifier: std::cell::OnceCell<Classifier>,
}

impl ClassifyState {
    pub(crate) fn get(&self, conn: &Conn) -> Result<&Classifier> {
        if let Some(c) = self.classifier.get() {
            return Ok(c);
        }
        let loaded = load_classifier(conn)?;
        Ok(self.classifier.get_or_init(|| loaded))
    }

    fn with(classifier: Classifier) -> ClassifyState {
        ClassifyState {
            classifier: std::cell::OnceCell::from(classifier),
        }
    }

    /// Why the user's rule file was refused, if it was (known once loaded).
    pub(crate) fn problem(&self) -> Option<&RuleError> {
        self.classifier.get().and_then(|c| c.problem.as_ref())
    }

    /// Replaces the cut points (after a sweep computed them).
    pub(crate) fn set_cuts(&mut self, cuts: CutPoints) {
        if let Some(c) = self.classifier.get_mut() {
            c.cuts = cuts;
        }
    }

    /// Re-tags the records a write to `record` affects, inside the write's
    /// transaction `conn`. `before` holds what the record linked to before
    /// the write. Returns the tag changes, to be kept once the write commits.
    ///
    /// A write that can move the book's cut points (a deal's amount or stage,
    /// a product's price, a customer) recomputes them on a small book, and
    /// when they moved re-tags every record of that kind in this same
    /// transaction: the first 254k deal makes its customer `value: high`
    /// now, not after tomorrow's sweep. A big book marks the day's sweep
    /// stale instead, so the next one (the TUI starts it in the background;
    /// a command that shows tags runs it first) brings the tiers up to date.
    /// (The new cut points are kept in memory before the transaction
    /// commits; a failed commit leaves them until the next sweep or save.)
    pub(crate) fn after_write(
        &mut self,
        conn: &Conn,
        record: (Kind, i64),
        before: BTreeSet<(Kind, i64)>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<TagChange>> {
        self.get(conn)?;
        let moved = match self.classifier.get_mut() {
            Some(cls) if can_move_cuts(conn, record)? => {
                if small_book(conn)? {
                    refresh_cuts(conn, cls, today)?
                } else {
                    // Too big to read whole in a save: the next sweep
                    // (started at once by the TUI, in the background)
                    // recomputes them and re-tags who crosses one.
                    super::sweep::mark_cuts_stale(conn)?;
                    Vec::new()
                }
            }
            _ => Vec::new(),
        };
        let cls = self.get(conn)?;
        let mut records = before;
        records.extend(affected(conn, record.0, record.1)?);
        let mut changes = cascade(conn, cls, &records, today, now)?;
        for kind in moved {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id FROM {} WHERE deleted_at IS NULL",
                kind.table()
            ))?;
            let ids: Vec<i64> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                if !records.contains(&(kind, id)) {
                    changes.extend(retag(conn, cls, kind, id, today, now)?);
                }
            }
        }
        Ok(changes)
    }

    /// Re-tags the written record alone, for a write that changed nothing
    /// other records' facts read.
    pub(crate) fn after_write_of_record_only(
        &mut self,
        conn: &Conn,
        record: (Kind, i64),
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<TagChange>> {
        let cls = self.get(conn)?;
        cascade(conn, cls, &BTreeSet::from([record]), today, now)
    }
}

impl Store {
    /// The rules in force (loaded on first use).
    pub fn rules(&mut self) -> Result<&RuleSet> {
        Ok(&self.classify.get(&self.conn)?.rules)
    }

    /// The sweep's stamp for today and the rules in force.
    pub(crate) fn sweep_stamp(&mut self) -> Result<String> {
        let digest = self.classify.get(&self.conn)?.rules_digest();
        Ok(super::sweep::sweep_stamp(self.clock.today(), digest))
    }

    /// Replaces the rules in force (tests, `--rules FILE`).
    pub fn set_rules(&mut self, rules: RuleSet) -> Result<()> {
        let cuts = load_cuts(&self.conn)?.unwrap_or_default();
        self.classify = ClassifyState::with(Classifier::new(rules, cuts, None));
        Ok(())
    }

    /// Why the user's rule file was refused, if it was (the built-in rules
    /// are in force then).
    pub fn rules_problem(&self) -> Option<&RuleError> {
        self.classify.problem()
    }

    /// The book's cut points as last computed by a sweep.
    pub fn cut_points(&mut self) -> Result<&CutPoints> {
        Ok(&self.classify.get(&self.conn)?.cuts)
    }

    /// The facts a record's tags are computed from (for `why`). `None` for
    /// a record that is gone, in the trash, or a touch (touches carry no tags).
    pub fn facts(&mut self, kind: Kind, id: i64) -> Result<Option<Facts>> {
        let today = self.clock.today();
        let cls = self.classify.get(&self.conn)?;
        Ok(match kind {
            Kind::Customer => {
                customer_facts(&self.conn, id, today, &cls.rules.rates())?.map(|mut f| {
                    cls.cuts.add_rfm_scores(&mut f);
                    f
                })
            }
            Kind::Opportunity => opportunity_facts(&self.conn, id, today)?,
            Kind::Product => product_facts(&self.conn, id, today)?,
            Kind::Activity => campaign_facts(&self.conn, id)?,
        })
    }
}
