//! `dossier backup PATH`: a consistent copy of the open database made with
//! SQLite's online backup API, so other instances may keep writing.

use super::safe_file::OutputFile;
use super::{Result, Store, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

impl Store {
    /// Copies the database to `target` (created 0600). Refuses to overwrite
    /// an existing file; see [`Store::backup_file`].
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        self.backup_file(target, false)
    }

    /// Copies the database to `target` through a temporary file in the same
    /// folder, renamed into place once the copy passed `quick_check`: a
    /// failed copy leaves nothing behind. An existing file is replaced only
    /// with `force`; the open book, its sidecar files and links never.
    pub fn backup_file(&self, target: &Path, force: bool) -> Result<()> {
        let Some(conn) = self.conn.sqlite() else {
            return Err(StoreError::Refused(crate::tr!("team-backup-is-json")));
        };
        let out = OutputFile::create(target, force, self.path.as_deref())?;
        conn.backup(
            rusqlite::MAIN_DB,
            out.temp_path(),
            None::<fn(rusqlite::backup::Progress)>,
        )
        .map_err(|e| match StoreError::from(e) {
            StoreError::DiskFull => super::safe_file::write_error(
                target,
                std::io::Error::from_raw_os_error(libc_enospc()),
            ),
            other => other,
        })?;
        check_copy(out.temp_path())?;
        out.commit()?;
        tracing::info!(target = %target.display(), "backup written");
        Ok(())
    }
}

/// ENOSPC, for wording SQLite's "disk full" like a failed file write.
fn libc_enospc() -> i32 {
    #[cfg(unix)]
    {
        libc::ENOSPC
    }
    #[cfg(not(unix))]
    {
        28
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
