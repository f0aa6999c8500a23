//! Restoring a JSON backup. Into an empty book it is exact: every record
//! under its id with its version, timestamps, trash mark and UUID, with its
//! tags, tag history and merges. Into a book that has records it merges by
//! UUID, never by id (ids are local to a book: another book's customer 2 is
//! not this book's customer 2): a record the book does not have is created
//! under a new id; one it has is updated only when the backup's version is
//! newer, so versions never go back; one changed on both sides at the same
//! version is a clash, reported and not applied.

use super::backup::{Backup, RestoreCounts, StoredTag};
use super::engine::conn::Conn;
use super::rows::{to_json_list, to_json_map};
use super::write::StoredRecord;
use super::{Result, Store, StoreError};
use crate::domain::{Activity, Customer, Kind, Meta, Opportunity, Product};
use rusqlite::{params, OptionalExtension};
use std::collections::{BTreeMap, HashMap};

/// What a restore did: counts and the clashes it left alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestoreOutcome {
    pub counts: RestoreCounts,
    /// One line per record changed both here and in the backup.
    pub clashes: Vec<String>,
}

/// Backup ids to this book's ids, per kind.
type IdMap = HashMap<(Kind, i64), i64>;

/// A record kind as the restore handles it: its kind, id and stored form
/// come from the store's own [`StoredRecord`].
trait Restorable: StoredRecord + PartialEq {
    fn meta_mut(&mut self) -> &mut Meta;
    /// Rewrites links from backup ids to this book's ids. A link to a
    /// record not written yet is cleared and returned, to be set afterwards.
    fn relink(&mut self, map: &IdMap) -> Result<Option<(Kind, i64)>>;
    /// Writes the record under `meta.id` (0: a new id); returns the id.
    fn write(&self, conn: &Conn) -> Result<i64>;
}

fn link(map: &IdMap, from: &str, kind: Kind, id: i64) -> Result<i64> {
    map.get(&(kind, id)).copied().ok_or_else(|| {
        StoreError::Refused(format!(
            "{from} links to {kind} {id}, which is neither in the backup nor in this book — nothing was restored"
        ))
    })
}

fn uuid_param(m: &Meta) -> Option<&str> {
    // An old backup has no UUIDs: the book's trigger gives one.
    Some(m.uuid.as_str()).filter(|u| !u.is_empty())
}

impl Restorable for Customer {
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn relink(&mut self, _: &IdMap) -> Result<Option<(Kind, i64)>> {
        Ok(None)
    }
    fn write(&self, conn: &Conn) -> Result<i64> {
        let c = self;
        conn.prepare_cached(
            "INSERT INTO customers (id, uuid, created_at, updated_at, version, deleted_at, name, kind, company, title, phones, emails, country, province, city, address, industry, size, source, needs, notes, owner, custom, card)
             VALUES (NULLIF(?1, 0), ?23, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?24)
             ON CONFLICT(id) DO UPDATE SET created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version,
             deleted_at = excluded.deleted_at, name = excluded.name, kind = excluded.kind, company = excluded.company, title = excluded.title,
             phones = excluded.phones, emails = excluded.emails, country = excluded.country, province = excluded.province, city = excluded.city,
             address = excluded.address, industry = excluded.industry, size = excluded.size, source = excluded.source, needs = excluded.needs,
             notes = excluded.notes, owner = excluded.owner, custom = excluded.custom, card = excluded.card",
        )?
        .execute(params![
            c.meta.id, c.meta.created_at, c.meta.updated_at, c.meta.version, c.meta.deleted_at,
            c.name, c.kind.as_str(), c.company, c.title, to_json_list(&c.phones), to_json_list(&c.emails),
            c.country, c.province, c.city, c.address, c.industry, c.size, c.source,
            to_json_list(&c.needs), c.notes, c.owner, to_json_map(&c.custom), uuid_param(&c.meta),
            c.card.to_json(),
        ])?;
        Ok(written_id(conn, &c.meta))
    }
}

/// The id a write used: the record's own, or the one SQLite gave it.
fn written_id(conn: &Conn, m: &Meta) -> i64 {
    if m.id > 0 {
        m.id
    } else {
        conn.last_insert_rowid().unwrap_or(0)
    }
}

impl Restorable for Product {
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn relink(&mut self, _: &IdMap) -> Result<Option<(Kind, i64)>> {
        Ok(None)
    }
    fn write(&self, conn: &Conn) -> Result<i64> {
        let p = self;
        conn.prepare_cached(
            "INSERT INTO products (id, uuid, created_at, updated_at, version, deleted_at, name, sku, category, price, currency, brand, functions, audience, active, description)
             VALUES (NULLIF(?1, 0), ?16, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
             ON CONFLICT(id) DO UPDATE SET created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version,
             deleted_at = excluded.deleted_at, name = excluded.name, sku = excluded.sku, category = excluded.category, price = excluded.price,
             currency = excluded.currency, brand = excluded.brand, functions = excluded.functions, audience = excluded.audience,
             active = excluded.active, description = excluded.description",
        )?
        .execute(params![
            p.meta.id, p.meta.created_at, p.meta.updated_at, p.meta.version, p.meta.deleted_at,
            p.name, p.sku, p.category, p.price.0, p.currency, p.brand, to_json_list(&p.functions),
            to_json_list(&p.audience), p.active, p.description, uuid_param(&p.meta),
        ])?;
        Ok(written_id(conn, &p.meta))
    }
}

impl Restorable for Activity {
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn relink(&mut self, map: &IdMap) -> Result<Option<(Kind, i64)>> {
        let from = format!("{} {}", Kind::Activity.name(), self.meta.id);
        // The touch that answered a reminder, when it is already here; the
        // done date alone still keeps the reminder closed.
        self.follow_up_closed_by = self
            .follow_up_closed_by
            .and_then(|b| map.get(&(Kind::Activity, b)).copied());
        if let Some(c) = self.customer_id {
            self.customer_id = Some(link(map, &from, Kind::Customer, c)?);
        }
        // Deals are restored after activities (a deal names its campaign).
        Ok(match self.opportunity_id {
            Some(o) => match map.get(&(Kind::Opportunity, o)) {
                Some(&local) => {
                    self.opportunity_id = Some(local);
                    None
                }
                None => {
                    self.opportunity_id = None;
                    Some((Kind::Opportunity, o))
                }
            },
            None => None,
        })
    }
    fn write(&self, conn: &Conn) -> Result<i64> {
        let a = self;
        let c = a.campaign.as_ref();
        conn.prepare_cached(
            "INSERT INTO activities (id, uuid, created_at, updated_at, version, deleted_at, kind, customer_id, opportunity_id, date, summary, sentiment, next_follow_up, channel, end_date, region, goal, participants, cost, leads)
             VALUES (NULLIF(?1, 0), ?20, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
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
            uuid_param(&a.meta),
        ])?;
        let id = written_id(conn, &a.meta);
        conn.prepare_cached(
            "UPDATE activities SET follow_up_done_on = ?2, follow_up_closed_by = ?3 WHERE id = ?1",
        )?
        .execute(params![id, a.follow_up_done, a.follow_up_closed_by])?;
        Ok(id)
    }
}

impl Restorable for Opportunity {
    fn meta_mut(&mut self) -> &mut Meta {
        &mut self.meta
    }
    fn relink(&mut self, map: &IdMap) -> Result<Option<(Kind, i64)>> {
        let from = format!("{} {}", Kind::Opportunity.name(), self.meta.id);
        self.customer_id = link(map, &from, Kind::Customer, self.customer_id)?;
        if let Some(c) = self.campaign_id {
            self.campaign_id = Some(link(map, &from, Kind::Activity, c)?);
        }
        for item in &mut self.items {
            item.product_id = link(map, &from, Kind::Product, item.product_id)?;
        }
        Ok(None)
    }
    fn write(&self, conn: &Conn) -> Result<i64> {
        let o = self;
        conn.prepare_cached(
            "INSERT INTO opportunities (id, uuid, created_at, updated_at, version, deleted_at, customer_id, title, amount, currency, stage, expected_close, source, campaign_id, competitors, probability, next_step, next_step_date, closed_on, close_reason)
             VALUES (NULLIF(?1, 0), ?20, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
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
            o.closed_on, o.close_reason, uuid_param(&o.meta),
        ])?;
        let id = written_id(conn, &o.meta);
        conn.execute("DELETE FROM line_items WHERE opportunity_id = ?1", [id])?;
        for (i, item) in o.items.iter().enumerate() {
            conn.prepare_cached(
                "INSERT INTO line_items (opportunity_id, position, product_id, quantity, unit_price) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, i as i64, item.product_id, item.quantity, item.unit_price.0])?;
        }
        Ok(id)
    }
}

/// The restore of one backup, as it goes.
struct Run<'a> {
    tx: &'a Conn,
    /// No records before the restore: ids are kept exactly.
    exact: bool,
    map: IdMap,
    counts: RestoreCounts,
    clashes: Vec<String>,
    /// Records written from the backup: (kind, backup id) → this book's
    /// id and whether the restore created it.
    applied: HashMap<(Kind, i64), (i64, bool)>,
    /// Links set once their target is written: (record, target in the backup).
    later: Vec<(i64, (Kind, i64))>,
}

impl Run<'_> {
    fn local_by_uuid(&self, kind: Kind, uuid: &str) -> Result<Option<i64>> {
        if uuid.is_empty() {
            return Ok(None);
        }
        Ok(self
            .tx
            .query_row(
                &format!("SELECT id FROM {} WHERE uuid = ?1", kind.table()),
                [uuid],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Finds the records this book already has, so links to them resolve.
    fn map_known<R: Restorable>(&mut self, records: &[R]) -> Result<()> {
        for r in records {
            if let Some(local) = self.local_by_uuid(R::KIND, &r.meta().uuid)? {
                self.map.insert((R::KIND, r.meta().id), local);
            }
        }
        Ok(())
    }

    fn restore<R: Restorable>(&mut self, records: &[R]) -> Result<()> {
        for b in records {
            let key = (R::KIND, b.meta().id);
            let mut r = b.clone();
            let pending = r.relink(&self.map)?;
            let known = if self.exact {
                None
            } else {
                self.local_by_uuid(R::KIND, &b.meta().uuid)?
            };
            let Some(local) = known else {
                if !self.exact {
                    r.meta_mut().id = 0;
                }
                let id = r.write(self.tx)?;
                self.map.insert(key, id);
                self.applied.insert(key, (id, true));
                if let Some(target) = pending {
                    self.later.push((id, target));
                }
                self.counts.created += 1;
                continue;
            };
            r.meta_mut().id = local;
            let stored = match R::read(self.tx, local) {
                Ok(r) => Some(r),
                Err(StoreError::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
            let Some(stored) = stored else { continue };
            let (theirs, ours) = (r.meta().version, stored.meta().version);
            if stored == r || theirs < ours {
                // Identical, or this book's copy is newer: versions never go back.
                self.counts.unchanged += 1;
            } else if theirs > ours {
                r.write(self.tx)?;
                self.applied.insert(key, (local, false));
                if let Some(target) = pending {
                    self.later.push((local, target));
                }
                self.counts.updated += 1;
            } else {
                self.clashes.push(format!(
                    "{} {local} (uuid {}) was changed both in this book and in the backup at version {ours} — kept this book's copy; compare them with dossier show {} {local}",
                    R::KIND,
                    b.meta().uuid,
                    R::KIND,
                ));
            }
        }
        Ok(())
    }

    /// Sets the activities' deal links that waited for the deals.
    fn finish_links(&mut self) -> Result<()> {
        for (id, target) in std::mem::take(&mut self.later) {
            let deal = self.map.get(&target).copied().ok_or_else(|| {
                StoreError::Refused(format!(
                    "activity {id} links to {} {}, which is neither in the backup nor in this book — nothing was restored",
                    target.0, target.1
                ))
            })?;
            self.tx.execute(
                "UPDATE activities SET opportunity_id = ?1 WHERE id = ?2",
                params![deal, id],
            )?;
        }
        Ok(())
    }

    /// Sets which touch answered each restored reminder, now that every
    /// touch has its id here (the answer usually comes later in the list).
    fn finish_follow_ups(&mut self, activities: &[Activity]) -> Result<()> {
        for a in activities {
            let Some(closer) = a.follow_up_closed_by else {
                continue;
            };
            let Some(&(local, _)) = self.applied.get(&(Kind::Activity, a.meta.id)) else {
                continue;
            };
            let by = self.map.get(&(Kind::Activity, closer)).copied();
            self.tx.execute(
                "UPDATE activities SET follow_up_closed_by = ?1 WHERE id = ?2",
                params![by, local],
            )?;
        }
        Ok(())
    }

    /// The backup's tags for the records it wrote (the next sweep checks
    /// them against this book's rules and cut points).
    fn tags(&self, tags: &[StoredTag]) -> Result<()> {
        // A list-valued dimension has several values: a list per record.
        let mut by_record: BTreeMap<(&str, i64), Vec<(&str, &str)>> = BTreeMap::new();
        for t in tags {
            let Ok(kind) = t.record_kind.parse::<Kind>() else {
                continue;
            };
            let Some(&(local, _)) = self.applied.get(&(kind, t.record_id)) else {
                continue;
            };
            by_record
                .entry((t.record_kind.as_str(), local))
                .or_default()
                .push((&t.dimension, &t.value));
        }
        for ((kind, id), values) in by_record {
            self.tx
                .prepare_cached(
                    "INSERT INTO tag_sets (record_kind, record_id, tags) VALUES (?1, ?2, ?3)
                     ON CONFLICT(record_kind, record_id) DO UPDATE SET tags = excluded.tags",
                )?
                .execute(params![kind, id, super::tags::encode(values)])?;
        }
        Ok(())
    }
}

impl Store {
    /// Restores a backup (see the module docs). One transaction: all or
    /// nothing. With `dry_run` the counts are computed and nothing is kept.
    /// The backup is expected to have been checked (links, versions).
    pub fn restore_backup(&mut self, b: &Backup, dry_run: bool) -> Result<RestoreOutcome> {
        let tx = self.conn.transaction()?;
        // Deals and activities point at each other; check links at commit.
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        let exact: bool = tx.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM customers) AND NOT EXISTS (SELECT 1 FROM opportunities) \
             AND NOT EXISTS (SELECT 1 FROM products) AND NOT EXISTS (SELECT 1 FROM activities)",
            [],
            |r| r.get(0),
        )?;
        if !exact {
            let no_uuid = b
                .customers
                .iter()
                .map(|r| &r.meta)
                .chain(b.products.iter().map(|r| &r.meta))
                .chain(b.opportunities.iter().map(|r| &r.meta))
                .chain(b.activities.iter().map(|r| &r.meta))
                .filter(|m| m.uuid.is_empty())
                .count();
            if no_uuid > 0 {
                return Err(StoreError::Refused(format!(
                    "{no_uuid} record(s) in this backup have no UUID (it was written by an older dossier), so they cannot be matched with this book's records — restore it into an empty book (dossier --db NEW.db import BACKUP.json), or export a new backup"
                )));
            }
        }
        let mut run = Run {
            tx: &tx,
            exact,
            map: HashMap::new(),
            counts: RestoreCounts::default(),
            clashes: Vec::new(),
            applied: HashMap::new(),
            later: Vec::new(),
        };
        if !exact {
            run.map_known(&b.customers)?;
            run.map_known(&b.products)?;
            run.map_known(&b.activities)?;
            run.map_known(&b.opportunities)?;
        }
        run.restore(&b.customers)?;
        run.restore(&b.products)?;
        run.restore(&b.activities)?;
        run.restore(&b.opportunities)?;
        run.finish_links()?;
        run.finish_follow_ups(&b.activities)?;
        run.tags(&b.tags)?;
        for h in &b.tag_history {
            let Ok(kind) = h.record_kind.parse::<Kind>() else {
                continue;
            };
            // History comes with the records it belongs to; into a book with
            // records, only for the records the restore created.
            let Some(&(local, created)) = run.applied.get(&(kind, h.record_id)) else {
                continue;
            };
            if !created {
                continue;
            }
            tx.prepare_cached(
                "INSERT INTO tag_history (id, at, record_kind, record_id, dimension, old_value, new_value, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                if exact { Some(h.id).filter(|&i| i > 0) } else { None },
                h.at, h.record_kind, local, h.dimension, h.old_value, h.new_value, h.reason
            ])?;
        }
        if exact {
            // Merge records name customers by this book's ids: only an
            // exact restore keeps them meaningful.
            for m in &b.merges {
                tx.prepare_cached(
                    "INSERT INTO merges (id, at, kept_id, merged_id, kept_before, merged_before, kept_version_after, opportunities, activities, undone_at) VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
                     ON CONFLICT (id) DO UPDATE SET at = excluded.at, kept_id = excluded.kept_id, merged_id = excluded.merged_id, kept_before = excluded.kept_before, merged_before = excluded.merged_before, kept_version_after = excluded.kept_version_after, opportunities = excluded.opportunities, activities = excluded.activities, undone_at = excluded.undone_at",
                )?
                .execute(params![m.id, m.at, m.kept_id, m.merged_id, m.kept_before, m.merged_before, m.kept_version_after, m.opportunities, m.activities, m.undone_at])?;
            }
        }
        let outcome = RestoreOutcome {
            counts: run.counts,
            clashes: run.clashes,
        };
        if !run.applied.is_empty() {
            // The restored tags came from another book or day: the next
            // refresh re-sweeps, and doctor checks tags after that sweep.
            super::sweep::mark_stale(&tx)?;
        }
        if dry_run {
            tx.rollback()?;
        } else {
            tx.ids_written(&[
                "customers",
                "products",
                "opportunities",
                "activities",
                "tag_history",
                "merges",
            ])?;
            tx.commit()?;
        }
        Ok(outcome)
    }
}
