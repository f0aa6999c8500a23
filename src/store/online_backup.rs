//! `dossier backup PATH`: a consistent copy of the open database made with
//! SQLite's online backup API, so other instances may keep writing.

use super::{open::create_private, Result, Store, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

impl Store {
    /// Copies the database to `target` (created 0600). Refuses to overwrite
    /// an existing file; a partly written copy is removed on failure. The
    /// copy is checked with `quick_check` before this returns.
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        if target.exists() {
            return Err(StoreError::Refused(format!(
                "{} already exists — pick a new file name (a backup never overwrites a file)",
                target.display()
            )));
        }
        create_private(target)?;
        let copied = self
            .conn
            .backup(
                rusqlite::MAIN_DB,
                target,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .map_err(StoreError::from)
            .and_then(|()| check_copy(target));
        if let Err(e) = copied {
            let _ = std::fs::remove_file(target);
            return Err(e);
        }
        tracing::info!(target = %target.display(), "backup written");
        Ok(())
    }
}

fn check_copy(target: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(target, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Corrupt {
            path: target.display().to_string(),
            reason: format!("the copy failed its check: {check}"),
        });
    }
    Ok(())
}
