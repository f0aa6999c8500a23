//! A complete copy of the book as plain data (for the JSON backup) and its
//! exact restore: every record with its id, version, timestamps and trash
//! mark, deals' line items, tags, tag history and merges.

use super::rows::{to_json_list, to_json_map};
use super::{Page, Result, Store, Visibility};
use crate::domain::{Activity, Customer, Opportunity, Product};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A stored tag, as kept in a backup. Reasons are rendered from facts when
/// shown, so a backup holds values only; backups written before that
/// carried `reason` and `updated_at`, which are read and ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTag {
    pub record_kind: String,
    pub record_id: i64,
    pub dimension: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A stored tag-history row, as kept in a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTagHistory {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub record_kind: String,
    pub record_id: i64,
    pub dimension: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: String,
}

/// A stored merge row (both files as they were), as kept in a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMerge {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kept_id: i64,
    pub merged_id: i64,
    pub kept_before: String,
    pub merged_before: String,
    pub kept_version_after: i64,
    pub opportunities: String,
    pub activities: String,
    pub undone_at: Option<DateTime<Utc>>,
}

/// Everything in a book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Backup {
    /// Marks the file as a dossier backup (always "dossier-backup").
    pub format: String,
    pub schema_version: i64,
    pub customers: Vec<Customer>,
    pub products: Vec<Product>,
    pub opportunities: Vec<Opportunity>,
    pub activities: Vec<Activity>,
    pub tags: Vec<StoredTag>,
    pub tag_history: Vec<StoredTagHistory>,
    pub merges: Vec<StoredMerge>,
}

/// The name in [`Backup::format`].
pub const BACKUP_FORMAT: &str = "dossier-backup";

/// What a restore did, per kind: (created, updated, unchanged).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RestoreCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

fn all<T>(mut page: impl FnMut(Page) -> Result<Vec<T>>, id: impl Fn(&T) -> i64) -> Result<Vec<T>> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let batch = page(Page {
            after,
            limit: 5_000,
            visibility: Visibility::All,
        })?;
        let Some(last) = batch.last() else { break };
        after = id(last);
        out.extend(batch);
    }
    Ok(out)
}

impl Store {
    /// The whole book, trash included.
    pub fn backup_data(&self) -> Result<Backup> {
        let conn = &self.conn;
        let mut tags = Vec::new();
        let mut stmt = conn.prepare(
            "SELECT record_kind, record_id, tags FROM tag_sets ORDER BY record_kind, record_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (record_kind, record_id): (String, i64) = (r.get(0)?, r.get(1)?);
            for (dimension, value) in super::tags::decode(&r.get::<_, String>(2)?) {
                tags.push(StoredTag {
                    record_kind: record_kind.clone(),
                    record_id,
                    dimension: dimension.to_string(),
                    value: value.to_string(),
                    reason: String::new(),
                    updated_at: None,
                });
            }
        }
        drop(rows);
        drop(stmt);
        let tag_history = conn
            .prepare("SELECT id, at, record_kind, record_id, dimension, old_value, new_value, reason FROM tag_history ORDER BY id")?
            .query_map([], |r| {
                Ok(StoredTagHistory {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    record_kind: r.get(2)?,
                    record_id: r.get(3)?,
                    dimension: r.get(4)?,
                    old_value: r.get(5)?,
                    new_value: r.get(6)?,
                    reason: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let merges = conn
            .prepare("SELECT id, at, kept_id, merged_id, kept_before, merged_before, kept_version_after, opportunities, activities, undone_at FROM merges ORDER BY id")?
            .query_map([], |r| {
                Ok(StoredMerge {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    kept_id: r.get(2)?,
                    merged_id: r.get(3)?,
                    kept_before: r.get(4)?,
                    merged_before: r.get(5)?,
                    kept_version_after: r.get(6)?,
                    opportunities: r.get(7)?,
                    activities: r.get(8)?,
                    undone_at: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Backup {
            format: BACKUP_FORMAT.into(),
            schema_version: super::SCHEMA_VERSION,
            customers: all(|p| self.customers(p), |c| c.meta.id)?,
            products: all(|p| self.products(p), |c| c.meta.id)?,
            opportunities: all(|p| self.opportunities(p), |c| c.meta.id)?,
            activities: all(|p| self.activities(p), |c| c.meta.id)?,
            tags,
            tag_history,
            merges,
        })
    }

    /// Restores a backup exactly: each record is written under its id with
    /// its version, timestamps and trash mark (a record with the same id is
    /// overwritten with the backup's copy). One transaction: all or nothing.
    /// With `dry_run` the counts are computed and nothing is kept.
    pub fn restore_backup(&mut self, b: &Backup, dry_run: bool) -> Result<RestoreCounts> {
        let tx = self.conn.transaction()?;
        // Deals and activities point at each other; check links at commit.
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        let mut n = RestoreCounts::default();
        for c in &b.customers {
            count(&mut n, restore_customer(&tx, c)?);
        }
        for p in &b.products {
            count(&mut n, restore_product(&tx, p)?);
        }
        for a in &b.activities {
            count(&mut n, restore_activity(&tx, a)?);
        }
        for o in &b.opportunities {
            count(&mut n, restore_opportunity(&tx, o)?);
        }
        // Tags by record, over what the record holds already.
        let mut by_record: std::collections::BTreeMap<(&str, i64), Vec<&StoredTag>> =
            Default::default();
        for t in &b.tags {
            by_record
                .entry((t.record_kind.as_str(), t.record_id))
                .or_default()
                .push(t);
        }
        for ((kind, id), tags) in by_record {
            let old: Option<String> = tx
                .query_row(
                    "SELECT tags FROM tag_sets WHERE record_kind = ?1 AND record_id = ?2",
                    params![kind, id],
                    |r| r.get(0),
                )
                .optional()?;
            let mut values: std::collections::BTreeMap<&str, &str> = old
                .as_deref()
                .map(|s| super::tags::decode(s).collect())
                .unwrap_or_default();
            for t in tags {
                values.insert(&t.dimension, &t.value);
            }
            tx.prepare_cached(
                "INSERT INTO tag_sets (record_kind, record_id, tags) VALUES (?1, ?2, ?3)
                 ON CONFLICT(record_kind, record_id) DO UPDATE SET tags = excluded.tags",
            )?
            .execute(params![kind, id, super::tags::encode(values)])?;
        }
        for h in &b.tag_history {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO tag_history (id, at, record_kind, record_id, dimension, old_value, new_value, reason) VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![h.id, h.at, h.record_kind, h.record_id, h.dimension, h.old_value, h.new_value, h.reason])?;
        }
        for m in &b.merges {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO merges (id, at, kept_id, merged_id, kept_before, merged_before, kept_version_after, opportunities, activities, undone_at) VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![m.id, m.at, m.kept_id, m.merged_id, m.kept_before, m.merged_before, m.kept_version_after, m.opportunities, m.activities, m.undone_at])?;
        }
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(n)
    }
}

/// Whether a restored row was new, changed or identical.
enum Restored {
    Created,
    Updated,
    Unchanged,
}

fn count(n: &mut RestoreCounts, r: Restored) {
    match r {
        Restored::Created => n.created += 1,
        Restored::Updated => n.updated += 1,
        Restored::Unchanged => n.unchanged += 1,
    }
}

/// Whether the backup's copy is new, different or identical to the stored one.
fn compare<T: PartialEq>(stored: Option<T>, wanted: &T) -> Option<Restored> {
    match stored {
        None => Some(Restored::Created),
        Some(s) if &s == wanted => None,
        Some(_) => Some(Restored::Updated),
    }
}

fn restore_customer(conn: &Connection, c: &Customer) -> Result<Restored> {
    let stored = conn
        .query_row(
            &format!(
                "SELECT {} FROM customers WHERE id = ?1",
                super::customers::COLUMNS
            ),
            [c.meta.id],
            super::customers::from_row,
        )
        .optional()?;
    let Some(outcome) = compare(stored, c) else {
        return Ok(Restored::Unchanged);
    };
    conn.prepare_cached(
        "INSERT INTO customers (id, created_at, updated_at, version, deleted_at, name, kind, company, title, phones, emails, country, province, city, address, industry, size, source, needs, notes, owner, custom)
         VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)
         ON CONFLICT(id) DO UPDATE SET created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version,
         deleted_at = excluded.deleted_at, name = excluded.name, kind = excluded.kind, company = excluded.company, title = excluded.title,
         phones = excluded.phones, emails = excluded.emails, country = excluded.country, province = excluded.province, city = excluded.city,
         address = excluded.address, industry = excluded.industry, size = excluded.size, source = excluded.source, needs = excluded.needs,
         notes = excluded.notes, owner = excluded.owner, custom = excluded.custom",
    )?
    .execute(params![
        c.meta.id, c.meta.created_at, c.meta.updated_at, c.meta.version, c.meta.deleted_at,
        c.name, c.kind.as_str(), c.company, c.title, to_json_list(&c.phones), to_json_list(&c.emails),
        c.country, c.province, c.city, c.address, c.industry, c.size, c.source,
        to_json_list(&c.needs), c.notes, c.owner, to_json_map(&c.custom),
    ])?;
    Ok(outcome)
}

fn restore_product(conn: &Connection, p: &Product) -> Result<Restored> {
    let stored = conn
        .query_row(
            "SELECT id, created_at, updated_at, version, deleted_at, name, sku, category, price, currency, brand, functions, audience, active, description FROM products WHERE id = ?1",
            [p.meta.id],
            super::products::from_row,
        )
        .optional()?;
    let Some(outcome) = compare(stored, p) else {
        return Ok(Restored::Unchanged);
    };
    conn.prepare_cached(
        "INSERT INTO products (id, created_at, updated_at, version, deleted_at, name, sku, category, price, currency, brand, functions, audience, active, description)
         VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT(id) DO UPDATE SET created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version,
         deleted_at = excluded.deleted_at, name = excluded.name, sku = excluded.sku, category = excluded.category, price = excluded.price,
         currency = excluded.currency, brand = excluded.brand, functions = excluded.functions, audience = excluded.audience,
         active = excluded.active, description = excluded.description",
    )?
    .execute(params![
        p.meta.id, p.meta.created_at, p.meta.updated_at, p.meta.version, p.meta.deleted_at,
        p.name, p.sku, p.category, p.price.0, p.currency, p.brand, to_json_list(&p.functions),
        to_json_list(&p.audience), p.active, p.description,
    ])?;
    Ok(outcome)
}

fn restore_activity(conn: &Connection, a: &Activity) -> Result<Restored> {
    let stored = conn
        .query_row(
            "SELECT id, created_at, updated_at, version, deleted_at, kind, customer_id, opportunity_id, date, summary, sentiment, next_follow_up, channel, end_date, region, goal, participants, cost, leads, follow_up_done_on, follow_up_closed_by FROM activities WHERE id = ?1",
            [a.meta.id],
            super::activities::from_row,
        )
        .optional()?;
    let Some(outcome) = compare(stored, a) else {
        return Ok(Restored::Unchanged);
    };
    let c = a.campaign.as_ref();
    conn.prepare_cached(
        "INSERT INTO activities (id, created_at, updated_at, version, deleted_at, kind, customer_id, opportunity_id, date, summary, sentiment, next_follow_up, channel, end_date, region, goal, participants, cost, leads)
         VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
         ON CONFLICT(id) DO UPDATE SET created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version,
         deleted_at = excluded.deleted_at, kind = excluded.kind, customer_id = excluded.customer_id, opportunity_id = excluded.opportunity_id,
         date = excluded.date, summary = excluded.summary, sentiment = excluded.sentiment, next_follow_up = excluded.next_follow_up,
         channel = excluded.channel, end_date = excluded.end_date, region = excluded.region, goal = excluded.goal,
         participants = excluded.participants, cost = excluded.cost, leads = excluded.leads",
    )?
    .execute(params![
        a.meta.id, a.meta.created_at, a.meta.updated_at, a.meta.version, a.meta.deleted_at,
        a.kind.as_str(), a.customer_id, a.opportunity_id, a.date, a.summary,
        a.sentiment.map(|s| s.as_str()), a.next_follow_up,
        c.map(|c| c.channel.as_str()), c.and_then(|c| c.end_date), c.map(|c| c.region.as_str()),
        c.map(|c| c.goal.as_str()), c.map(|c| c.participants), c.map(|c| c.cost.0), c.map(|c| c.leads),
    ])?;
    conn.prepare_cached(
        "UPDATE activities SET follow_up_done_on = ?2, follow_up_closed_by = ?3 WHERE id = ?1",
    )?
    .execute(params![a.meta.id, a.follow_up_done, a.follow_up_closed_by])?;
    Ok(outcome)
}

fn restore_opportunity(conn: &Connection, o: &Opportunity) -> Result<Restored> {
    let stored = conn
        .query_row(
            "SELECT id, created_at, updated_at, version, deleted_at, customer_id, title, amount, currency, stage, expected_close, source, campaign_id, competitors, probability, next_step, next_step_date, closed_on, close_reason FROM opportunities WHERE id = ?1",
            [o.meta.id],
            super::opportunities::from_row,
        )
        .optional()?
        .map(|mut s| -> rusqlite::Result<Opportunity> {
            s.items = super::opportunities::items(conn, s.meta.id)?;
            Ok(s)
        })
        .transpose()?;
    let Some(outcome) = compare(stored, o) else {
        return Ok(Restored::Unchanged);
    };
    conn.prepare_cached(
        "INSERT INTO opportunities (id, created_at, updated_at, version, deleted_at, customer_id, title, amount, currency, stage, expected_close, source, campaign_id, competitors, probability, next_step, next_step_date, closed_on, close_reason)
         VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
         ON CONFLICT(id) DO UPDATE SET created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version,
         deleted_at = excluded.deleted_at, customer_id = excluded.customer_id, title = excluded.title, amount = excluded.amount,
         currency = excluded.currency, stage = excluded.stage, expected_close = excluded.expected_close, source = excluded.source,
         campaign_id = excluded.campaign_id, competitors = excluded.competitors, probability = excluded.probability,
         next_step = excluded.next_step, next_step_date = excluded.next_step_date, closed_on = excluded.closed_on,
         close_reason = excluded.close_reason",
    )?
    .execute(params![
        o.meta.id, o.meta.created_at, o.meta.updated_at, o.meta.version, o.meta.deleted_at,
        o.customer_id, o.title, o.amount.0, o.currency, o.stage.as_str(), o.expected_close, o.source,
        o.campaign_id, to_json_list(&o.competitors), o.probability, o.next_step, o.next_step_date,
        o.closed_on, o.close_reason,
    ])?;
    conn.execute(
        "DELETE FROM line_items WHERE opportunity_id = ?1",
        [o.meta.id],
    )?;
    for (i, item) in o.items.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO line_items (opportunity_id, position, product_id, quantity, unit_price) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![o.meta.id, i as i64, item.product_id, item.quantity, item.unit_price.0])?;
    }
    Ok(outcome)
}
