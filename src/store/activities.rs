use super::rows;
use super::write::{Retag, StoredRecord, Written};
use super::{Page, Result, Store, StoreError};
use crate::domain::{Activity, ActivityKind, Campaign, Kind, Meta, Money, ValidationErrors};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{named_params, Connection, OptionalExtension, Row};

pub(crate) const COLUMNS: &str = "id, uuid, created_at, updated_at, version, deleted_at, kind, customer_id, opportunity_id, \
    date, summary, sentiment, next_follow_up, channel, end_date, region, goal, participants, cost, leads";

pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Activity> {
    let kind: ActivityKind = row.get::<_, String>("kind")?.parse().unwrap_or_default();
    let sentiment: Option<String> = row.get("sentiment")?;
    let campaign = if kind == ActivityKind::Campaign {
        let d = Campaign::default();
        let parse = |col: &str| -> rusqlite::Result<Option<String>> { row.get(col) };
        Some(Campaign {
            channel: parse("channel")?
                .and_then(|s| s.parse().ok())
                .unwrap_or(d.channel),
            end_date: row.get("end_date")?,
            region: parse("region")?
                .and_then(|s| s.parse().ok())
                .unwrap_or(d.region),
            goal: parse("goal")?
                .and_then(|s| s.parse().ok())
                .unwrap_or(d.goal),
            participants: row.get::<_, Option<u32>>("participants")?.unwrap_or(0),
            cost: Money(row.get::<_, Option<i64>>("cost")?.unwrap_or(0)),
            leads: row.get::<_, Option<u32>>("leads")?.unwrap_or(0),
        })
    } else {
        None
    };
    Ok(Activity {
        meta: rows::meta(row)?,
        kind,
        customer_id: row.get("customer_id")?,
        opportunity_id: row.get("opportunity_id")?,
        date: row.get("date")?,
        summary: row.get("summary")?,
        sentiment: sentiment.and_then(|s| s.parse().ok()),
        next_follow_up: row.get("next_follow_up")?,
        campaign,
    })
}

fn check_links(conn: &Connection, a: &Activity) -> Result<()> {
    if let Some(id) = a.customer_id {
        rows::ensure_link(conn, "customer", Kind::Customer, id)?;
    }
    if let Some(id) = a.opportunity_id {
        rows::ensure_link(conn, "opportunity", Kind::Opportunity, id)?;
        let owner: i64 = conn.query_row(
            "SELECT customer_id FROM opportunities WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if a.customer_id.is_some_and(|c| c != owner) {
            return Err(StoreError::invalid(
                "opportunity",
                format!(
                    "opportunity {id} belongs to customer {owner}, not to this touch's customer"
                ),
            ));
        }
    }
    Ok(())
}

fn write_fields(
    conn: &Connection,
    sql: &str,
    a: &Activity,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let c = a.campaign.as_ref();
    rows::execute_named(
        conn,
        sql,
        named_params! {
            ":id": a.meta.id,
            ":now": now,
            ":kind": a.kind.as_str(),
            ":customer_id": a.customer_id,
            ":opportunity_id": a.opportunity_id,
            ":date": a.date,
            ":summary": a.summary,
            ":sentiment": a.sentiment.map(|s| s.as_str()),
            ":next_follow_up": a.next_follow_up,
            ":channel": c.map(|c| c.channel.as_str()),
            ":end_date": c.and_then(|c| c.end_date),
            ":region": c.map(|c| c.region.as_str()),
            ":goal": c.map(|c| c.goal.as_str()),
            ":participants": c.map(|c| c.participants),
            ":cost": c.map(|c| c.cost.0),
            ":leads": c.map(|c| c.leads),
        },
    )?;
    Ok(())
}

const INSERT: &str = "INSERT INTO activities (id, created_at, updated_at, version, kind, customer_id, \
    opportunity_id, date, summary, sentiment, next_follow_up, channel, end_date, region, goal, \
    participants, cost, leads) VALUES (NULLIF(:id, 0), :now, :now, 1, :kind, :customer_id, :opportunity_id, :date, \
    :summary, :sentiment, :next_follow_up, :channel, :end_date, :region, :goal, :participants, :cost, :leads)";

const UPDATE: &str = "UPDATE activities SET kind = :kind, customer_id = :customer_id, \
    opportunity_id = :opportunity_id, date = :date, summary = :summary, sentiment = :sentiment, \
    next_follow_up = :next_follow_up, channel = :channel, end_date = :end_date, region = :region, \
    goal = :goal, participants = :participants, cost = :cost, leads = :leads, updated_at = :now \
    WHERE id = :id";

fn tidy(a: &mut Activity) {
    a.summary = a.summary.trim().to_string();
    if a.kind == ActivityKind::Campaign && a.campaign.is_none() {
        a.campaign = Some(Campaign::default());
    }
}

impl StoredRecord for Activity {
    const KIND: Kind = Kind::Activity;

    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn tidy(&mut self, _today: NaiveDate) {
        tidy(self);
    }

    fn validate(&self) -> std::result::Result<(), ValidationErrors> {
        Activity::validate(self)
    }

    fn check(&self, conn: &Connection) -> Result<()> {
        check_links(conn, self)
    }

    fn insert(&self, conn: &Connection, now: DateTime<Utc>) -> Result<i64> {
        write_fields(conn, INSERT, self, now)?;
        Ok(conn.last_insert_rowid())
    }

    fn update(&mut self, conn: &Connection, now: DateTime<Utc>, _: NaiveDate) -> Result<Retag> {
        write_fields(conn, UPDATE, self, now)?;
        Ok(Retag::Cascade)
    }

    fn read(conn: &Connection, id: i64) -> Result<Self> {
        read(conn, id)
    }
}

fn read(conn: &Connection, id: i64) -> Result<Activity> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM activities WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        kind: Kind::Activity,
        id,
    })
}

impl Store {
    pub fn add_activity(&mut self, activity: &Activity) -> Result<Written<Activity>> {
        self.save_new(activity)
    }

    pub fn update_activity(&mut self, activity: &Activity) -> Result<Written<Activity>> {
        self.save_existing(activity)
    }

    pub fn activity(&self, id: i64) -> Result<Activity> {
        read(&self.conn, id)
    }

    pub fn activities(&self, page: Page) -> Result<Vec<Activity>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM activities WHERE id > ?1 AND {} ORDER BY id LIMIT ?2",
            page.visibility.sql()
        ))?;
        let rows = stmt.query_map(rusqlite::params![page.after, page.limit as i64], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A customer's live activities, newest first (the timeline).
    pub fn activities_of_customer(&self, customer_id: i64) -> Result<Vec<Activity>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM activities WHERE customer_id = ?1 AND deleted_at IS NULL ORDER BY date DESC, id DESC"
        ))?;
        let rows = stmt.query_map([customer_id], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
