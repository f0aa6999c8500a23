//! Who owns what on a team book: every record table of a book set up with
//! `dossier team init` has `owned_by` (the role that added the record, see
//! `engine::team`). The lists show it and can keep to one owner's records
//! ("mine"); the filter is a `WHERE owned_by = …` in the list's own query,
//! so the server answers it from the `{table}_team (team, owned_by)` index
//! (row-level security adds the `team = …` half). A SQLite book has no
//! owners: these answer `None` / nothing there.

use super::engine::conn::params_from_iter;
use super::{Result, Store};
use crate::domain::Kind;
use std::collections::HashMap;

impl Store {
    /// On a team book (PostgreSQL, set up with `team init`): the role this
    /// connection works as, whose records are "mine". None on a SQLite book
    /// or a server book without owners.
    pub fn team_role(&self) -> Result<Option<String>> {
        if self.conn.server().is_none() {
            return Ok(None);
        }
        let (role, owned): (String, i64) = self.conn.query_row(
            "SELECT current_user::text, (SELECT count(*) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = 'customers' \
             AND column_name = 'owned_by')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((owned > 0).then_some(role))
    }

    /// The owners of records `ids` of `kind` (missing ids are left out);
    /// empty on a book without owners.
    pub fn owners(&self, kind: Kind, ids: &[i64]) -> Result<HashMap<i64, String>> {
        if ids.is_empty() || self.team_role()?.is_none() {
            return Ok(HashMap::new());
        }
        let ph = vec!["?"; ids.len()].join(",");
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, owned_by FROM {} WHERE id IN ({ph})",
            kind.table()
        ))?;
        let rows = stmt.query_map(params_from_iter(ids), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The owner of one record; None on a book without owners.
    pub fn owner_of(&self, kind: Kind, id: i64) -> Result<Option<String>> {
        Ok(self.owners(kind, &[id])?.remove(&id))
    }

    /// A record's version as stored now (None when it is gone or in the
    /// trash), and its owner on a team book: an open form compares it with
    /// the version it opened.
    pub fn stored_version(&self, kind: Kind, id: i64) -> Result<Option<(i64, Option<String>)>> {
        let version = match self.conn.query_row(
            &format!(
                "SELECT version FROM {} WHERE id = ?1 AND deleted_at IS NULL",
                kind.table()
            ),
            [id],
            |r| r.get::<_, i64>(0),
        ) {
            Ok(v) => v,
            Err(rusqlite::Error::QueryReturnedNoRows) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        Ok(Some((version, self.owner_of(kind, id)?)))
    }

    /// SQLite's `PRAGMA data_version`: it moves when another connection
    /// commits to the book. None on a team book, whose colleagues' commits
    /// arrive by LISTEN/NOTIFY instead.
    pub fn data_version(&self) -> Result<Option<i64>> {
        match self.conn.sqlite() {
            Some(c) => Ok(Some(c.query_row("PRAGMA data_version", [], |r| r.get(0))?)),
            None => Ok(None),
        }
    }
}

/// `AND {alias}owned_by = ?1` when the list keeps to one owner.
pub(super) fn owner_clause(owner: Option<&str>, alias: &str) -> String {
    match owner {
        Some(_) => format!(" AND {alias}owned_by = ?1"),
        None => String::new(),
    }
}

impl Store {
    /// A page of the ids of `kind`'s records that `owner` owns, by keyset
    /// on id (`dossier list --mine`): one indexed query on the server.
    pub fn owned_ids(&self, kind: Kind, owner: &str, page: super::Page) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id FROM {} WHERE owned_by = ?1 AND id > ?2 AND {} ORDER BY id LIMIT ?3",
            kind.table(),
            page.visibility.sql()
        ))?;
        let limit = i64::try_from(page.limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(rusqlite::params![owner, page.after, limit], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
