//! Opening a database file: location, permissions, pragmas, checks.

use super::{schema, Result, Store, StoreError};
use crate::domain::Clock;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The default database: `<XDG data dir>/dossier/dossier.db`
/// (`~/.local/share/dossier/dossier.db` on Linux). `DOSSIER_DB` overrides it.
pub fn default_db_path() -> PathBuf {
    if let Some(p) = std::env::var_os("DOSSIER_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    match directories::ProjectDirs::from("", "", "dossier") {
        Some(dirs) => dirs.data_dir().join("dossier.db"),
        None => PathBuf::from("dossier.db"),
    }
}

/// Pragmas every connection gets.
pub(crate) fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

fn io_err(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Creates the directory (0700) and an empty file (0600) if they are missing.
fn create_private(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                b.mode(0o700);
            }
            b.create(dir).map_err(|e| io_err(dir, e))?;
        }
    }
    if !path.exists() {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        match o.open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_err(path, e)),
        }
    }
    Ok(())
}

fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

pub(crate) fn open_file(path: &Path, clock: Clock) -> Result<Store> {
    create_private(path)?;
    let shown = path.display().to_string();
    let corrupt = |e: rusqlite::Error| -> StoreError {
        if is_corruption(&e) {
            StoreError::Corrupt {
                path: shown.clone(),
                reason: e.to_string(),
            }
        } else {
            StoreError::Sqlite(e)
        }
    };
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(corrupt)?;
    configure(&conn).map_err(|e| match e {
        StoreError::Sqlite(e) => corrupt(e),
        other => other,
    })?;
    // A non-SQLite file fails here, before anything is written to it.
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(corrupt)?;
    if check != "ok" {
        return Err(StoreError::Corrupt {
            path: shown,
            reason: check,
        });
    }
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .map_err(corrupt)?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "could not switch the database to WAL");
    }
    let backup_path = path.to_path_buf();
    let backup = move |conn: &Connection, from: i64| -> Result<()> {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
        let target = backup_path.with_extension(format!("v{from}-{stamp}.bak"));
        create_private(&target)?;
        conn.backup(
            rusqlite::MAIN_DB,
            &target,
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        tracing::info!(target = %target.display(), "backup taken before migration");
        Ok(())
    };
    schema::migrate(&mut conn, &shown, Some(&backup))?;
    Ok(Store {
        conn,
        clock,
        path: Some(path.to_path_buf()),
        tag_changes: Vec::new(),
        classify: Default::default(),
    })
}
