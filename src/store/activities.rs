use super::engine::conn::{Conn, Row};
use super::rows;
use super::write::{Retag, StoredRecord, Touched, Written};
use super::{Page, Result, Store, StoreError};
use crate::domain::{Activity, ActivityKind, Campaign, Kind, Meta, Money, ValidationErrors};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{named_params, OptionalExtension};

pub(crate) const COLUMNS: &str = "id, uuid, created_at, updated_at, version, deleted_at, kind, customer_id, opportunity_id, \
    date, summary, sentiment, next_follow_up, channel, end_date, region, goal, participants, cost, leads, \
    follow_up_done_on, follow_up_closed_by";

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
        follow_up_done: row.get("follow_up_done_on")?,
        follow_up_closed_by: row.get("follow_up_closed_by")?,
        campaign,
    })
}

fn check_links(conn: &Conn, a: &Activity) -> Result<()> {
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
    conn: &Conn,
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

// A new follow-up date on an edited touch is a new reminder: it opens again.
const UPDATE: &str = "UPDATE activities SET kind = :kind, customer_id = :customer_id, \
    opportunity_id = :opportunity_id, date = :date, summary = :summary, sentiment = :sentiment, \
    follow_up_done_on = CASE WHEN next_follow_up IS NOT DISTINCT FROM :next_follow_up THEN follow_up_done_on END, \
    follow_up_closed_by = CASE WHEN next_follow_up IS NOT DISTINCT FROM :next_follow_up THEN follow_up_closed_by END, \
    next_follow_up = :next_follow_up, channel = :channel, end_date = :end_date, region = :region, \
    goal = :goal, participants = :participants, cost = :cost, leads = :leads, updated_at = :now \
    WHERE id = :id";

/// A follow-up reminder closed by a later contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUpClosed {
    /// The touch that set the reminder.
    pub activity_id: i64,
    pub due: chrono::NaiveDate,
}

/// A real contact (`a`, just inserted as `id`) answers every open reminder
/// of its customer set on an earlier touch: the salesperson got back to
/// them. A note never does. Each closed touch gets a new version, so an
/// edit of it open in another window is told it changed.
fn close_answered_follow_ups(
    conn: &Conn,
    a: &Activity,
    id: i64,
    now: chrono::DateTime<chrono::Utc>,
    answers: bool,
) -> Result<Vec<FollowUpClosed>> {
    if !answers {
        return Ok(Vec::new());
    }
    if a.next_follow_up.is_some() && a.kind.is_touch() {
        // A touch logged after the fact (an import, a backdated entry) whose
        // reminder a contact on file already answered is born closed.
        conn.prepare_cached(
            "UPDATE activities SET (follow_up_done_on, follow_up_closed_by) = (
                 SELECT b.date, b.id FROM activities b
                 WHERE b.customer_id = activities.customer_id AND b.deleted_at IS NULL
                   AND b.kind IN ('call', 'visit', 'meeting', 'email') AND b.date > activities.date
                 ORDER BY b.date, b.id LIMIT 1)
             WHERE id = ?1",
        )?
        .execute([id])?;
    }
    let Some(customer) = a.customer_id.filter(|_| a.kind.is_contact()) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "UPDATE activities SET follow_up_done_on = :date, follow_up_closed_by = :id,
                version = version + 1, updated_at = :now
         WHERE customer_id = :customer AND next_follow_up IS NOT NULL
           AND follow_up_done_on IS NULL AND deleted_at IS NULL AND kind != 'campaign'
           AND (date < :date OR (date = :date AND id < :id))
         RETURNING id, next_follow_up",
    )?;
    let rows = stmt.query_map(
        named_params! {":date": a.date, ":id": id, ":now": now, ":customer": customer},
        |r| {
            Ok(FollowUpClosed {
                activity_id: r.get(0)?,
                due: r.get(1)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn tidy(a: &mut Activity) {
    a.summary = a.summary.trim().to_string();
    if a.kind == ActivityKind::Campaign && a.campaign.is_none() {
        a.campaign = Some(Campaign::default());
    }
}

super::write::plain_stored_record!(Activity, "activities", check: check_links);

impl Store {
    /// Saves a new activity. A real contact (call, visit, meeting, email)
    /// answers its customer's earlier open follow-up reminders in the same
    /// transaction; [`Store::follow_ups_closed_by`] names them.
    pub fn add_activity(&mut self, activity: &Activity) -> Result<Written<Activity>> {
        let mut a = activity.clone();
        StoredRecord::tidy(&mut a, self.clock.today());
        a.validate()?;
        // Read before the transaction (the rules load on first use).
        let answers = self.contact_closes_follow_ups()?;
        let written = self.transact(|tx, now, _| {
            a.check(tx)?;
            let id = a.insert(tx, now)?;
            close_answered_follow_ups(tx, &a, id, now, answers)?;
            Ok((
                id,
                Touched::cascade((Kind::Activity, id), Default::default()),
            ))
        })?;
        let record = self.activity(written.record)?;
        Ok(written.map(|_| record))
    }

    /// The follow-up reminders that touch `id` answered when it was logged.
    pub fn follow_ups_closed_by(&self, id: i64) -> Result<Vec<FollowUpClosed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, next_follow_up FROM activities
             WHERE follow_up_closed_by = ?1 AND next_follow_up IS NOT NULL AND id != ?1
             ORDER BY next_follow_up, id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(FollowUpClosed {
                activity_id: r.get(0)?,
                due: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether a later contact closes a customer's open reminders: the
    /// `contact_closes_follow_ups` setting ("yes" unless set to "no", for
    /// a salesperson who closes each one by hand).
    fn contact_closes_follow_ups(&mut self) -> Result<bool> {
        use crate::classify::Setting;
        Ok(!matches!(
            self.rules()?.setting("contact_closes_follow_ups"),
            Some(Setting::Text(t)) if t.eq_ignore_ascii_case("no")
        ))
    }

    /// Marks the follow-up reminder on touch `id` done (today). Refused,
    /// with a message saying why, when the touch has no open reminder.
    pub fn mark_follow_up_done(&mut self, id: i64) -> Result<Written<Activity>> {
        let a = self.activity(id)?;
        if a.meta.deleted_at.is_some() || !a.kind.is_touch() || a.next_follow_up.is_none() {
            return Err(StoreError::invalid(
                "follow-up",
                crate::tr!("follow-up-none-open", id = id),
            ));
        }
        if let Some(on) = a.follow_up_done {
            return Err(StoreError::invalid(
                "follow-up",
                crate::tr!("follow-up-already-closed", id = id, on = on.to_string()),
            ));
        }
        let written = self.transact(|tx, now, today| {
            let before = super::retag::affected(tx, Kind::Activity, id)?;
            tx.execute(
                "UPDATE activities SET follow_up_done_on = ?2 WHERE id = ?1",
                rusqlite::params![id, today],
            )?;
            rows::bump(tx, Kind::Activity, id, a.meta.version, now)?;
            Ok(((), Touched::cascade((Kind::Activity, id), before)))
        })?;
        let record = self.activity(id)?;
        Ok(written.map(|()| record))
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
