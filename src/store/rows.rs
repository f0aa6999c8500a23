//! Helpers shared by the per-kind modules: list columns, meta, versions.

use super::engine::conn::{Conn, Row};
use super::{Result, StoreError};
use crate::domain::{Kind, Meta};
use rusqlite::{params, OptionalExtension, ToSql};
use std::collections::BTreeMap;

/// SQL for a new random UUID (version 4), as the schema's insert triggers
/// make it; a bulk insert names it itself so the trigger's extra update per
/// row is skipped.
macro_rules! new_uuid_sql {
    () => {
        "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
    };
}
pub(crate) use new_uuid_sql;

/// Lists are stored as JSON arrays of strings.
pub(crate) fn to_json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn from_json_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

pub(crate) fn to_json_map(map: &BTreeMap<String, String>) -> String {
    serde_json::to_string(map).unwrap_or_else(|_| "{}".into())
}

pub(crate) fn from_json_map(s: &str) -> BTreeMap<String, String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// Reads the meta columns every table has.
pub(crate) fn meta(row: &Row<'_>) -> rusqlite::Result<Meta> {
    Ok(Meta {
        id: row.get("id")?,
        // Not every query reads the uuid (lists and sorts need only ids).
        uuid: match row.column_index("uuid") {
            Some(i) => row.get::<_, Option<String>>(i)?.unwrap_or_default(),
            None => String::new(),
        },
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        version: row.get("version")?,
        deleted_at: row.get("deleted_at")?,
    })
}

/// The stored version of a record and whether it is in the trash.
pub(crate) fn state(conn: &Conn, kind: Kind, id: i64) -> Result<Option<(i64, bool)>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT version, deleted_at IS NOT NULL FROM {} WHERE id = ?1",
                kind.table()
            ),
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Fails unless the record exists and is live.
pub(crate) fn ensure_live(conn: &Conn, kind: Kind, id: i64) -> Result<i64> {
    match state(conn, kind, id)? {
        None => Err(StoreError::NotFound { kind, id }),
        Some((_, true)) => Err(StoreError::InTrash { kind, id }),
        Some((v, false)) => Ok(v),
    }
}

/// Checks that a live record is still at `expected` version.
pub(crate) fn ensure_version(conn: &Conn, kind: Kind, id: i64, expected: i64) -> Result<()> {
    let found = ensure_live(conn, kind, id)?;
    if found != expected {
        return Err(StoreError::Conflict {
            kind,
            id,
            expected,
            found,
        });
    }
    Ok(())
}

/// Checks a link from one record to another live record (`field` names the
/// form field for the message).
pub(crate) fn ensure_link(conn: &Conn, field: &str, kind: Kind, id: i64) -> Result<()> {
    match state(conn, kind, id)? {
        None => Err(StoreError::invalid(
            field,
            crate::tr!("err-link-missing", kind = kind.name(), id = id),
        )),
        Some((_, true)) => Err(StoreError::invalid(
            field,
            crate::tr!("err-link-in-trash", kind = kind.name(), id = id),
        )),
        Some(_) => Ok(()),
    }
}

/// Marks a row as written: version + 1 and a new `updated_at`, guarded by
/// the version read. Returns the new version.
pub(crate) fn bump(
    conn: &Conn,
    kind: Kind,
    id: i64,
    expected: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64> {
    let n = conn.execute(
        &format!(
            "UPDATE {} SET version = version + 1, updated_at = ?1 WHERE id = ?2 AND version = ?3",
            kind.table()
        ),
        params![now, id, expected],
    )?;
    if n != 1 {
        let found = state(conn, kind, id)?.map(|s| s.0).unwrap_or(-1);
        return Err(StoreError::Conflict {
            kind,
            id,
            expected,
            found,
        });
    }
    Ok(expected + 1)
}

/// Runs `sql` with those of `params` it names, so one parameter list
/// serves both the INSERT (no `:id`) and the UPDATE of a record.
pub(crate) fn execute_named(
    conn: &Conn,
    sql: &str,
    params: &[(&str, &dyn ToSql)],
) -> Result<usize> {
    let names = |name: &str| {
        sql.match_indices(name).any(|(at, _)| {
            !sql[at + name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        })
    };
    let used: Vec<(&str, &dyn ToSql)> = params.iter().filter(|(n, _)| names(n)).copied().collect();
    // Cached: bulk import runs the same statement once per row.
    Ok(conn.prepare_cached(sql)?.execute(used.as_slice())?)
}
