use super::engine::conn::{Conn, Row};
use super::rows::{self, from_json_list, to_json_list};
use super::write::{Retag, StoredRecord, Written};
use super::{Page, Result, Store, StoreError};
use crate::domain::{ActivityKind, Kind, LineItem, Meta, Money, Opportunity, ValidationErrors};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{named_params, params, OptionalExtension};

pub(crate) const COLUMNS: &str =
    "id, uuid, created_at, updated_at, version, deleted_at, customer_id, title, amount, \
    currency, stage, expected_close, source, campaign_id, competitors, probability, next_step, \
    next_step_date, closed_on, close_reason";

pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Opportunity> {
    let stage: String = row.get("stage")?;
    Ok(Opportunity {
        meta: rows::meta(row)?,
        customer_id: row.get("customer_id")?,
        title: row.get("title")?,
        amount: Money(row.get("amount")?),
        currency: row.get("currency")?,
        stage: stage.parse().unwrap_or_default(),
        expected_close: row.get("expected_close")?,
        source: row.get("source")?,
        campaign_id: row.get("campaign_id")?,
        competitors: from_json_list(&row.get::<_, String>("competitors")?),
        probability: row.get("probability")?,
        next_step: row.get("next_step")?,
        next_step_date: row.get("next_step_date")?,
        closed_on: row.get("closed_on")?,
        close_reason: row.get("close_reason")?,
        items: Vec::new(),
    })
}

/// Loads the line items of one opportunity.
pub(crate) fn items(conn: &Conn, opportunity_id: i64) -> rusqlite::Result<Vec<LineItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT product_id, quantity, unit_price FROM line_items WHERE opportunity_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([opportunity_id], |r| {
        Ok(LineItem {
            product_id: r.get(0)?,
            quantity: r.get(1)?,
            unit_price: Money(r.get(2)?),
        })
    })?;
    rows.collect()
}

fn tidy(o: &mut Opportunity) {
    for s in [
        &mut o.title,
        &mut o.currency,
        &mut o.source,
        &mut o.next_step,
    ] {
        *s = s.trim().to_string();
    }
    o.competitors
        .iter_mut()
        .for_each(|x| *x = x.trim().to_string());
    o.competitors.retain(|x| !x.is_empty());
    // A deal with line items is worth what its lines add up to.
    if !o.items.is_empty() {
        o.amount = o.items_total();
    }
}

/// Checks the links an opportunity makes: customer, campaign, products.
fn check_links(conn: &Conn, o: &Opportunity) -> Result<()> {
    rows::ensure_link(conn, "customer", Kind::Customer, o.customer_id)?;
    if let Some(cid) = o.campaign_id {
        rows::ensure_link(conn, "campaign", Kind::Activity, cid)?;
        let kind: String =
            conn.query_row("SELECT kind FROM activities WHERE id = ?1", [cid], |r| {
                r.get(0)
            })?;
        if kind != ActivityKind::Campaign.as_str() {
            return Err(StoreError::invalid(
                "campaign",
                crate::tr!("err-not-a-campaign", id = cid, kind = kind.as_str()),
            ));
        }
    }
    for (i, item) in o.items.iter().enumerate() {
        rows::ensure_link(conn, "items", Kind::Product, item.product_id).map_err(|e| match e {
            StoreError::Invalid(v) => StoreError::invalid(
                "items",
                format!(
                    "line {}: {}",
                    i + 1,
                    v.0.first().map(|f| f.message.as_str()).unwrap_or("")
                ),
            ),
            other => other,
        })?;
    }
    Ok(())
}

/// Sets or clears the close date as the deal closes or reopens.
fn stamp_close(o: &mut Opportunity, today: chrono::NaiveDate) {
    if o.stage.is_closed() {
        if o.closed_on.is_none() {
            o.closed_on = Some(today);
        }
    } else {
        o.closed_on = None;
    }
}

fn write_fields(
    conn: &Conn,
    sql: &str,
    o: &Opportunity,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    rows::execute_named(
        conn,
        sql,
        named_params! {
            ":id": o.meta.id,
            ":now": now,
            ":customer_id": o.customer_id,
            ":title": o.title,
            ":amount": o.amount.0,
            ":currency": o.currency,
            ":stage": o.stage.as_str(),
            ":expected_close": o.expected_close,
            ":source": o.source,
            ":campaign_id": o.campaign_id,
            ":competitors": to_json_list(&o.competitors),
            ":probability": o.probability,
            ":next_step": o.next_step,
            ":next_step_date": o.next_step_date,
            ":closed_on": o.closed_on,
            ":close_reason": o.close_reason,
        },
    )?;
    Ok(())
}

fn write_items(conn: &Conn, o: &Opportunity) -> Result<()> {
    conn.execute(
        "DELETE FROM line_items WHERE opportunity_id = ?1",
        [o.meta.id],
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO line_items (opportunity_id, position, product_id, quantity, unit_price) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, item) in o.items.iter().enumerate() {
        stmt.execute(params![
            o.meta.id,
            i as i64,
            item.product_id,
            item.quantity,
            item.unit_price.0
        ])?;
    }
    Ok(())
}

const INSERT: &str = "INSERT INTO opportunities (id, created_at, updated_at, version, customer_id, title, amount, \
    currency, stage, expected_close, source, campaign_id, competitors, probability, next_step, \
    next_step_date, closed_on, close_reason, moved_at) VALUES (NULLIF(:id, 0), :now, :now, 1, :customer_id, :title, :amount, \
    :currency, :stage, :expected_close, :source, :campaign_id, :competitors, :probability, :next_step, \
    :next_step_date, :closed_on, :close_reason, :now)";

// Only a stage or close-date change moves a deal (staleness restarts);
// fixing a typo in its title does not.
const UPDATE: &str =
    "UPDATE opportunities SET customer_id = :customer_id, title = :title, amount = :amount, \
    currency = :currency, stage = :stage, expected_close = :expected_close, source = :source, \
    campaign_id = :campaign_id, competitors = :competitors, probability = :probability, \
    next_step = :next_step, next_step_date = :next_step_date, closed_on = :closed_on, \
    close_reason = :close_reason, updated_at = :now, \
    moved_at = CASE WHEN stage IS DISTINCT FROM :stage OR expected_close IS DISTINCT FROM :expected_close THEN :now \
                    ELSE coalesce(moved_at, updated_at) END \
    WHERE id = :id";

impl StoredRecord for Opportunity {
    const KIND: Kind = Kind::Opportunity;

    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn tidy(&mut self, today: NaiveDate) {
        tidy(self);
        // A stored deal's close date is settled against its stored stage
        // in `update`.
        if self.meta.id == 0 {
            stamp_close(self, today);
        }
    }

    fn validate(&self) -> std::result::Result<(), ValidationErrors> {
        Opportunity::validate(self)
    }

    fn check(&self, conn: &Conn) -> Result<()> {
        check_links(conn, self)
    }

    fn insert(&self, conn: &Conn, now: DateTime<Utc>) -> Result<i64> {
        let mut o = self.clone();
        write_fields(conn, INSERT, &o, now)?;
        o.meta.id = conn.last_insert_rowid()?;
        write_items(conn, &o)?;
        Ok(o.meta.id)
    }

    fn update(&mut self, conn: &Conn, now: DateTime<Utc>, today: NaiveDate) -> Result<Retag> {
        let o = self;
        let previous = read(conn, o.meta.id)?;
        if let Some(problem) = previous.stage.transition_problem(o.stage) {
            return Err(StoreError::invalid("stage", problem));
        }
        if previous.stage != o.stage {
            // A deal that closes again gets the new close date.
            o.closed_on = o
                .closed_on
                .filter(|_| previous.stage.is_closed() == o.stage.is_closed());
        }
        stamp_close(o, today);
        write_fields(conn, UPDATE, o, now)?;
        write_items(conn, o)?;
        // Only what a purchase is made of feeds the customer, product and
        // campaign facts; an edit of anything else re-tags the deal alone.
        let purchase = |d: &Opportunity| {
            (
                d.customer_id,
                d.stage,
                d.closed_on,
                d.amount,
                d.campaign_id,
                d.items.clone(),
            )
        };
        Ok(if purchase(&previous) == purchase(o) {
            Retag::RecordOnly
        } else {
            Retag::Cascade
        })
    }

    fn read(conn: &Conn, id: i64) -> Result<Self> {
        read(conn, id)
    }
}

fn read(conn: &Conn, id: i64) -> Result<Opportunity> {
    let mut o = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM opportunities WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or(StoreError::NotFound {
            kind: Kind::Opportunity,
            id,
        })?;
    o.items = items(conn, id)?;
    Ok(o)
}

impl Store {
    pub fn add_opportunity(&mut self, opportunity: &Opportunity) -> Result<Written<Opportunity>> {
        self.save_new(opportunity)
    }

    pub fn update_opportunity(
        &mut self,
        opportunity: &Opportunity,
    ) -> Result<Written<Opportunity>> {
        self.save_existing(opportunity)
    }

    pub fn opportunity(&self, id: i64) -> Result<Opportunity> {
        read(&self.conn, id)
    }

    pub fn opportunities(&self, page: Page) -> Result<Vec<Opportunity>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM opportunities WHERE id > ?1 AND {} ORDER BY id LIMIT ?2",
            page.visibility.sql()
        ))?;
        let rows = stmt.query_map(params![page.after, page.limit as i64], from_row)?;
        let mut out: Vec<Opportunity> = rows.collect::<rusqlite::Result<_>>()?;
        for o in &mut out {
            o.items = items(&self.conn, o.meta.id)?;
        }
        Ok(out)
    }

    /// A customer's live opportunities, newest first.
    pub fn opportunities_of_customer(&self, customer_id: i64) -> Result<Vec<Opportunity>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM opportunities WHERE customer_id = ?1 AND deleted_at IS NULL ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([customer_id], from_row)?;
        let mut out: Vec<Opportunity> = rows.collect::<rusqlite::Result<_>>()?;
        for o in &mut out {
            o.items = items(&self.conn, o.meta.id)?;
        }
        Ok(out)
    }
}
