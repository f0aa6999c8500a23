//! The change log the persistent index catches up from (table `search_log`,
//! filled by triggers on every write to records and tags — by this process
//! or any other — in the writing transaction). Every SQL statement about it
//! is here, so another database engine needs only this file's variant.

use crate::domain::Kind;
use crate::store::engine::conn::Conn as Connection;
use crate::store::Result;
use rusqlite::{params, OptionalExtension};

/// Where the log stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// The newest change (0: none yet).
    pub seq: i64,
    /// Changes up to here are pruned: an index older than this cannot
    /// catch up from the log.
    pub pruned: i64,
}

/// One changed record since some position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    pub id: i64,
    /// Its deals and activities show its text too (a customer's name or
    /// city changed, or it was removed).
    pub deps: bool,
}

pub fn head(conn: &Connection) -> Result<Head> {
    let seq: Option<i64> = conn.query_row("SELECT max(seq) FROM search_log", [], |r| r.get(0))?;
    let pruned: Option<i64> = conn
        .query_row("SELECT pruned FROM search_state WHERE only = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    let pruned = pruned.unwrap_or(0);
    Ok(Head {
        seq: seq.unwrap_or(0).max(pruned),
        pruned,
    })
}

/// The records changed after `seq` up to `upto`, each once; `None` when the
/// log holds more than `max` changes there (rebuilding is cheaper then).
pub fn since(conn: &Connection, seq: i64, upto: i64, max: usize) -> Result<Option<Vec<Change>>> {
    let rows: i64 = conn.query_row(
        "SELECT count(*) FROM search_log WHERE seq > ?1 AND seq <= ?2",
        params![seq, upto],
        |r| r.get(0),
    )?;
    if rows as usize > max {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT kind, id, max(deps) FROM search_log WHERE seq > ?1 AND seq <= ?2 \
         GROUP BY kind, id ORDER BY min(seq)",
    )?;
    let rows = stmt.query_map(params![seq, upto], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, id, deps) = row?;
        if let Ok(kind) = kind.parse::<Kind>() {
            out.push(Change {
                kind,
                id,
                deps: deps != 0,
            });
        }
    }
    Ok(Some(out))
}

/// The live deals and activities of a customer (their text shows its name).
pub fn dependants(conn: &Connection, customer: i64) -> Result<Vec<(Kind, i64)>> {
    let mut out = Vec::new();
    for kind in [Kind::Opportunity, Kind::Activity] {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id FROM {} WHERE customer_id = ?1",
            kind.table()
        ))?;
        let ids = stmt.query_map([customer], |r| r.get::<_, i64>(0))?;
        for id in ids {
            out.push((kind, id?));
        }
    }
    Ok(out)
}

/// The token of the log row at `seq` (`None`: no such row — the book's
/// history is not the one an index at `seq` was built from).
pub fn token_at(conn: &Connection, seq: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT tok FROM search_log WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Drops the log before `seq` (an index file holding it was written).
pub fn prune(conn: &Connection, seq: i64) -> Result<()> {
    conn.execute_batch("SAVEPOINT search_prune")?;
    let done = (|| -> Result<()> {
        conn.execute(
            "UPDATE search_state SET pruned = max(pruned, ?1) WHERE only = 1",
            [seq],
        )?;
        // The row at `seq` stays: its token identifies the position.
        conn.execute("DELETE FROM search_log WHERE seq < ?1", [seq])?;
        Ok(())
    })();
    match done {
        Ok(()) => conn.execute_batch("RELEASE search_prune")?,
        Err(e) => {
            conn.execute_batch("ROLLBACK TO search_prune; RELEASE search_prune")?;
            return Err(e);
        }
    }
    Ok(())
}
