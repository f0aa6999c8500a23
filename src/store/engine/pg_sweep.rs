//! The sweep's writes on a team book, set-based: the changed tag sets and
//! their history are gathered as `COPY` text, go over in one stream per
//! table into temporary tables, and land with one `UPDATE … FROM` and two
//! `INSERT … SELECT` per flush — a million changed records are a handful of
//! statements, not two million round trips. The temporary tables are the
//! session's own (`ON COMMIT DROP`), so `COPY` works for members too (row
//! level security refuses `COPY FROM` into its tables; `INSERT … SELECT`
//! checks each row against the policies as a plain `INSERT` does).

use super::conn::{value_of, Conn};
use super::{copy_text, server_error};
use crate::store::{Result, StoreError};
use rusqlite::types::ToSql;

/// Records gathered before they are written.
const FLUSH_ROWS: usize = 50_000;

/// Changed sets and history rows waiting to be written.
#[derive(Default)]
pub struct SweepBatch {
    sets: Vec<u8>,
    history: Vec<u8>,
    rows: usize,
    /// Of `rows`: records tagged for the first time.
    fresh: usize,
    created: bool,
}

fn field(out: &mut Vec<u8>, first: bool, v: &dyn ToSql) -> Result<()> {
    if !first {
        out.push(b'\t');
    }
    copy_text(out, &value_of(v)?);
    Ok(())
}

impl SweepBatch {
    /// A record's new set (`fresh`: its first, inserted; else replacing
    /// the stored one).
    pub fn set(&mut self, kind: &str, id: i64, tags: &str, fresh: bool) -> Result<()> {
        let out = &mut self.sets;
        field(out, true, &kind)?;
        field(out, false, &id)?;
        field(out, false, &tags)?;
        field(out, false, &fresh)?;
        out.push(b'\n');
        self.rows += 1;
        self.fresh += usize::from(fresh);
        Ok(())
    }

    /// One row of tag history, in `tag_history`'s column order.
    pub fn history(&mut self, row: [&dyn ToSql; 7]) -> Result<()> {
        for (i, v) in row.iter().enumerate() {
            field(&mut self.history, i == 0, *v)?;
        }
        self.history.push(b'\n');
        Ok(())
    }

    /// Whether enough is gathered to write.
    pub fn full(&self) -> bool {
        self.rows >= FLUSH_ROWS
    }

    /// Writes what is gathered, inside the sweep's transaction.
    pub fn flush(&mut self, conn: &Conn) -> Result<()> {
        if self.sets.is_empty() && self.history.is_empty() {
            return Ok(());
        }
        let Some(server) = conn.server() else {
            return Err(StoreError::Refused(
                "the set-based sweep writer is for team books".into(),
            ));
        };
        let mut client = server.client();
        if !self.created {
            client
                .batch_execute(
                    "CREATE TEMP TABLE IF NOT EXISTS dossier_sweep_sets (
                         n BIGSERIAL, record_kind TEXT, record_id BIGINT, tags TEXT, fresh BOOLEAN
                     ) ON COMMIT DROP;
                     CREATE TEMP TABLE IF NOT EXISTS dossier_sweep_history (
                         n BIGSERIAL, at TEXT, record_kind TEXT, record_id BIGINT,
                         dimension TEXT, old_value TEXT, new_value TEXT, reason TEXT
                     ) ON COMMIT DROP;",
                )
                .map_err(server_error)?;
            self.created = true;
        }
        for (table, cols, text) in [
            (
                "dossier_sweep_sets",
                "record_kind, record_id, tags, fresh",
                &self.sets,
            ),
            (
                "dossier_sweep_history",
                "at, record_kind, record_id, dimension, old_value, new_value, reason",
                &self.history,
            ),
        ] {
            if text.is_empty() {
                continue;
            }
            use std::io::Write;
            let mut w = client
                .copy_in(&format!("COPY {table} ({cols}) FROM STDIN"))
                .map_err(server_error)?;
            w.write_all(text)
                .map_err(|e| StoreError::Server(e.to_string()))?;
            w.finish().map_err(server_error)?;
        }
        // The planner is told what the temporary tables hold (they have no
        // statistics otherwise, and a join planned for an empty table over a
        // million stored sets is a nested scan).
        let mut sql = String::from("ANALYZE dossier_sweep_sets, dossier_sweep_history;");
        if self.rows > self.fresh {
            sql.push_str(
                "UPDATE tag_sets t SET tags = s.tags FROM dossier_sweep_sets s
                  WHERE NOT s.fresh AND t.record_kind = s.record_kind AND t.record_id = s.record_id;",
            );
        }
        if self.fresh > 0 {
            sql.push_str(
                "INSERT INTO tag_sets (record_kind, record_id, tags)
                  SELECT record_kind, record_id, tags FROM dossier_sweep_sets WHERE fresh ORDER BY n;",
            );
        }
        if !self.history.is_empty() {
            sql.push_str(
                "INSERT INTO tag_history (at, record_kind, record_id, dimension, old_value, new_value, reason)
                  SELECT at, record_kind, record_id, dimension, old_value, new_value, reason
                  FROM dossier_sweep_history ORDER BY n;",
            );
        }
        sql.push_str("TRUNCATE dossier_sweep_sets, dossier_sweep_history;");
        client.batch_execute(&sql).map_err(server_error)?;
        self.sets.clear();
        self.history.clear();
        self.rows = 0;
        self.fresh = 0;
        Ok(())
    }
}
