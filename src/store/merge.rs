//! Likely duplicate customers, merging them and undoing a merge.
//!
//! A merge keeps one file, fills its gaps from the other, moves the other's
//! opportunities and activities over and puts the other in the trash. The
//! `merges` table keeps both files as they were and the ids moved, so
//! `unmerge` puts everything back.

use super::customers::{self, from_row, tidy, write_fields};
use super::engine::conn::Conn;
use super::rows::{self, from_json_list};
use super::write::{Touched, Written};
use super::{Result, Store, StoreError};
use crate::domain::identity::{companies_similar, company_key, email_key, name_key, phone_key};
use crate::domain::{combine_for_merge, Customer, Kind};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One undoable merge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kept_id: i64,
    pub merged_id: i64,
    pub opportunities: Vec<i64>,
    pub activities: Vec<i64>,
    pub undone_at: Option<DateTime<Utc>>,
}

/// Two customers that are probably the same, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicatePair {
    pub a: i64,
    pub b: i64,
    pub reason: String,
}

fn load_customer(conn: &Conn, id: i64) -> Result<Customer> {
    conn.query_row(
        &format!("SELECT {} FROM customers WHERE id = ?1", customers::COLUMNS),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound {
        kind: Kind::Customer,
        id,
    })
}

fn ids(conn: &Conn, table: &str, customer_id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id FROM {table} WHERE customer_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([customer_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Points records of `kind` at another customer, bumping their versions.
fn move_to(conn: &Conn, kind: Kind, ids: &[i64], to: i64, now: DateTime<Utc>) -> Result<()> {
    for &id in ids {
        let version: i64 = conn.query_row(
            &format!("SELECT version FROM {} WHERE id = ?1", kind.table()),
            [id],
            |r| r.get(0),
        )?;
        conn.execute(
            &format!("UPDATE {} SET customer_id = ?1 WHERE id = ?2", kind.table()),
            params![to, id],
        )?;
        rows::bump(conn, kind, id, version, now)?;
    }
    Ok(())
}

/// Writes a customer's fields as stored in `c`, bumping its version.
fn rewrite(conn: &Conn, c: &Customer, now: DateTime<Utc>) -> Result<i64> {
    let version: i64 = conn.query_row(
        "SELECT version FROM customers WHERE id = ?1",
        [c.meta.id],
        |r| r.get(0),
    )?;
    write_fields(conn, customers::UPDATE, c, now)?;
    rows::bump(conn, Kind::Customer, c.meta.id, version, now)
}

impl Store {
    /// Merges customer `duplicate` into `kept`; returns the merge record
    /// (its id undoes it: `unmerge`).
    pub fn merge_customers(&mut self, kept: i64, duplicate: i64) -> Result<Written<MergeRecord>> {
        if kept == duplicate {
            return Err(StoreError::Refused(crate::tr!("merge-into-itself")));
        }
        let written = self.transact(|tx, now, _| {
            rows::ensure_live(tx, Kind::Customer, kept)?;
            rows::ensure_live(tx, Kind::Customer, duplicate)?;
            let a = load_customer(tx, kept)?;
            let b = load_customer(tx, duplicate)?;
            let mut before = super::retag::affected(tx, Kind::Customer, kept)?;
            before.extend(super::retag::affected(tx, Kind::Customer, duplicate)?);
            let mut merged = combine_for_merge(&a, &b);
            tidy(&mut merged);
            merged.validate()?;
            let kept_version_after = rewrite(tx, &merged, now)?;
            let opportunities = ids(tx, "opportunities", duplicate)?;
            let activities = ids(tx, "activities", duplicate)?;
            move_to(tx, Kind::Opportunity, &opportunities, kept, now)?;
            move_to(tx, Kind::Activity, &activities, kept, now)?;
            tx.execute(
                "UPDATE customers SET deleted_at = ?1 WHERE id = ?2",
                params![now, duplicate],
            )?;
            rows::bump(tx, Kind::Customer, duplicate, b.meta.version, now)?;
            tx.execute(
                "INSERT INTO merges (at, kept_id, merged_id, kept_before, merged_before, kept_version_after, opportunities, activities)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    now,
                    kept,
                    duplicate,
                    serde_json::to_string(&a).unwrap_or_default(),
                    serde_json::to_string(&b).unwrap_or_default(),
                    kept_version_after,
                    serde_json::to_string(&opportunities).unwrap_or_default(),
                    serde_json::to_string(&activities).unwrap_or_default(),
                ],
            )?;
            let id = tx.last_insert_rowid()?;
            Ok((id, Touched::cascade((Kind::Customer, kept), before)))
        })?;
        let record = self.merge_record(written.record)?;
        Ok(written.map(|_| record))
    }

    /// One merge by id.
    pub fn merge_record(&self, id: i64) -> Result<MergeRecord> {
        self.conn
            .query_row(
                "SELECT id, at, kept_id, merged_id, opportunities, activities, undone_at FROM merges WHERE id = ?1",
                [id],
                |r| {
                    Ok(MergeRecord {
                        id: r.get(0)?,
                        at: r.get(1)?,
                        kept_id: r.get(2)?,
                        merged_id: r.get(3)?,
                        opportunities: serde_json::from_str(&r.get::<_, String>(4)?)
                            .unwrap_or_default(),
                        activities: serde_json::from_str(&r.get::<_, String>(5)?)
                            .unwrap_or_default(),
                        undone_at: r.get(6)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::Refused(crate::tr!("merge-none", id = id)))
    }

    /// The most recent merge not yet undone.
    pub fn last_merge(&self) -> Result<Option<MergeRecord>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM merges WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.merge_record(id)).transpose()
    }

    /// Undoes a merge: both customers get back their fields, the duplicate
    /// leaves the trash and its opportunities and activities return to it.
    /// Refused if the kept customer was edited since (that edit would be lost).
    pub fn unmerge(&mut self, merge_id: i64) -> Result<Written<MergeRecord>> {
        let record = self.merge_record(merge_id)?;
        if record.undone_at.is_some() {
            return Err(StoreError::Refused(format!(
                "merge {merge_id} was already undone"
            )));
        }
        let written = self.transact(|tx, now, _| {
            let (kept_before, merged_before, version_after): (String, String, i64) = tx.query_row(
                "SELECT kept_before, merged_before, kept_version_after FROM merges WHERE id = ?1",
                [merge_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let current = rows::ensure_live(tx, Kind::Customer, record.kept_id)?;
            if current != version_after {
                return Err(StoreError::Refused(crate::tr!(
                    "merge-changed-since",
                    id = record.kept_id,
                    current = current,
                    after = version_after
                )));
            }
            let parse = |s: &str| -> Result<Customer> {
                serde_json::from_str(s).map_err(|e| {
                    StoreError::Refused(crate::tr!(
                        "merge-damaged",
                        id = merge_id,
                        error = e.to_string()
                    ))
                })
            };
            let a = parse(&kept_before)?;
            let b = parse(&merged_before)?;
            rewrite(tx, &a, now)?;
            rewrite(tx, &b, now)?;
            tx.execute(
                "UPDATE customers SET deleted_at = NULL WHERE id = ?1",
                [record.merged_id],
            )?;
            let still = |table: &str, ids: &[i64]| -> Result<Vec<i64>> {
                let now_at_kept: HashSet<i64> =
                    self::ids(tx, table, record.kept_id)?.into_iter().collect();
                Ok(ids
                    .iter()
                    .copied()
                    .filter(|i| now_at_kept.contains(i))
                    .collect())
            };
            let opps = still("opportunities", &record.opportunities)?;
            let acts = still("activities", &record.activities)?;
            move_to(tx, Kind::Opportunity, &opps, record.merged_id, now)?;
            move_to(tx, Kind::Activity, &acts, record.merged_id, now)?;
            tx.execute(
                "UPDATE merges SET undone_at = ?1 WHERE id = ?2",
                params![now, merge_id],
            )?;
            let mut touched = super::retag::affected(tx, Kind::Customer, record.kept_id)?;
            touched.extend(super::retag::affected(
                tx,
                Kind::Customer,
                record.merged_id,
            )?);
            Ok((
                (),
                Touched::cascade((Kind::Customer, record.merged_id), touched),
            ))
        })?;
        let record = self.merge_record(merge_id)?;
        Ok(written.map(|()| record))
    }

    /// Pairs of live customers that are probably the same: same email, same
    /// phone, or pinyin-equal names at similar companies. Each pair once,
    /// lower id first, in id order.
    pub fn duplicate_pairs(&self) -> Result<Vec<DuplicatePair>> {
        let mut by_email: HashMap<String, Vec<i64>> = HashMap::new();
        let mut by_phone: HashMap<String, Vec<i64>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<(i64, String)>> = HashMap::new();
        // Names without a company: import keeps such rows apart (nothing
        // proves they are one person), so they are offered here instead.
        let mut by_bare_name: HashMap<String, Vec<i64>> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT id, name, company, phones, emails FROM customers WHERE deleted_at IS NULL ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let name: String = r.get(1)?;
            let company: String = r.get(2)?;
            for p in from_json_list(&r.get::<_, String>(3)?) {
                if let Some(k) = phone_key(&p) {
                    by_phone.entry(k).or_default().push(id);
                }
            }
            for e in from_json_list(&r.get::<_, String>(4)?) {
                if let Some(k) = email_key(&e) {
                    by_email.entry(k).or_default().push(id);
                }
            }
            if let Some(n) = name_key(&name) {
                match company_key(&company) {
                    Some(c) => by_name.entry(n).or_default().push((id, c)),
                    None => by_bare_name.entry(n).or_default().push(id),
                }
            }
        }
        let mut pairs: BTreeMap<(i64, i64), String> = BTreeMap::new();
        let mut add = |a: i64, b: i64, reason: String| {
            if a != b {
                pairs.entry((a.min(b), a.max(b))).or_insert(reason);
            }
        };
        for (email, ids) in &by_email {
            for w in ids.windows(2) {
                add(
                    w[0],
                    w[1],
                    crate::tr!("dup-same-email", email = email.as_str()),
                );
            }
        }
        for (phone, ids) in &by_phone {
            for w in ids.windows(2) {
                add(
                    w[0],
                    w[1],
                    crate::tr!("dup-same-phone", phone = phone.as_str()),
                );
            }
        }
        for (name, ids) in &by_bare_name {
            // Chained, not every pair: a common name must not flood the list.
            for w in ids.windows(2) {
                add(w[0], w[1], crate::tr!("dup-same-name-no-company"));
            }
            if let Some((other, _)) = by_name.get(name).and_then(|g| g.first()) {
                add(ids[0], *other, crate::tr!("dup-same-name-one-company"));
            }
        }
        for group in by_name.values().filter(|g| g.len() > 1) {
            // Very common names at many firms: compare within a bounded window.
            for (i, (a, ca)) in group.iter().enumerate() {
                for (b, cb) in group.iter().skip(i + 1).take(200) {
                    if companies_similar(ca, cb) {
                        add(*a, *b, crate::tr!("dup-similar-name-company"));
                    }
                }
            }
        }
        Ok(pairs
            .into_iter()
            .map(|((a, b), reason)| DuplicatePair { a, b, reason })
            .collect())
    }

    /// Live customers that look like `c` (for a warning while it is typed):
    /// same email or phone, or pinyin-equal name at a similar company.
    pub fn likely_duplicates_of(&self, c: &Customer) -> Result<Vec<DuplicatePair>> {
        likely_duplicates(&self.conn, c)
    }
}

/// [`Store::likely_duplicates_of`] on any connection (the TUI runs it on a
/// read-only one in the background for big books). Reads every live
/// customer's keys: about a second per million customers.
pub fn likely_duplicates(conn: &Conn, c: &Customer) -> Result<Vec<DuplicatePair>> {
    let emails: HashSet<String> = c.emails.iter().filter_map(|e| email_key(e)).collect();
    let phones: HashSet<String> = c.phones.iter().filter_map(|p| phone_key(p)).collect();
    let name = name_key(&c.name);
    let company = company_key(&c.company);
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, company, phones, emails FROM customers WHERE deleted_at IS NULL AND id != ?1",
    )?;
    let mut rows = stmt.query([c.meta.id])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let reason = if let Some(e) = from_json_list(&r.get::<_, String>(4)?)
            .iter()
            .filter_map(|e| email_key(e))
            .find(|e| emails.contains(e))
        {
            Some(crate::tr!("dup-same-email", email = e))
        } else if let Some(p) = from_json_list(&r.get::<_, String>(3)?)
            .iter()
            .filter_map(|p| phone_key(p))
            .find(|p| phones.contains(p))
        {
            Some(crate::tr!("dup-same-phone", phone = p))
        } else {
            let same_name = name.is_some() && name_key(&r.get::<_, String>(1)?) == name;
            match (&company, company_key(&r.get::<_, String>(2)?)) {
                (Some(a), Some(b)) if same_name && companies_similar(a, &b) => {
                    Some(crate::tr!("dup-similar-name-company"))
                }
                (None, _) | (_, None) if same_name => Some(crate::tr!("dup-same-name-no-company")),
                _ => None,
            }
        };
        if let Some(reason) = reason {
            out.push(DuplicatePair {
                a: c.meta.id,
                b: id,
                reason,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Activity, Opportunity};

    fn customer(s: &mut Store, name: &str, company: &str, email: &str) -> Customer {
        let mut c = Customer::named(name);
        c.company = company.into();
        if !email.is_empty() {
            c.emails = vec![email.into()];
        }
        s.add_customer(&c).unwrap().record
    }

    #[test]
    fn finds_pinyin_equal_names_at_similar_companies() {
        let mut s = Store::open_in_memory().unwrap();
        let a = customer(&mut s, "张伟", "上海华信科技有限公司", "");
        let b = customer(&mut s, "章伟", "华信科技", "");
        let _c = customer(&mut s, "张伟", "北京恒通贸易", "");
        let d = customer(&mut s, "Ann", "", "ann@x.com");
        let e = customer(&mut s, "Annie", "", "ANN@x.com");
        let pairs = s.duplicate_pairs().unwrap();
        let found: Vec<(i64, i64)> = pairs.iter().map(|p| (p.a, p.b)).collect();
        assert_eq!(found, vec![(a.meta.id, b.meta.id), (d.meta.id, e.meta.id)]);
        let typed = Customer {
            name: "Zhang Wei".into(),
            company: "华信科技".into(),
            ..Default::default()
        };
        assert_eq!(s.likely_duplicates_of(&typed).unwrap().len(), 2);
    }

    #[test]
    fn merge_moves_records_and_unmerge_restores_both() {
        let mut s = Store::open_in_memory().unwrap();
        let a = customer(&mut s, "张伟", "华信", "zw@x.com");
        let mut b = Customer::named("章伟");
        b.city = "上海".into();
        b.phones = vec!["13800138000".into()];
        let b = s.add_customer(&b).unwrap();
        let o = s
            .add_opportunity(&Opportunity {
                customer_id: b.meta.id,
                title: "Deal".into(),
                ..Default::default()
            })
            .unwrap();
        let t = s
            .add_activity(&Activity {
                customer_id: Some(b.meta.id),
                summary: "call".into(),
                ..Default::default()
            })
            .unwrap();
        let m = s.merge_customers(a.meta.id, b.meta.id).unwrap();
        let kept = s.customer(a.meta.id).unwrap();
        assert_eq!(kept.city, "上海");
        assert_eq!(kept.phones, vec!["13800138000"]);
        assert_eq!(s.opportunity(o.meta.id).unwrap().customer_id, a.meta.id);
        assert_eq!(s.activity(t.meta.id).unwrap().customer_id, Some(a.meta.id));
        assert!(s.customer(b.meta.id).unwrap().meta.deleted_at.is_some());

        s.unmerge(m.id).unwrap();
        let a2 = s.customer(a.meta.id).unwrap();
        let b2 = s.customer(b.meta.id).unwrap();
        assert_eq!(a2.city, "");
        assert_eq!(a2.phones, Vec::<String>::new());
        assert_eq!(b2.meta.deleted_at, None);
        assert_eq!((b2.city.as_str(), b2.name.as_str()), ("上海", "章伟"));
        assert_eq!(s.opportunity(o.meta.id).unwrap().customer_id, b.meta.id);
        assert_eq!(s.activity(t.meta.id).unwrap().customer_id, Some(b.meta.id));
        assert!(s.unmerge(m.id).is_err(), "a merge is undone once");
    }

    #[test]
    fn unmerge_refuses_after_the_kept_file_changed() {
        let mut s = Store::open_in_memory().unwrap();
        let a = customer(&mut s, "Ann", "", "");
        let b = customer(&mut s, "Anne", "", "");
        let m = s.merge_customers(a.meta.id, b.meta.id).unwrap();
        let mut k = s.customer(a.meta.id).unwrap();
        k.city = "Oslo".into();
        s.update_customer(&k).unwrap();
        let e = s.unmerge(m.id).unwrap_err().to_string();
        assert!(e.contains("changed after the merge"), "{e}");
    }
}
