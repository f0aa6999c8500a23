//! Copying a whole book between engines (`dossier copy --from --to`):
//! every table, row for row, with its ids, UUIDs, versions, tags, tag
//! history, merges and trash, so the copy is the same book.
//!
//! Resumable: rows go over in batches, each committed in the target in one
//! transaction with the copy's progress (table `dossier_copy` in the target,
//! removed when the copy is complete). Run the same command again after an
//! interruption and it goes on from the last committed batch; a row sent
//! twice is skipped by its primary key (`ON CONFLICT DO NOTHING`).
//!
//! The source is read in one read transaction per run (a consistent
//! snapshot). Deals and campaigns point at each other: deals go over first
//! without their campaign, which is set once the campaigns are there.

use super::{redact, Engine, EngineKind, Result, Value};
use crate::store::StoreError;

/// The tables of a book in copy order, with their primary key columns.
pub const TABLES: &[(&str, &[&str])] = &[
    ("customers", &["id"]),
    ("products", &["id"]),
    ("opportunities", &["id"]),
    ("activities", &["id"]),
    ("line_items", &["opportunity_id", "position"]),
    ("tag_sets", &["record_kind", "record_id"]),
    ("tag_history", &["id"]),
    ("merges", &["id"]),
    ("classify_state", &["key"]),
];

/// Columns a team book adds (who owns a record, which team sees it); not
/// in a SQLite book, so a copy down leaves them behind.
const TEAM_COLUMNS: [&str; 2] = ["owned_by", "team"];

/// Rows read from the source per batch (one target transaction each).
const BATCH_ROWS: usize = 5000;

/// What the copy did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CopyReport {
    /// Rows copied by this run, per table (in copy order).
    pub tables: Vec<(String, u64)>,
    /// True when this run went on with an interrupted copy.
    pub resumed: bool,
    /// False when `progress` asked to stop before the end (run again to go on).
    pub complete: bool,
}

/// Copies the book at `from` into `to` (paths or `postgres://` URLs). The
/// target must be empty or an interrupted copy of the same source. `owner`
/// names the member who owns the records in a team book (see
/// `team::add_user`). `progress(table, rows so far)` is called after each
/// batch; returning false stops after that batch (resume later).
pub fn copy(
    from: &str,
    to: &str,
    owner: Option<&str>,
    progress: &mut dyn FnMut(&str, u64) -> bool,
) -> Result<CopyReport> {
    if from == to {
        return Err(StoreError::Refused(
            "--from and --to name the same book".into(),
        ));
    }
    if !super::is_server_url(from) && !std::path::Path::new(from).is_file() {
        return Err(StoreError::Refused(format!(
            "there is no book at {from} to copy from"
        )));
    }
    let mut src = Engine::open(from)?;
    let mut dst = Engine::open(to)?;
    copy_between(
        &mut src,
        &mut dst,
        &redact(from),
        owner,
        BATCH_ROWS,
        progress,
    )
}

/// [`copy`] between open books; `source_name` identifies the source in the
/// target's progress (a resumed copy must come from the same book);
/// `batch_rows` rows go over per target transaction.
pub fn copy_between(
    src: &mut Engine,
    dst: &mut Engine,
    source_name: &str,
    owner: Option<&str>,
    batch_rows: usize,
    progress: &mut dyn FnMut(&str, u64) -> bool,
) -> Result<CopyReport> {
    let resumed = start(dst, source_name)?;
    let owner_values = owner_columns(dst, owner)?;
    src.batch(match src.kind() {
        EngineKind::Sqlite => "BEGIN",
        EngineKind::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    })?;
    let result = copy_tables(src, dst, &owner_values, batch_rows.max(1), progress);
    let _ = src.batch("COMMIT");
    let mut report = result?;
    report.resumed = resumed;
    if report.complete {
        finish(dst)?;
    }
    Ok(report)
}

/// Opens the copy in the target: a new one in an empty book, or the
/// interrupted one from the same source. True when resuming.
fn start(dst: &mut Engine, source_name: &str) -> Result<bool> {
    let has_progress = !dst.columns("dossier_copy")?.is_empty();
    if has_progress {
        let from = dst.query(
            "SELECT last_key FROM dossier_copy WHERE tbl = '_source'",
            &[],
        )?;
        let recorded = match from.first().and_then(|r| r.first()) {
            Some(Value::Text(t)) => t.clone(),
            _ => String::new(),
        };
        if recorded != source_name {
            return Err(StoreError::Refused(format!(
                "the target holds an interrupted copy of {recorded}, not of {source_name} — finish that copy, or copy into an empty book"
            )));
        }
        return Ok(true);
    }
    for (table, _) in TABLES {
        let any = dst.query_i64(
            &format!("SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1) AS t"),
            &[],
        )?;
        if any.unwrap_or(0) > 0 {
            return Err(StoreError::Refused(format!(
                "the target book is not empty ({table} has rows) — copy into a new, empty book"
            )));
        }
    }
    dst.transaction(|d| {
        d.batch(
            "CREATE TABLE dossier_copy (tbl TEXT PRIMARY KEY, last_key TEXT NOT NULL, done BIGINT NOT NULL DEFAULT 0)",
        )?;
        d.execute(
            "INSERT INTO dossier_copy (tbl, last_key) VALUES ('_source', ?1)",
            &[Value::Text(source_name.to_string())],
        )?;
        Ok(())
    })?;
    Ok(false)
}

/// The owner and team to give every copied record in a team book.
fn owner_columns(dst: &mut Engine, owner: Option<&str>) -> Result<Vec<(&'static str, Value)>> {
    let team_book = dst.columns("customers")?.iter().any(|c| c == "team");
    match (team_book, owner) {
        (false, None) => Ok(Vec::new()),
        (false, Some(_)) => Err(StoreError::Refused(
            "--owner is for a team book (set up with dossier team init); this target has no owners"
                .into(),
        )),
        (true, None) => Err(StoreError::Refused(
            "the target is a team book: name the member who will own the copied records with --owner NAME".into(),
        )),
        (true, Some(name)) => {
            let team = dst.query(
                "SELECT team FROM team_members WHERE role_name = ?1",
                &[Value::Text(name.to_string())],
            )?;
            match team.into_iter().next().and_then(|r| r.into_iter().next()) {
                Some(Value::Text(team)) => Ok(vec![
                    ("owned_by", Value::Text(name.to_string())),
                    ("team", Value::Text(team)),
                ]),
                _ => Err(StoreError::Refused(format!(
                    "{name} is not a member of this team book — add them first (dossier team add-user {name} --team TEAM)"
                ))),
            }
        }
    }
}

fn copy_tables(
    src: &mut Engine,
    dst: &mut Engine,
    owner: &[(&'static str, Value)],
    batch_rows: usize,
    progress: &mut dyn FnMut(&str, u64) -> bool,
) -> Result<CopyReport> {
    let mut report = CopyReport::default();
    for (table, keys) in TABLES {
        let (copied, go_on) = copy_table(src, dst, table, keys, owner, batch_rows, progress)?;
        report.tables.push((table.to_string(), copied));
        if !go_on {
            return Ok(report);
        }
    }
    // The campaigns are there now: give the deals theirs.
    let links = src.query(
        "SELECT id, campaign_id FROM opportunities WHERE campaign_id IS NOT NULL ORDER BY id",
        &[],
    )?;
    dst.transaction(|d| {
        for row in links {
            d.execute(
                "UPDATE opportunities SET campaign_id = ?2 WHERE id = ?1",
                &[row[0].clone(), row[1].clone()],
            )?;
        }
        Ok(())
    })?;
    report.complete = true;
    Ok(report)
}

/// Copies one table from where an earlier run stopped; returns the rows
/// copied and whether to go on.
fn copy_table(
    src: &mut Engine,
    dst: &mut Engine,
    table: &str,
    keys: &[&str],
    owner: &[(&'static str, Value)],
    batch_rows: usize,
    progress: &mut dyn FnMut(&str, u64) -> bool,
) -> Result<(u64, bool)> {
    let state = dst.query(
        "SELECT last_key, done FROM dossier_copy WHERE tbl = ?1",
        &[Value::Text(table.to_string())],
    )?;
    let mut last: Option<Vec<Value>> = None;
    if let Some(row) = state.first() {
        if row[1] == Value::Integer(1) {
            return Ok((0, true));
        }
        if let Value::Text(k) = &row[0] {
            last = Some(key_from_json(k)?);
        }
    }
    let src_cols = src.columns(table)?;
    let dst_cols = dst.columns(table)?;
    let missing: Vec<&String> = src_cols
        .iter()
        .filter(|c| !dst_cols.contains(c) && !TEAM_COLUMNS.contains(&c.as_str()))
        .collect();
    if !missing.is_empty() {
        return Err(StoreError::Refused(format!(
            "the target's {table} has no column {} — it was made by another dossier version; nothing of {table} was copied",
            missing.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    let cols: Vec<&str> = src_cols
        .iter()
        .map(String::as_str)
        .filter(|c| dst_cols.iter().any(|d| d == c))
        .filter(|c| !TEAM_COLUMNS.contains(c) || owner.is_empty())
        .collect();
    let with_owner = table_has_owner(table) && !owner.is_empty();
    let mut insert_cols: Vec<&str> = cols.clone();
    if with_owner {
        insert_cols.extend(owner.iter().map(|(c, _)| *c));
    }
    let key_idx: Vec<usize> = keys
        .iter()
        .map(|k| cols.iter().position(|c| c == k).expect("key column"))
        .collect();
    let campaign = (table == "opportunities")
        .then(|| cols.iter().position(|c| *c == "campaign_id"))
        .flatten();
    let select_cols = cols.join(", ");
    let key_list = keys.join(", ");
    let placeholders: Vec<String> = (1..=keys.len()).map(|i| format!("?{i}")).collect();
    let after = if keys.len() == 1 {
        format!("{key_list} > {}", placeholders[0])
    } else {
        format!("({key_list}) > ({})", placeholders.join(", "))
    };
    // Parameters per insert statement stay well under both engines' limits.
    let per_insert = (20_000 / insert_cols.len().max(1)).clamp(1, 500);
    let mut copied = 0u64;
    loop {
        let rows = match &last {
            None => src.query(
                &format!("SELECT {select_cols} FROM {table} ORDER BY {key_list} LIMIT {batch_rows}"),
                &[],
            )?,
            Some(k) => src.query(
                &format!(
                    "SELECT {select_cols} FROM {table} WHERE {after} ORDER BY {key_list} LIMIT {batch_rows}"
                ),
                k,
            )?,
        };
        let end = rows.len() < batch_rows;
        let next_key: Option<Vec<Value>> = rows
            .last()
            .map(|r| key_idx.iter().map(|&i| r[i].clone()).collect());
        let n = rows.len() as u64;
        // The rows as they go in: no campaign yet, the owner's columns added.
        let rows: Vec<Vec<Value>> = rows
            .into_iter()
            .map(|mut row| {
                if let Some(i) = campaign {
                    row[i] = Value::Null;
                }
                if with_owner {
                    row.extend(owner.iter().map(|(_, v)| v.clone()));
                }
                row
            })
            .collect();
        dst.transaction(|d| {
            if d.kind() == EngineKind::Postgres {
                // PostgreSQL's fast path: one COPY per batch. A batch and its
                // progress commit together, so no row of it is there yet.
                d.copy_in(table, &insert_cols, &rows)?;
            } else {
                for chunk in rows.chunks(per_insert) {
                    let mut params = Vec::with_capacity(chunk.len() * insert_cols.len());
                    let mut tuples = Vec::with_capacity(chunk.len());
                    for row in chunk {
                        let start = params.len();
                        params.extend(row.iter().cloned());
                        let marks: Vec<String> = (start + 1..=params.len())
                            .map(|i| format!("?{i}"))
                            .collect();
                        tuples.push(format!("({})", marks.join(", ")));
                    }
                    d.execute(
                        &format!(
                            "INSERT INTO {table} ({}) VALUES {} ON CONFLICT DO NOTHING",
                            insert_cols.join(", "),
                            tuples.join(", ")
                        ),
                        &params,
                    )?;
                }
            }
            let key = match &next_key {
                Some(k) => key_to_json(k),
                None => match &last {
                    Some(k) => key_to_json(k),
                    None => "[]".into(),
                },
            };
            d.execute(
                "INSERT INTO dossier_copy (tbl, last_key, done) VALUES (?1, ?2, ?3)
                 ON CONFLICT (tbl) DO UPDATE SET last_key = excluded.last_key, done = excluded.done",
                &[
                    Value::Text(table.to_string()),
                    Value::Text(key),
                    Value::Integer(end as i64),
                ],
            )?;
            Ok(())
        })?;
        copied += n;
        if next_key.is_some() {
            last = next_key;
        }
        let go_on = progress(table, copied);
        if end {
            return Ok((copied, go_on));
        }
        if !go_on {
            return Ok((copied, false));
        }
    }
}

fn table_has_owner(table: &str) -> bool {
    matches!(
        table,
        "customers" | "products" | "opportunities" | "activities"
    )
}

/// Ends a complete copy: id counters past the copied ids (PostgreSQL), the
/// progress table gone.
fn finish(dst: &mut Engine) -> Result<()> {
    dst.transaction(|d| {
        if d.kind() == EngineKind::Postgres {
            for (table, keys) in TABLES {
                if *keys == ["id"] {
                    d.batch(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
                    ))?;
                }
            }
        }
        d.batch("DROP TABLE dossier_copy")
    })?;
    if dst.kind() == EngineKind::Postgres {
        // Fresh statistics for the planner: a million rows just arrived,
        // and until autovacuum gets to them the first queries would be
        // planned for empty tables.
        let tables: Vec<&str> = TABLES.iter().map(|(t, _)| *t).collect();
        dst.batch(&format!("ANALYZE {}", tables.join(", ")))?;
    }
    Ok(())
}

fn key_to_json(key: &[Value]) -> String {
    let items: Vec<serde_json::Value> = key
        .iter()
        .map(|v| match v {
            Value::Integer(i) => serde_json::Value::from(*i),
            Value::Text(t) => serde_json::Value::from(t.as_str()),
            Value::Real(f) => serde_json::Value::from(*f),
            Value::Null | Value::Blob(_) => serde_json::Value::Null,
        })
        .collect();
    serde_json::Value::Array(items).to_string()
}

fn key_from_json(s: &str) -> Result<Vec<Value>> {
    let bad = || StoreError::Refused(format!("the copy's progress is damaged ({s})"));
    let v: serde_json::Value = serde_json::from_str(s).map_err(|_| bad())?;
    let items = v.as_array().ok_or_else(bad)?;
    items
        .iter()
        .map(|i| match i {
            serde_json::Value::Number(n) => n.as_i64().map(Value::Integer).ok_or_else(bad),
            serde_json::Value::String(t) => Ok(Value::Text(t.clone())),
            _ => Err(bad()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_survives_the_progress_table() {
        let k = vec![Value::Text("customer".into()), Value::Integer(42)];
        assert_eq!(key_from_json(&key_to_json(&k)).unwrap(), k);
        assert!(key_from_json("not json").is_err());
    }
}
