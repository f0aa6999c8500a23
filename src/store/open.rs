//! Opening a database file: location, permissions, pragmas, checks.

use super::{schema, Result, Store, StoreError};
use crate::domain::Clock;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The default database: `<XDG data dir>/dossier/dossier.db`
/// (`~/.local/share/dossier/dossier.db` on Linux). `DOSSIER_DB` overrides it,
/// then `db = "…"` in `<XDG config dir>/dossier/config.toml` (a file or a
/// team book's `postgres://` URL).
pub fn default_db_path() -> PathBuf {
    if let Some(p) = std::env::var_os("DOSSIER_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    if let Some(db) = configured_db() {
        return PathBuf::from(db);
    }
    match directories::ProjectDirs::from("", "", "dossier") {
        Some(dirs) => dirs.data_dir().join("dossier.db"),
        None => PathBuf::from("dossier.db"),
    }
}

/// `db` from the config file, when there is one and it says.
fn configured_db() -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Config {
        db: Option<String>,
    }
    let dirs = directories::ProjectDirs::from("", "", "dossier")?;
    let path = dirs.config_dir().join("config.toml");
    let text = std::fs::read_to_string(&path).ok()?;
    match toml::from_str::<Config>(&text) {
        Ok(c) => c.db.filter(|d| !d.trim().is_empty()),
        Err(e) => {
            tracing::warn!(path = %path.display(), "config file not read: {e}");
            None
        }
    }
}

/// A statement's plan is made once, not again for each value bound to it:
/// on a book with `sqlite_stat4` (ANALYZE, as `dossier gen` runs), SQLite
/// otherwise prepares a statement afresh whenever a value bound to an
/// indexed comparison changes, and a loop of lookups by id (the light
/// sweep's, the TUI's detail pane) spends most of its time in the parser.
fn plan_once(conn: &Connection) -> Result<()> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// Pragmas every connection gets.
pub(crate) fn configure(conn: &mut Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    plan_once(conn)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // FULL: a commit is on disk before it is reported, so it survives a
    // power cut too (NORMAL in WAL mode may lose the last commits).
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Writes take the write lock when they begin. A deferred transaction
    // that reads and then writes gets SQLITE_BUSY at once (no busy wait)
    // when another process committed in between.
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    Ok(())
}

fn io_err(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Creates the directory (0700) and an empty file (0600) if they are missing.
pub(crate) fn create_private(path: &Path) -> Result<()> {
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
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() && !path.exists() => {
            // Creating the book through a dangling link would put it
            // wherever the link points, with SQLite's default mode.
            return Err(StoreError::Refused(format!(
                "{} is a symbolic link to a file that does not exist — dossier does not create a book through a link; name the real file",
                path.display()
            )));
        }
        Ok(_) if path.is_dir() => {
            return Err(StoreError::Refused(format!(
                "{} is a folder, not a book — name the book file, e.g. {}",
                path.display(),
                path.join("dossier.db").display()
            )));
        }
        Ok(_) => {
            #[cfg(unix)]
            if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
                // An empty file becomes the book: make it private first.
                use std::os::unix::fs::PermissionsExt;
                if let Err(e) =
                    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                {
                    tracing::warn!(path = %path.display(), "cannot make the empty book private: {e}");
                }
            }
        }
        Err(_) => match super::safe_file::create_new_private(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_err(path, e)),
        },
    }
    Ok(())
}

/// Files up to this size get SQLite's `quick_check` (every page) when they
/// are opened; it takes well under 100 ms at this size. Bigger books get a
/// schema read at open and the full check from [`Store::quick_check`].
pub const FULL_CHECK_AT_OPEN_MAX: u64 = 32 << 20;

fn quick_check(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("PRAGMA quick_check", [], |r| r.get(0))
}

impl Store {
    /// SQLite's `quick_check` of every page: `Corrupt` when it finds damage.
    /// Opening runs it for books up to [`FULL_CHECK_AT_OPEN_MAX`]; a terminal
    /// UI runs it for bigger ones in the background (on its own connection).
    pub fn quick_check(&self) -> Result<()> {
        let shown = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(memory)".into());
        let Some(conn) = self.conn.sqlite() else {
            // A team book's pages are the server's to check.
            return Ok(());
        };
        let check = quick_check(conn).map_err(|e| StoreError::Corrupt {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        if check != "ok" {
            return Err(StoreError::Corrupt {
                path: shown,
                reason: check,
            });
        }
        Ok(())
    }
}

fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

pub(crate) fn open_file(path: &Path, clock: Clock) -> Result<Store> {
    open_file_with(path, clock, schema::MIGRATIONS)
}

/// [`open_file`] with the migration steps given.
fn open_file_with(path: &Path, clock: Clock, steps: &[&str]) -> Result<Store> {
    create_private(path)?;
    let shown = path.display().to_string();
    let corrupt = |e: rusqlite::Error| -> StoreError {
        if is_corruption(&e) {
            StoreError::Corrupt {
                path: shown.clone(),
                reason: e.to_string(),
            }
        } else {
            StoreError::from(e)
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
    configure(&mut conn).map_err(|e| match e {
        StoreError::Sqlite(e) => corrupt(e),
        other => other,
    })?;
    // A non-SQLite file fails here, before anything is written to it.
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let check = if size <= FULL_CHECK_AT_OPEN_MAX {
        quick_check(&conn)
    } else {
        // A big book: reading the schema catches a foreign or truncated
        // file at once; the page-by-page check would hold up start-up by
        // seconds and runs later (Store::quick_check, dossier doctor).
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|_| "ok".to_string())
    };
    let check = check.map_err(corrupt)?;
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
        let out = super::safe_file::OutputFile::create(&target, false, Some(&backup_path))?;
        conn.backup(
            rusqlite::MAIN_DB,
            out.temp_path(),
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        out.commit()?;
        tracing::info!(target = %target.display(), "backup taken before migration");
        Ok(())
    };
    schema::migrate_steps(&mut conn, &shown, Some(&backup), steps)?;
    Ok(Store {
        conn: conn.into(),
        clock,
        path: Some(path.to_path_buf()),
        classify: Default::default(),
    })
}

/// Opens a team book on a PostgreSQL server (`postgres://…`): connected
/// within the connect timeout, schema migrated.
pub(crate) fn open_server(url: &str, clock: Clock) -> Result<Store> {
    let mut client = super::engine::connect(url)?;
    super::engine::pg_schema::migrate(&mut client)?;
    Ok(Store {
        conn: super::Conn::Server(Box::new(super::engine::conn::ServerConn::new(client, url)?)),
        clock,
        path: None,
        classify: Default::default(),
    })
}

/// The URL in `path` when it names a team book rather than a file.
pub(crate) fn server_url(path: &Path) -> Option<&str> {
    path.to_str().filter(|t| super::engine::is_server_url(t))
}

/// A read-only connection to the book at `path`, for reading off the
/// connection that writes (in parallel, or in a background thread).
pub fn open_reader(path: &std::path::Path) -> Result<super::Conn> {
    use rusqlite::OpenFlags;
    if let Some(url) = server_url(path) {
        // A team book: a second session on the server.
        let client = super::engine::connect(url)?;
        let conn = super::engine::conn::ServerConn::new(client, url)?;
        return Ok(super::Conn::Server(Box::new(conn)));
    }
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    c.busy_timeout(std::time::Duration::from_secs(5))?;
    plan_once(&c)?;
    // Reading through a memory map skips copying every page into SQLite's cache.
    c.pragma_update(None, "mmap_size", 1i64 << 32)?;
    Ok(c.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Customer;

    #[test]
    fn every_connection_plans_a_statement_once() {
        use rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG as QPSG;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let store = open_file(&path, Clock::system()).unwrap();
        let writer = store.conn.sqlite().unwrap();
        assert!(writer.db_config(QPSG).unwrap());
        let reader = open_reader(&path).unwrap();
        assert!(reader.sqlite().unwrap().db_config(QPSG).unwrap());
    }

    #[test]
    fn a_backup_is_written_before_a_migration_and_holds_the_old_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        // Today's schema with a customer, then a build with one more step.
        let now = schema::MIGRATIONS;
        let from = now.len() as i64;
        {
            let mut s = open_file_with(&path, Clock::from_env(), now).unwrap();
            s.add_customer(&Customer::named("Ann")).unwrap();
        }
        let mut next = now.to_vec();
        next.push("ALTER TABLE customers ADD COLUMN nickname TEXT");
        let s = open_file_with(&path, Clock::from_env(), &next).unwrap();
        let version: i64 = s
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, from + 1);
        let marker = format!(".v{from}-");
        let backups: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.to_string_lossy().contains(&marker) && p.extension().is_some_and(|x| x == "bak")
            })
            .collect();
        assert_eq!(backups.len(), 1, "one backup: {backups:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&backups[0]).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let old = Connection::open(&backups[0]).unwrap();
        let (v, name): (i64, String) = old
            .query_row(
                "SELECT (SELECT user_version FROM pragma_user_version), name FROM customers",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((v, name.as_str()), (from, "Ann"));
    }

    #[test]
    fn a_new_empty_database_is_not_backed_up() {
        let dir = tempfile::tempdir().unwrap();
        drop(open_file(&dir.path().join("book.db"), Clock::from_env()).unwrap());
        let files = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(files, 1, "only the database itself");
    }
}
