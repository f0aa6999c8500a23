//! Soft delete, restore and purge (emptying the trash).

use super::engine::conn::Conn;
use super::rows;
use super::write::{Touched, Written};
use super::{Result, Store, StoreError};
use crate::domain::Kind;
use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

/// A record in the trash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrashEntry {
    pub kind: Kind,
    pub id: i64,
    /// Name or title, for listing.
    pub label: String,
    pub deleted_at: DateTime<Utc>,
}

fn label_column(kind: Kind) -> &'static str {
    match kind {
        Kind::Customer | Kind::Product => "name",
        Kind::Opportunity => "title",
        Kind::Activity => "kind || ': ' || summary",
    }
}

fn purge_one(conn: &Conn, kind: Kind, id: i64) -> Result<()> {
    if kind == Kind::Product {
        let used: i64 = conn.query_row(
            "SELECT count(*) FROM line_items WHERE product_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if used > 0 {
            return Err(StoreError::Refused(format!(
                "product {id} is on {used} deal line(s) — remove it from those deals before purging it"
            )));
        }
    }
    // A customer's deals and activities go with it (ON DELETE CASCADE):
    // their tags go too.
    let mut dependents: Vec<(Kind, i64)> = Vec::new();
    if kind == Kind::Customer {
        for k in [Kind::Opportunity, Kind::Activity] {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id FROM {} WHERE customer_id = ?1",
                k.table()
            ))?;
            for d in stmt.query_map([id], |r| r.get(0))? {
                dependents.push((k, d?));
            }
        }
    }
    conn.execute(&format!("DELETE FROM {} WHERE id = ?1", kind.table()), [id])?;
    super::tags::forget(conn, kind, id)?;
    for (k, d) in dependents {
        super::tags::forget(conn, k, d)?;
    }
    Ok(())
}

impl Store {
    /// Moves a record to the trash. With `expected_version`, refuses if the
    /// record changed since it was read.
    pub fn delete(
        &mut self,
        kind: Kind,
        id: i64,
        expected_version: Option<i64>,
    ) -> Result<Written<()>> {
        self.transact(|tx, now, _| {
            let before = super::retag::affected(tx, kind, id)?;
            let version = rows::ensure_live(tx, kind, id)?;
            let expected = expected_version.unwrap_or(version);
            rows::ensure_version(tx, kind, id, expected)?;
            tx.execute(
                &format!("UPDATE {} SET deleted_at = ?1 WHERE id = ?2", kind.table()),
                params![now, id],
            )?;
            rows::bump(tx, kind, id, expected, now)?;
            Ok(((), Touched::cascade((kind, id), before)))
        })
    }

    /// Takes a record out of the trash.
    pub fn restore(&mut self, kind: Kind, id: i64) -> Result<Written<()>> {
        self.transact(|tx, now, _| {
            match rows::state(tx, kind, id)? {
                None => return Err(StoreError::NotFound { kind, id }),
                Some((_, false)) => {
                    return Err(StoreError::Refused(format!(
                        "{kind} {id} is not in the trash"
                    )))
                }
                Some((version, true)) => {
                    tx.execute(
                        &format!(
                            "UPDATE {} SET deleted_at = NULL WHERE id = ?1",
                            kind.table()
                        ),
                        [id],
                    )?;
                    rows::bump(tx, kind, id, version, now)?;
                }
            }
            Ok(((), Touched::cascade((kind, id), Default::default())))
        })
    }

    /// Everything in the trash, most recently deleted first.
    pub fn trash(&self) -> Result<Vec<TrashEntry>> {
        let mut out = Vec::new();
        for kind in Kind::ALL {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT id, {}, deleted_at FROM {} WHERE deleted_at IS NOT NULL",
                label_column(kind),
                kind.table()
            ))?;
            let rows = stmt.query_map([], |r| {
                Ok(TrashEntry {
                    kind,
                    id: r.get(0)?,
                    label: r.get(1)?,
                    deleted_at: r.get(2)?,
                })
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        out.sort_by_key(|e| std::cmp::Reverse(e.deleted_at));
        Ok(out)
    }

    /// Deletes for good one record that is in the trash. Purging a customer
    /// also removes its deals and activities.
    pub fn purge(&mut self, kind: Kind, id: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        match rows::state(&tx, kind, id)? {
            None => return Err(StoreError::NotFound { kind, id }),
            Some((_, false)) => {
                return Err(StoreError::Refused(format!(
                    "{kind} {id} is not in the trash — delete it first"
                )))
            }
            Some(_) => purge_one(&tx, kind, id)?,
        }
        tx.commit()?;
        Ok(())
    }

    /// Empties the trash; returns how many records were removed.
    pub fn empty_trash(&mut self) -> Result<usize> {
        let entries = self.trash()?;
        let tx = self.conn.transaction()?;
        // Deals first, so their line items no longer hold trashed products.
        let order = [
            Kind::Opportunity,
            Kind::Activity,
            Kind::Customer,
            Kind::Product,
        ];
        let mut n = 0;
        for kind in order {
            for e in entries.iter().filter(|e| e.kind == kind) {
                // A customer purged earlier may already have taken this row.
                if rows::state(&tx, e.kind, e.id)?.is_some() {
                    purge_one(&tx, e.kind, e.id)?;
                    n += 1;
                }
            }
        }
        tx.commit()?;
        Ok(n)
    }
}
