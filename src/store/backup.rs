//! A complete copy of the book as plain data (for the JSON backup) and its
//! exact restore: every record with its id, version, timestamps and trash
//! mark, deals' line items, tags, tag history and merges.

use super::{Page, Result, Store, Visibility};
use crate::domain::{Activity, Customer, Opportunity, Product};
use chrono::{DateTime, Utc};

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
}
